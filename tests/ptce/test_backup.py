"""The backup command and its restore drill, run for real against the test database on
PostgreSQL (docs/deploy.md, « Backups and restore »): it creates what it needs, saves the
database, the files and the .env encrypted, keeps a set number of copies, fails loudly, and the
drill restores into a scratch database without touching production (issue #26)."""

import datetime
import json
import os
import shutil
import subprocess
import tarfile
import time
from pathlib import Path
from urllib.parse import quote

import psycopg
import pytest
from django.conf import settings
from django.db import connection

from ptce import backup as backups
from tests.factories import OutgoingMailFactory, SiteIdentityFactory

ROOT = Path(settings.BASE_DIR)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="backups are of PostgreSQL (the PostgreSQL pass of CI runs these)",
    ),
    pytest.mark.django_db(transaction=True),  # the dump sees committed rows only
]


def database_url(password: str | None = None) -> str:
    database = connection.settings_dict
    user = quote(database["USER"], safe="")
    secret = quote(password if password is not None else database["PASSWORD"], safe="")
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or "5432"
    return f"postgres://{user}:{secret}@{host}:{port}/{database['NAME']}"


@pytest.fixture
def server(tmp_path):
    """A server's layout: .env with the database and the folders, a passphrase for root."""
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "logo.png").write_bytes(b"logo")
    (tmp_path / "documents").mkdir()
    (tmp_path / "documents" / "compte-rendu.pdf").write_bytes(b"%PDF-1.4 minutes")
    env_file = tmp_path / ".env"
    env_file.write_text(
        f"DATABASE_URL={database_url()}\nMEDIA_ROOT={tmp_path / 'media'}\n"
        f"DOCUMENTS_ROOT={tmp_path / 'documents'}\nSECRET_KEY=the-secret-the-backup-keeps\n"
    )
    env_file.chmod(0o600)
    passphrase = tmp_path / "passphrase"
    passphrase.write_text("correct horse battery staple\n")
    environment = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": str(env_file),
        # A folder that does not exist yet, two levels down (/var/backups/ptce on a server).
        "BACKUP_DIR": str(tmp_path / "var" / "backups" / "ptce"),
        "BACKUP_PASSPHRASE_FILE": str(passphrase),
        "DRILL_DATABASE": f"{connection.settings_dict['NAME']}_drill",
    }
    SiteIdentityFactory()
    OutgoingMailFactory.create_batch(3)
    return tmp_path, environment


