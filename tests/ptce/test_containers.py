"""The container files, read as Docker reads them: the machines that run the tests have no
Docker engine, so compose.yaml, the Dockerfile and .dockerignore are parsed here. The groups'
documents were in no volume (lost at each `docker compose up` of a new image) and on a folder
owned by root (the first upload failed); `.env` and `private/` went into the image (issue #26)."""

import fnmatch
import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
PORTAL_SERVICES = ("release", "web", "worker", "cron")


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def _dockerfile_instructions() -> list[tuple[str, str]]:
    text = (ROOT / "Dockerfile").read_text().replace("\\\n", " ")
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1])
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


@pytest.mark.parametrize("service", PORTAL_SERVICES)
def test_every_portal_service_keeps_uploads_and_documents_in_named_volumes(compose, service):
    config = compose["services"][service]
    environment = config["environment"]
    mounts = dict(volume.split(":", 1)[::-1] for volume in config["volumes"])
    for setting in ("MEDIA_ROOT", "DOCUMENTS_ROOT"):
        folder = environment[setting]
        assert folder in mounts, f"{setting} ({folder}) is not a volume of {service}"
        assert mounts[folder] in compose["volumes"], "a named volume, kept across recreations"


def test_the_volumes_mount_points_belong_to_the_images_user(compose):
    """A new named volume takes the owner of the folder it is mounted on in the image."""
    instructions = _dockerfile_instructions()
    users = [argument for name, argument in instructions if name == "USER"]
    assert users == ["ptce"]
    runs = " ".join(argument for name, argument in instructions if name == "RUN")
    owned = re.search(r"chown ptce:ptce ([^&]+)", runs)[1].split()
    made = re.search(r"mkdir -p ([^&]+)", runs)[1].split()
    mount_points = {
        volume.split(":", 1)[1]
        for service in PORTAL_SERVICES
        for volume in compose["services"][service]["volumes"]
    }
    assert mount_points <= set(made)
    assert mount_points <= set(owned)
    # Owned before the switch to the user, which cannot chown.
    order = [name for name, _ in instructions]
    assert order.index("USER") > max(
        index for index, (name, argument) in enumerate(instructions) if "chown" in argument
    )


def _ignored(path: str) -> bool:
    """Docker's rule: a pattern excludes the path it matches and everything under it."""
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    parts = path.split("/")
    prefixes = ["/".join(parts[: end + 1]) for end in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated = pattern.startswith("!")
        pattern = pattern.lstrip("!").replace("**/", "*")
        if any(fnmatch.fnmatchcase(prefix, pattern) for prefix in prefixes):
            ignored = not negated
    return ignored


@pytest.mark.parametrize(
    "path",
    [".env", ".env.production", ".env.example", "private/documents/compte-rendu.pdf",
     "media/logo.png", "backups/2026-12-07T020000/env.gpg", "ptce.dump", "db.sqlite3"],
)  # fmt: skip
def test_secrets_and_data_never_enter_the_image(path):
    assert _ignored(path)


@pytest.mark.parametrize(
    "path", ["manage.py", "requirements.lock", "scripts/backup", "deploy/maintenance.html"]
)
def test_the_code_enters_the_image(path):
    assert not _ignored(path)
    assert (ROOT / path).exists()


def test_the_database_and_backups_are_named_volumes_too(compose):
    assert {"postgres", "media", "documents", "backups"} <= set(compose["volumes"])
    assert "postgres:/var/lib/postgresql/data" in compose["services"]["db"]["volumes"]
