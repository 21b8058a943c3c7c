"""The deployment guide followed to the letter: every `.env` block it shows loads as pasted
through the real settings, every mail scheme it names builds a mailer, the settings read
exactly the variables the table of docs/configuration.md documents, and `check --deploy`
refuses a production without its public address (issue #26)."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from association.management.commands.createcoordinator import PASSWORD_ENV

ROOT = Path(settings.BASE_DIR)
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
# What the guide's first command writes into .env before the block is pasted.
GENERATED_SECRET = "SECRET_KEY=Zq3x8-generated-by-the-guide-python-secrets-token-urlsafe-50-0123"
ENV_LINE = re.compile(r"[A-Z][A-Z0-9_]*=.*")


def env_blocks() -> list[tuple[str, str]]:
    """Every fenced block of the docs made only of NAME=value lines and comments."""
    blocks = []
    for path in DOCS:
        for block in re.findall(r"```[a-z]*\n(.*?)```", path.read_text(), re.S):
            lines = [line for line in block.splitlines() if line.strip()]
            settings_lines = [line for line in lines if not line.startswith("#")]
            if settings_lines and all(ENV_LINE.fullmatch(line) for line in settings_lines):
                blocks.append((f"{path.name}: {settings_lines[0].split('=')[0]}", block))
    return blocks


def load_settings(env_file: Path, *names: str, **environment) -> subprocess.CompletedProcess:
    """The real settings module, in a process of its own, reading `env_file` as `.env`."""
    code = (
        "import json, os, django; django.setup(); from django.conf import settings; "
        f"print(json.dumps({{n: os.environ.get(n) for n in {list(names)!r}}}))"
    )
    return subprocess.run(
        [sys.executable, "-c", code],
        env={
            "DJANGO_SETTINGS_MODULE": "ptce.settings",
            "ENV_FILE": str(env_file),
            "PATH": os.environ["PATH"],
            **environment,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_docs_show_the_env_blocks_an_operator_pastes():
    names = {name for name, _ in env_blocks()}
    assert "deploy.md: ALLOWED_HOSTS" in names  # the guide's main block
    assert "deploy.md: DOCUMENTS_S3_BUCKET" in names


@pytest.mark.parametrize(("name", "block"), env_blocks(), ids=[name for name, _ in env_blocks()])
def test_every_env_block_of_the_docs_loads_as_pasted(tmp_path, name, block):
    env_file = tmp_path / ".env"
    env_file.write_text(f"{GENERATED_SECRET}\n{block}")
    expected = dict(
        line.split("=", 1)
        for line in block.splitlines()
        if ENV_LINE.fullmatch(line) and not line.startswith("#")
    )
    loaded = load_settings(env_file, *expected)
    assert loaded.returncode == 0, loaded.stderr
    # Each value as written, without a trailing comment or blank.
    assert json.loads(loaded.stdout) == expected
    assert not any("#" in value for value in expected.values())


def test_the_guides_env_block_passes_the_deploy_check(tmp_path):
    """The guide's .env as pasted, with the secret key its first command generates: `release`
    runs `check --deploy`, which must pass (no database needed for it)."""
    block = next(block for name, block in env_blocks() if name == "deploy.md: ALLOWED_HOSTS")
    env_file = tmp_path / ".env"
    env_file.write_text(f"{GENERATED_SECRET}\n{block}")
    env_file.chmod(0o600)  # as the guide's `install -m 600` creates it
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={"ENV_FILE": str(env_file), "PATH": os.environ["PATH"]},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr + result.stdout
    loaded = load_settings(env_file)
    assert loaded.returncode == 0, loaded.stderr


def test_a_comment_after_a_value_is_refused_naming_the_line(tmp_path):
    # The old guide's « TRUSTED_PROXY_COUNT=1          # one nginx in front »: django-environ
    # kept the comment in the value (a ValueError at best, a SECRET_KEY with a comment at worst).
    env_file = tmp_path / ".env"
    env_file.write_text(f"{GENERATED_SECRET}\nALLOWED_HOSTS=portail.example.org\n"
                        "TRUSTED_PROXY_COUNT=1          # one nginx in front\n")  # fmt: skip
    refused = load_settings(env_file)
    assert refused.returncode != 0
    assert "line 3: TRUSTED_PROXY_COUNT is followed by a comment" in refused.stderr
    # A quoted value may hold « # », and a comment on its own line is fine.
    quoted = "EMAIL_URL='smtp://relais.example.org:25#x'\nSITE_URL=https://a.org/#x\n"
    own_line = "# one nginx in front\nTRUSTED_PROXY_COUNT=1\n"
    env_file.write_text(f"{GENERATED_SECRET}\n{own_line}{quoted}")
    loaded = load_settings(env_file, "TRUSTED_PROXY_COUNT", "SITE_URL")
    assert loaded.returncode == 0, loaded.stderr
    assert json.loads(loaded.stdout) == {
        "TRUSTED_PROXY_COUNT": "1",
        "SITE_URL": "https://a.org/#x",
    }


# --- Mail --------------------------------------------------------------------------------------

MAIL_URL = re.compile(r"\b((?:smtp[a-z+]*|consolemail|filemail|submission)://[^\s`|)'\"]*)")


def documented_mail_urls() -> list[str]:
    texts = [path.read_text() for path in [*DOCS, ROOT / ".env.example"]]
    return sorted({url for text in texts for url in MAIL_URL.findall(text)})


def mailer(url: str) -> dict:
    from ptce.environment import mailer_from_url

    return mailer_from_url(url, timeout=10)


def test_the_docs_name_the_schemes_that_work():
    schemes = {url.split("://")[0] for url in documented_mail_urls()}
    assert {"smtp", "smtp+tls", "smtp+ssl", "consolemail"} <= schemes


@pytest.mark.parametrize("url", documented_mail_urls())
def test_every_mail_url_the_docs_name_builds_the_mailer_it_says(url):
    scheme = url.split("://")[0]
    if scheme in {"smtps", "submission"}:  # named only to say they are refused
        with pytest.raises(Exception, match=r"smtp\+ssl://.*465.*smtp\+tls://.*587"):
            mailer(url)
        return
    built = mailer(url)
    if scheme == "consolemail":
        assert built["BACKEND"] == "django.core.mail.backends.console.EmailBackend"
        return
    options = built["OPTIONS"]
    assert built["BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    # TLS from the first byte on 465, STARTTLS on 587, neither on a plain relay.
    assert (options["use_ssl"], options["use_tls"]) == {
        "smtp+ssl": (True, False),
        "smtp+tls": (False, True),
        "smtp": (False, False),
    }[scheme]
    if options["port"]:
        assert options["port"] == {"smtp+ssl": 465, "smtp+tls": 587, "smtp": 25}[scheme]


def test_an_escaped_mail_account_and_password_reach_the_mailer():
    built = mailer("smtp+tls://compte%40example.org:mot%2Fde%3Fpasse@smtp.example.org:587")
    assert built["OPTIONS"]["username"] == "compte@example.org"
    assert built["OPTIONS"]["password"] == "mot/de?passe"


def test_a_database_password_with_escaped_characters_reaches_the_database_settings(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"{GENERATED_SECRET}\nDATABASE_URL=postgres://ptce:mot%2Fde%3Fpasse%23%25@127.0.0.1:5432/ptce\n"
    )
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "print(settings.DATABASES['default']['PASSWORD'], settings.DATABASES['default']['NAME'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "ptce.settings", "ENV_FILE": str(env_file),
             "PATH": os.environ["PATH"]},
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["mot/de?passe#%", "ptce"]


# --- The site's address --------------------------------------------------------------------------


def deploy_check(**environment) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        env={
            "SECRET_KEY": GENERATED_SECRET.split("=", 1)[1],
            "ALLOWED_HOSTS": "portail.example.org",
            "EMAIL_URL": "smtp://relais.example.org:25",
            "ENV_FILE": os.devnull,
            "PATH": os.environ["PATH"],
            **environment,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize(
    "site_url", [None, "http://127.0.0.1:8000", "https://localhost", "http://portail.example.org"]
)
def test_the_deploy_check_fails_without_the_sites_public_address(site_url):
    """The reminders, mailed from cron, linked to http://127.0.0.1:8000."""
    result = deploy_check(**({"SITE_URL": site_url} if site_url else {}))
    assert result.returncode != 0
    assert "ptce.E002" in result.stderr
    assert "SITE_URL=https://portail.example.org" in result.stderr