def run(script: str, environment: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(ROOT / "scripts" / script)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_backup_creates_its_folder_and_saves_the_database_the_files_and_the_env(server):
    tmp_path, environment = server
    result = run("backup", environment)
    assert result.returncode == 0, result.stderr
    (folder,) = Path(environment["BACKUP_DIR"]).iterdir()
    assert sorted(path.name for path in folder.iterdir()) == [
        "counts.json",
        "database.dump",
        "env.gpg",
        "files.tar.gz",
    ]
    # Readable by root only: the dump holds the member file, env.gpg the secret key.
    assert folder.stat().st_mode & 0o777 == 0o700
    assert {path.stat().st_mode & 0o777 for path in folder.iterdir()} == {0o600}
    counts = json.loads((folder / "counts.json").read_text())
    assert counts["outbox_outgoingmail"] == 3
    with tarfile.open(folder / "files.tar.gz") as archive:
        names = set(archive.getnames())
    assert {"media/logo.png", "private/documents/compte-rendu.pdf"} <= names
    # The .env, encrypted: not in clear in the backup, and back with the passphrase.
    assert b"the-secret-the-backup-keeps" not in (folder / "env.gpg").read_bytes()
    decrypted = subprocess.run(
        ["gpg", "--homedir", str(tmp_path), "--batch", "--pinentry-mode", "loopback",
         "--passphrase-file", environment["BACKUP_PASSPHRASE_FILE"], "--decrypt",
         str(folder / "env.gpg")],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    assert "SECRET_KEY=the-secret-the-backup-keeps" in decrypted.stdout


def test_a_new_install_without_uploads_is_backed_up_and_the_env_left_out_without_passphrase(
    server,
):
    tmp_path, environment = server
    for folder in ("media", "documents"):
        for path in (tmp_path / folder).iterdir():
            path.unlink()
        (tmp_path / folder).rmdir()
    del environment["BACKUP_PASSPHRASE_FILE"]
    result = run("backup", environment)
    assert result.returncode == 0, result.stderr
    assert "media does not exist yet: nothing to save there" in result.stdout
    assert ".env not saved: set BACKUP_PASSPHRASE_FILE" in result.stdout
    (folder,) = Path(environment["BACKUP_DIR"]).iterdir()
    assert not (folder / "env.gpg").exists()


def test_a_failed_backup_exits_non_zero_saying_why_and_leaves_no_half_copy(server):
    _, environment = server
    env_file = Path(environment["ENV_FILE"])
    env_file.write_text(env_file.read_text().replace(database_url(), database_url("wrong")))
    result = run("backup", environment)
    assert result.returncode == 1
    assert "backup FAILED: cannot connect to the database" in result.stderr
    assert list(Path(environment["BACKUP_DIR"]).iterdir()) == []


def test_the_backup_keeps_the_last_copies_only(server, monkeypatch):
    tmp_path, environment = server
    # In this process: the variables set here (and undone after), no .env read into os.environ.
    monkeypatch.setenv("ENV_FILE", os.devnull)
    monkeypatch.setenv("DATABASE_URL", database_url())
    monkeypatch.setenv("MEDIA_ROOT", str(tmp_path / "media"))
    monkeypatch.setenv("DOCUMENTS_ROOT", str(tmp_path / "documents"))
    backup_dir = Path(environment["BACKUP_DIR"])
    start = datetime.datetime(2026, 12, 1, 2, 0)
    for day in range(4):
        backups.backup(
            backup_dir=backup_dir,
            keep=2,
            passphrase_file=None,
            now=start + datetime.timedelta(days=day),
        )
    assert [path.name for path in backups.backups(backup_dir)] == [
        "2026-12-03T020000",
        "2026-12-04T020000",
    ]


def test_the_restore_drill_restores_into_a_scratch_database_and_compares_every_table(server):
    _, environment = server
    assert run("backup", environment).returncode == 0
    before = backups.row_counts(psycopg.connect(database_url()))
    result = run("restore-drill", environment)
    assert result.returncode == 0, result.stderr
    assert "every count equal" in result.stdout
    assert "files.tar.gz: 2 files, readable." in result.stdout
    assert "env.gpg: decrypts." in result.stdout
    # Production untouched, the scratch database gone.
    with psycopg.connect(database_url()) as production:
        assert backups.row_counts(production) == before
        scratch = production.execute(
            "SELECT count(*) FROM pg_database WHERE datname = %s",
            [environment["DRILL_DATABASE"]],
        ).fetchone()[0]
    assert scratch == 0


def test_the_restore_drill_fails_when_the_restored_database_differs(server):
    _, environment = server
    assert run("backup", environment).returncode == 0
    (folder,) = Path(environment["BACKUP_DIR"]).iterdir()
    counts = json.loads((folder / "counts.json").read_text())
    counts["outbox_outgoingmail"] = 4
    (folder / "counts.json").write_text(json.dumps(counts))
    result = run("restore-drill", environment)
    assert result.returncode == 1
    assert "outbox_outgoingmail: 4 ≠ 3" in result.stderr


def test_the_restore_drill_refuses_the_production_database_as_its_scratch(server):
    _, environment = server
    assert run("backup", environment).returncode == 0
    environment["DRILL_DATABASE"] = connection.settings_dict["NAME"]
    result = run("restore-drill", environment)
    assert result.returncode == 1
    assert "is the production database" in result.stderr


def test_the_backup_goes_off_site_with_restic_when_a_repository_is_named(server):
    """The guide's off-site copy: restic, encrypted, into a repository elsewhere (a local
    folder here, an sftp: or s3: address on a server)."""
    tmp_path, environment = server
    restic = shutil.which("restic")
    if restic is None:
        if os.environ.get("CI"):
            pytest.fail("restic is not installed (apt-get install restic): CI must run this")
        pytest.skip("restic is not installed (apt-get install restic)")
    (tmp_path / "restic-password").write_text("another long passphrase\n")
    environment["RESTIC_REPOSITORY"] = str(tmp_path / "off-site")
    environment["RESTIC_PASSWORD_FILE"] = str(tmp_path / "restic-password")
    environment["RESTIC_CACHE_DIR"] = str(tmp_path / "restic-cache")
    subprocess.run([restic, "init"], env=environment, check=True, capture_output=True)
    result = run("backup", environment)
    assert result.returncode == 0, result.stderr
    assert f"sent to {tmp_path / 'off-site'}" in result.stdout
    snapshots = json.loads(
        subprocess.run(
            [restic, "snapshots", "--json", "--tag", "ptce"],
            env=environment, check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    assert len(snapshots) == 1
    (folder,) = Path(environment["BACKUP_DIR"]).iterdir()
    listed = subprocess.run(
        [restic, "ls", "latest"], env=environment, check=True, capture_output=True, text=True
    ).stdout
    assert str(folder / "database.dump") in listed
    assert str(folder / "env.gpg") in listed


def test_the_off_site_copies_are_thinned_though_each_backup_is_a_folder_of_its_own(server):
    """Each night's folder has its own name: restic's default grouping (host and paths) made
    every snapshot a group of one, which `forget --keep-daily 7` keeps, so the off-site copies
    were never pruned. Three backups of one day leave one snapshot (the day's last)."""
    tmp_path, environment = server
    restic = shutil.which("restic")
    if restic is None:
        if os.environ.get("CI"):
            pytest.fail("restic is not installed (apt-get install restic): CI must run this")
        pytest.skip("restic is not installed (apt-get install restic)")
    (tmp_path / "restic-password").write_text("another long passphrase\n")
    environment["RESTIC_REPOSITORY"] = str(tmp_path / "off-site")
    environment["RESTIC_PASSWORD_FILE"] = str(tmp_path / "restic-password")
    environment["RESTIC_CACHE_DIR"] = str(tmp_path / "restic-cache")
    subprocess.run([restic, "init"], env=environment, check=True, capture_output=True)
    for _ in range(3):
        result = run("backup", environment)
        assert result.returncode == 0, result.stderr
        time.sleep(1)  # a new folder name (to the second) for the next one
    assert len(list(Path(environment["BACKUP_DIR"]).iterdir())) == 3
    snapshots = json.loads(
        subprocess.run(
            [restic, "snapshots", "--json", "--tag", "ptce"],
            env=environment, check=True, capture_output=True, text=True,
        ).stdout
    )  # fmt: skip
    assert len(snapshots) == 1
    (latest,) = snapshots
    assert latest["paths"] == [str(backups.backups(Path(environment["BACKUP_DIR"]))[-1])]
