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
    "/evenements/mon-inscription/Rr4tY6uI8oP0aS2dF4gH6jK8/": "Rr4tY6uI8oP0aS2dF4gH6jK8",
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


def _routes(patterns, prefix: str = ""):
    """Every route of the URLconf, whole (« groupes/reponse/<str:token>/ »)."""
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if hasattr(pattern, "url_patterns"):
            yield from _routes(pattern.url_patterns, route)
        else:
            yield route


def test_every_address_with_a_token_has_it_masked_in_the_access_log():
    """A personal link added later (an event's registration, an assembly's reply…) is masked
    by construction: each route taking a `token` is checked, not a list kept by hand."""
    from django.urls import get_resolver

    from ptce.gunicorn_config import mask_one_time_tokens

    token = "Zq8Wm3Lx7Pc2Nv5Rt9Bk4Hs6"
    with_tokens = []
    for route in _routes(get_resolver().url_patterns):
        if "token>" not in route:
            continue
        path = "/" + re.sub(
            r"<(?:\w+:)?(\w+)>", lambda m: token if "token" in m[1] else "12", route
        ).lstrip("^").rstrip("$")
        with_tokens.append(path)
        line = f'127.0.0.1 "GET {path}?x=1 HTTP/1.1" 200 512 3ms'
        assert token not in mask_one_time_tokens(line), path
    assert "/evenements/mon-inscription/" + token + "/" in with_tokens
