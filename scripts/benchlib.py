"""What the benchmark scripts share: a real instance's settings, a fresh database, and a function
run in a Django process of its own whose answer is read back as JSON.

    from benchlib import DATA, fresh_database, in_django, production_env

    url = fresh_database("admin-scale-1")             # bench/admin-scale-1.sqlite3, migrated
    report = in_django(production_env(url), measure, 1)   # measure(1) under Django: its JSON

The scripts run from scripts/, which Python puts first on the path: `import benchlib` needs
nothing more. The data goes to bench/, ignored by git.
"""

import importlib
import inspect
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "bench"
PYTHON = sys.executable

# The settings of a real instance (DEBUG off, no .env read), on loopback.
PRODUCTION = {
    "DEBUG": "off",
    "ENV_FILE": "/dev/null",
    "SECRET_KEY": "bench-only-" + "x" * 50,
    "ALLOWED_HOSTS": "127.0.0.1,testserver",
    # As behind nginx: X-Forwarded-Proto says the visit is HTTPS (no redirect).
    "TRUSTED_PROXY_COUNT": "1",
    # The benches log a coordinator in through the test client: no one-time code.
    "ADMIN_REQUIRE_2FA": "off",
    "LOG_LEVEL": "WARNING",
    "DJANGO_SETTINGS_MODULE": "ptce.settings",
}


def production_env(database_url: str | None = None, **extra: str) -> dict:
    """This process's environment with PRODUCTION, the database at `database_url` and `extra`
    over it; CACHE_URL dropped (the default cache in the database, as the bench measures)."""
    env = {**os.environ, **PRODUCTION}
    if database_url:
        env["DATABASE_URL"] = database_url
    env.pop("CACHE_URL", None)
    env.update(extra)
    return env


def manage(env: dict, *arguments: str) -> None:
    """`manage.py` quietly with `env`; stops the bench when it fails."""
    subprocess.run(
        [PYTHON, "manage.py", *arguments, "--verbosity", "0"], env=env, cwd=ROOT, check=True
    )


def collect_static() -> None:
    """The static files' manifest the production settings serve from (a fresh clone has
    none): the admin's pages and gunicorn's name their files through it."""
    DATA.mkdir(exist_ok=True)
    manage(production_env(f"sqlite:///{DATA / 'unused.sqlite3'}"), "collectstatic", "--noinput")


def fresh_database(name: str, database_url: str | None = None) -> str:
    """An empty database, migrated, and its URL: the PostgreSQL database of `database_url`
    dropped and created again, else bench/`name`.sqlite3 made anew."""
    if database_url:
        import psycopg

        base, _, database = database_url.rpartition("/")
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{database}"')
            admin.execute(f'CREATE DATABASE "{database}"')
    else:
        DATA.mkdir(exist_ok=True)
        for leftover in DATA.glob(f"{name}.sqlite3*"):
            leftover.unlink()
        database_url = f"sqlite:///{DATA / f'{name}.sqlite3'}"
    manage(production_env(database_url), "migrate", "--noinput")
    return database_url


def build(scale: int):
    """Inside Django: the network of ptce/demo/volume.py SCALES[`scale`], dated today."""
    from django.utils import timezone

    from ptce.demo.volume import SCALES, build_network

    return build_network(**SCALES[scale], today=timezone.localdate())


def in_django(env: dict, function, *arguments):
    """`function(*arguments)` (a function of a script of scripts/, taking and returning what
    JSON holds) run in a Django process of its own with `env`: what it returned."""
    module = Path(inspect.getfile(function)).stem
    out = subprocess.run(
        [PYTHON, __file__, module, function.__name__, json.dumps(arguments)],
        env=env,
        cwd=ROOT,
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    return json.loads(out.strip().splitlines()[-1])


if __name__ == "__main__":  # in_django's process
    module, name, arguments = sys.argv[1:]
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    result = getattr(importlib.import_module(module), name)(*json.loads(arguments))
    print(json.dumps(result))