@pytest.mark.parametrize(
    "site_url", ["https://www.portail.example.org", "https://portail.example.org "]
)
def test_the_deploy_check_fails_when_the_sites_address_is_not_a_host_served(site_url):
    """Reminders linking to a name ALLOWED_HOSTS does not list (a « www. », a blank pasted
    after the address) reach a « Bad Request » page: nobody would see it but the partners."""
    result = deploy_check(SITE_URL=site_url)
    assert result.returncode != 0
    assert "ptce.E004" in result.stderr
    assert "ALLOWED_HOSTS" in result.stderr
    allowed = deploy_check(
        SITE_URL=site_url.strip(), ALLOWED_HOSTS=f"portail.example.org,{site_url[8:].strip()}"
    )
    assert allowed.returncode == 0, allowed.stderr


def test_the_deploy_check_passes_with_the_sites_public_address():
    result = deploy_check(SITE_URL="https://portail.example.org")
    assert result.returncode == 0, result.stderr


# --- The documented variables --------------------------------------------------------------------

READ = re.compile(
    r"""env\.(?:str|int|bool|list|path|db|cache|float)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
TUPLE_READ = re.compile(r"""\("[a-z_]+", "([A-Z][A-Z0-9_]*)"\)""")
GUNICORN_READ = re.compile(r"""os\.environ\.get\(["']([A-Z][A-Z0-9_]*)["']""")


def variables_read() -> set[str]:
    source = "".join(
        (ROOT / f"ptce/{name}.py").read_text() for name in ("settings", "environment")
    )
    names = set(READ.findall(source)) | set(TUPLE_READ.findall(source))
    names |= set(GUNICORN_READ.findall((ROOT / "ptce/gunicorn_config.py").read_text()))
    return names | {PASSWORD_ENV}


def variables_in_the_configuration_table() -> set[str]:
    page = (ROOT / "docs/configuration.md").read_text()
    table = page[page.index("## The variables") : page.index("## PostgreSQL")]
    names = set()
    for row in re.findall(r"^\| (.*?) \|", table, re.M):
        prefix = ""
        for name in re.findall(r"`([A-Z_][A-Z0-9_]*)`", row):
            if name.startswith("_"):
                names.add(prefix + name)
            else:
                names.add(name)
                prefix = re.sub(r"_[A-Z]+$", "", name)
    return names


def variables_in_env_example() -> set[str]:
    text = (ROOT / ".env.example").read_text()
    return set(re.findall(r"^([A-Z][A-Z0-9_]*)=", text, re.M))


def test_the_settings_read_exactly_the_variables_the_configuration_page_documents():
    read, documented = variables_read(), variables_in_the_configuration_table()
    assert read - documented == set(), "read but not in docs/configuration.md's table"
    assert documented - read == set(), "in docs/configuration.md's table but read by nothing"


def test_env_example_lists_every_variable_the_settings_read():
    # ENV_FILE names the file itself; COORDINATOR_PASSWORD is for one command, never a file.
    listed = variables_in_env_example() | {"ENV_FILE", PASSWORD_ENV}
    assert variables_read() - listed == set()
    assert listed - variables_read() == set()


def test_the_guide_creates_the_env_file_readable_by_the_portal_only_before_writing_it():
    guide = (ROOT / "docs/deploy.md").read_text()
    created = guide.index("sudo install -o ptce -g ptce -m 600 /dev/null /srv/ptce/.env")
    assert created < guide.index("tee -a /srv/ptce/.env")


def test_the_deploy_check_warns_about_an_env_file_others_can_read(tmp_path):
    env_file = tmp_path / ".env"
    env_file.write_text("SITE_URL=https://portail.example.org\n")
    env_file.chmod(0o644)  # what the default umask gives
    warned = deploy_check(ENV_FILE=str(env_file))
    assert warned.returncode != 0
    assert "ptce.W003" in warned.stderr
    assert f"chmod 600 {env_file}" in warned.stderr
    env_file.chmod(0o600)
    assert deploy_check(ENV_FILE=str(env_file)).returncode == 0


def test_the_changelog_opens_on_the_version_in_pyproject():
    """An operator reads what an upgrade brings under the version they install."""
    import tomllib

    version = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["version"]
    first = re.search(r"^## (\S+)", (ROOT / "CHANGELOG.md").read_text(), re.M)[1]
    assert first == version
    assert f"git checkout v{version}" in (ROOT / "docs/deploy.md").read_text()


def test_a_former_secret_key_still_opens_what_it_signed_during_a_rotation(tmp_path):
    """The guide's rotation: the new key in SECRET_KEY, the old one in SECRET_KEY_FALLBACKS."""
    from django.core import signing

    old_key = "the-key-that-leaked-" + "x" * 40
    signed = signing.dumps("lien de connexion", key=old_key)
    env_file = tmp_path / ".env"
    env_file.write_text(f"{GENERATED_SECRET}\nSECRET_KEY_FALLBACKS={old_key}\n")
    code = (
        "import django; django.setup(); from django.core import signing; "
        f"print(signing.loads({signed!r}))"
    )
    opened = subprocess.run(
        [sys.executable, "-c", code],
        env={"DJANGO_SETTINGS_MODULE": "ptce.settings", "ENV_FILE": str(env_file),
             "PATH": os.environ["PATH"]},
        cwd=ROOT, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert opened.returncode == 0, opened.stderr
    assert opened.stdout.strip() == "lien de connexion"
