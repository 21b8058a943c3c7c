"""Backups of the portal and their restore drill (scripts/backup, scripts/restore-drill).

A backup is one folder named after its time in BACKUP_DIR: `database.dump` (pg_dump's custom
format), `counts.json` (every table's row count, read in the dump's own snapshot, so a restore
can be checked against exactly what was saved), `files.tar.gz` (MEDIA_ROOT as `media/`,
DOCUMENTS_ROOT as `private/documents/`) and, given a passphrase, `env.gpg` (the `.env`, with the
secret key and the passwords). It is written under a temporary name and renamed once complete:
a failed run leaves no half backup among the copies kept.

Reads the same variables as the settings (the environment, then ENV_FILE or the app's `.env`),
without loading Django: the backup still runs when the portal would not start.
"""

import datetime
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import environ
import psycopg
from psycopg import sql

APP_DIR = Path(__file__).resolve().parent.parent
STAMP = "%Y-%m-%dT%H%M%S"
# What restic keeps off-site, beside the BACKUP_KEEP copies on the server. Each backup is a
# folder of its own name: grouped by host and path (restic's default) each snapshot would be a
# group of one, always kept; grouped by host and tag, the policy applies to the whole series.
RESTIC_KEEP = ["--group-by", "host,tags", "--keep-daily", "7", "--keep-weekly", "8"]


class BackupError(Exception):
    """A step failed: the message says which, for the operator."""


def load_environment(app_dir: Path = APP_DIR) -> environ.Env:
    environ.Env.read_env(os.environ.get("ENV_FILE", str(app_dir / ".env")), overwrite=False)
    return environ.Env()


def database_settings(env: environ.Env) -> dict:
    database = env.db("DATABASE_URL", default="sqlite:///db.sqlite3")
    if "postgresql" not in database["ENGINE"]:
        raise BackupError(
            "DATABASE_URL is not a PostgreSQL database: scripts/backup saves PostgreSQL only."
        )
    return database


def _connection_arguments(database: dict, name: str | None = None) -> dict:
    arguments = {
        "dbname": name or database["NAME"],
        "host": database.get("HOST") or None,
        "port": database.get("PORT") or None,
        "user": database.get("USER") or None,
        "password": database.get("PASSWORD") or None,
    }
    return {key: value for key, value in arguments.items() if value}


def _pg_environment(database: dict, name: str | None = None) -> dict:
    """libpq's variables: the password never appears on a command line (`ps` shows those)."""
    names = {"dbname": "PGDATABASE", "host": "PGHOST", "port": "PGPORT", "user": "PGUSER"}
    names["password"] = "PGPASSWORD"
    arguments = _connection_arguments(database, name)
    return {**os.environ, **{names[key]: str(value) for key, value in arguments.items()}}


def connect(database: dict, name: str | None = None, **options) -> psycopg.Connection:
    try:
        return psycopg.connect(**_connection_arguments(database, name), **options)
    except psycopg.Error as error:
        raise BackupError(f"cannot connect to the database: {error}".strip()) from error


def row_counts(connection: psycopg.Connection) -> dict[str, int]:
    tables = [
        name
        for (name,) in connection.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
    ]
    return {
        table: connection.execute(
            sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))
        ).fetchone()[0]
        for table in tables
    }


def differences(original: dict[str, int], restored: dict[str, int]) -> list[str]:
    return [
        f"  {table}: {original.get(table)} ≠ {restored.get(table)}"
        for table in sorted(original.keys() | restored.keys())
        if original.get(table) != restored.get(table)
    ]


def _run(step: str, command: list[str], **options) -> None:
    result = subprocess.run(command, capture_output=True, text=True, check=False, **options)
    if result.returncode != 0:
        raise BackupError(f"{step} failed: {(result.stderr or result.stdout).strip()}")


def _dump(database: dict, folder: Path) -> dict[str, int]:
    """pg_dump in a snapshot whose row counts are read in the same transaction."""
    with connect(database) as connection:
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        with connection.transaction():
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()[0]
            _run(
                "pg_dump",
                [
                    "pg_dump",
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={folder / 'database.dump'}",
                ],
                env=_pg_environment(database),
            )
            return row_counts(connection)


def _folders(env: environ.Env, app_dir: Path) -> dict[str, Path]:
    """The files' folders as the settings name them, under the names a restore expects."""

    def folder(name: str, default: str) -> Path:
        path = Path(env.str(name, default=default))
        return path if path.is_absolute() else app_dir / path

    return {
        "media": folder("MEDIA_ROOT", "media"),
        "private/documents": folder("DOCUMENTS_ROOT", "private/documents"),
    }


def _archive(folders: dict[str, Path], target: Path) -> list[str]:
    notes = []
    with tarfile.open(target, "w:gz") as archive:
        for name, path in folders.items():
            if path.is_dir():
                archive.add(path, arcname=name)
            else:
                # A new install has uploaded nothing yet: nothing to save, and not an error.
                notes.append(f"{path} does not exist yet: nothing to save there")
    return notes


def _encrypt(source: Path, target: Path, passphrase_file: Path) -> None:
    if not passphrase_file.is_file():
        raise BackupError(f"BACKUP_PASSPHRASE_FILE {passphrase_file} does not exist")
    with tempfile.TemporaryDirectory() as home:  # no keyring of root's is touched
        _run(
            "gpg (the .env)",
            [
                "gpg", "--homedir", home, "--batch", "--yes", "--pinentry-mode", "loopback",
                "--symmetric", "--cipher-algo", "AES256",
                "--passphrase-file", str(passphrase_file), "--output", str(target), str(source),
            ],
        )  # fmt: skip


