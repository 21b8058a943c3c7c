"""gunicorn as systemd starts it (scripts/entrypoint web, nothing in the process environment but
what the unit gives): it reads the portal's .env, listens on loopback only, and its access log
keeps no one-time link's token (issue #26)."""

import contextlib
import os
import re
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.conftest import free_port

ROOT = Path(settings.BASE_DIR)
TOKENS = {
    "/groupes/reponse/Kq7ZP3mYx9vA2bL5nR8tWc4/": "Kq7ZP3mYx9vA2bL5nR8tWc4",
    "/mon-espace/connexion/Tt5sE9kLm2Qw8zXc3Vb7NpAa/": "Tt5sE9kLm2Qw8zXc3Vb7NpAa",
    "/groupes/desinscription/Dd3fG7hJk1Lz6xCv9BnM2qWe/": "Dd3fG7hJk1Lz6xCv9BnM2qWe",
    "/assemblee/reponse/Aa1sD2fG3hJ4kL5zX6cV7bN8/calendrier.ics": "Aa1sD2fG3hJ4kL5zX6cV7bN8",
    "/admin/mot-de-passe/MTI/cd4x2k-0f1e2d3c4b5a69788796a5b4c3d2e1f0/": "0f1e2d3c4b5a6978",
}


def test_gunicorn_reads_the_env_file_binds_loopback_and_masks_tokens_in_its_access_log(tmp_path):
    port = free_port()
    access_log = tmp_path / "access.log"
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DEBUG=on\n"
        f"DATABASE_URL=sqlite:///{tmp_path / 'db.sqlite3'}\n"
        # Only in the file: gunicorn must read it, as the guide's systemd unit relies on.
        f"PORT={port}\nWEB_CONCURRENCY=1\nGUNICORN_ACCESS_LOG={access_log}\n"
    )
    web = subprocess.Popen(
        [str(ROOT / "scripts" / "entrypoint"), "web"],
        env={"PATH": os.environ["PATH"], "ENV_FILE": str(env_file)},
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for _ in range(150):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        for path in TOKENS:
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}{path}",
                # A page opened from the mailed link carries it in the Referer of the next.
                headers={"Referer": f"http://127.0.0.1:{port}{path}"},
            )
            # An unknown token's page is an error page: the log line is what is looked at.
            with contextlib.suppress(urllib.error.HTTPError):
                urllib.request.urlopen(request, timeout=10).close()
    finally:
        web.terminate()
        _, errors = web.communicate(timeout=30)
    assert f"Listening at: http://127.0.0.1:{port}" in errors
    log = access_log.read_text()
    assert len(log.splitlines()) == len(TOKENS)
    for token in TOKENS.values():
        assert token not in log
    assert log.count("[masqué]") == len(TOKENS)
    assert re.search(r'"GET /groupes/reponse/\[masqué\]/ HTTP/1.1" \d{3}', log)


def test_the_container_and_the_platforms_listen_on_every_interface():
    """They route to the container's or the dyno's port from outside: loopback would be
    unreachable. Said where they start gunicorn, not guessed."""
    assert "GUNICORN_BIND=0.0.0.0:8000" in (ROOT / "Dockerfile").read_text()
    assert "web: GUNICORN_BIND=0.0.0.0:$PORT scripts/entrypoint web" in (
        (ROOT / "Procfile").read_text()
    )