def _decrypts(source: Path, passphrase_file: Path) -> None:
    with tempfile.TemporaryDirectory() as home:
        _run(
            "gpg --decrypt (env.gpg)",
            [
                "gpg", "--homedir", home, "--batch", "--pinentry-mode", "loopback",
                "--passphrase-file", str(passphrase_file), "--output", os.devnull,
                "--decrypt", str(source),
            ],
        )  # fmt: skip


def backups(backup_dir: Path) -> list[Path]:
    """The complete backups, oldest first."""
    if not backup_dir.is_dir():
        return []
    return sorted(
        path
        for path in backup_dir.iterdir()
        if path.is_dir() and not path.name.startswith(".") and (path / "counts.json").is_file()
    )


def backup(
    *,
    app_dir: Path = APP_DIR,
    backup_dir: Path,
    keep: int,
    passphrase_file: Path | None,
    now: datetime.datetime | None = None,
) -> tuple[Path, list[str]]:
    env = load_environment(app_dir)
    database = database_settings(env)
    if keep < 1:
        raise BackupError("BACKUP_KEEP must be 1 or more")
    backup_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = (now or datetime.datetime.now()).strftime(STAMP)  # noqa: DTZ005 (the server's clock)
    final = backup_dir / stamp
    if final.exists():
        raise BackupError(f"{final} already exists")
    partial = backup_dir / f".partial-{stamp}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)
    notes = []
    try:
        counts = _dump(database, partial)
        (partial / "counts.json").write_text(json.dumps(counts, indent=1, sort_keys=True))
        notes += _archive(_folders(env, app_dir), partial / "files.tar.gz")
        env_file = Path(os.environ.get("ENV_FILE", str(app_dir / ".env")))
        if passphrase_file and env_file.is_file():
            _encrypt(env_file, partial / "env.gpg", passphrase_file)
        elif env_file.is_file():
            notes.append(".env not saved: set BACKUP_PASSPHRASE_FILE to save it encrypted")
        for path in partial.iterdir():
            path.chmod(0o600)
        partial.rename(final)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    for old in backups(backup_dir)[:-keep]:
        shutil.rmtree(old)
    if os.environ.get("RESTIC_REPOSITORY"):
        _run("restic backup", ["restic", "backup", "--tag", "ptce", str(final)])
        _run(
            "restic forget",
            ["restic", "forget", "--tag", "ptce", "--prune", *RESTIC_KEEP],
        )
        notes.append(f"sent to {os.environ['RESTIC_REPOSITORY']}")
    return final, notes


def drill(
    *,
    app_dir: Path = APP_DIR,
    backup_dir: Path,
    scratch: str = "ptce_drill",
    passphrase_file: Path | None = None,
) -> str:
    """Restores the latest backup into the scratch database `scratch` (created, then dropped),
    compares every table's row count with those saved with it, and reads the files' archive.
    Never writes to the production database nor stops anything."""
    env = load_environment(app_dir)
    database = database_settings(env)
    if scratch == database["NAME"]:
        raise BackupError(f"the scratch database « {scratch} » is the production database")
    found = backups(backup_dir)
    if not found:
        raise BackupError(f"no backup in {backup_dir}")
    latest = found[-1]
    saved = json.loads((latest / "counts.json").read_text())
    dump = str(latest / "database.dump")
    with connect(database, "postgres", autocommit=True) as server:
        drop = sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(scratch))
        server.execute(drop)
        server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(scratch)))
        try:
            _run(
                "pg_restore",
                ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={scratch}", dump],
                env=_pg_environment(database, scratch),
            )
            with connect(database, scratch) as restored:
                counts = row_counts(restored)
        finally:
            server.execute(drop)
    if wrong := differences(saved, counts):
        raise BackupError("the restored database differs:\n" + "\n".join(wrong))
    with tarfile.open(latest / "files.tar.gz") as archive:
        files = sum(1 for member in archive if member.isfile())
    report = (
        f"{latest.name}: restored {len(counts)} tables, {sum(counts.values())} rows, every "
        f"count equal. files.tar.gz: {files} files, readable."
    )
    if (latest / "env.gpg").is_file() and passphrase_file:
        _decrypts(latest / "env.gpg", passphrase_file)
        report += " env.gpg: decrypts."
    return report


def _path(name: str) -> Path | None:
    return Path(os.environ[name]) if os.environ.get(name) else None


def _alert(message: str) -> None:
    """The failure mailed to ADMINS with the portal's own mail settings, when it can be."""
    try:
        import django

        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")
        django.setup()
        from django.conf import settings
        from django.core.mail import mail_admins

        if settings.ADMINS:
            mail_admins("Échec de la sauvegarde du portail", message)
    except Exception as error:  # the exit status still says it
        print(f"(the failure could not be mailed to ADMINS: {error})", file=sys.stderr)


def main_backup() -> None:
    try:
        folder, notes = backup(
            backup_dir=_path("BACKUP_DIR") or Path("/var/backups/ptce"),
            keep=int(os.environ.get("BACKUP_KEEP", "14")),
            passphrase_file=_path("BACKUP_PASSPHRASE_FILE"),
        )
    except (BackupError, OSError, ValueError) as error:
        print(f"backup FAILED: {error}", file=sys.stderr)
        _alert(f"scripts/backup: {error}")
        sys.exit(1)
    print(f"backup: {folder}", *notes, sep="\n  ")


def main_drill() -> None:
    try:
        report = drill(
            backup_dir=_path("BACKUP_DIR") or Path("/var/backups/ptce"),
            scratch=os.environ.get("DRILL_DATABASE", "ptce_drill"),
            passphrase_file=_path("BACKUP_PASSPHRASE_FILE"),
        )
    except (BackupError, OSError, ValueError) as error:
        print(f"restore drill FAILED: {error}", file=sys.stderr)
        sys.exit(1)
    print(report)
