"""With SENTRY_DSN set, an error reaches the error tracker (Sentry or GlitchTip), without the
visitor's personal data (ptce/settings.py). The tracker is a real HTTP server on loopback that
keeps what sentry-sdk sends; the portal runs in its own process with production settings."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from ptce.error_reports import scrub, scrub_text

# A request as a browser sends it: cookies, an e-mail in the address, the visitor's address.
VISITOR = {
    "cookie": "sessionid=s3cr3t-session; csrftoken=s3cr3t-csrf",
    "address": "203.0.113.77",
    "email": "camille.visiteuse@example.org",
    "token": "eyJwIjoxMn0:1vQx2A:kT4b7hFq9sZ0uWcYdPe3LmNoRgHiJaKs",
}
PORTAL = f"""
import io, sys
from wsgiref.util import setup_testing_defaults

import sentry_sdk
from django.core.wsgi import get_wsgi_application

application = get_wsgi_application()
environ = {{
    "PATH_INFO": sys.argv[1],
    "QUERY_STRING": "courriel={VISITOR["email"]}",
    "HTTP_COOKIE": {VISITOR["cookie"]!r},
    "REMOTE_ADDR": {VISITOR["address"]!r},
    "HTTP_X_FORWARDED_FOR": {VISITOR["address"]!r},
    "HTTP_USER_AGENT": "Mozilla/5.0",
    "HTTP_REFERER": "https://testserver/mon-espace/connexion/{VISITOR["token"]}/",
    "HTTP_HOST": sys.argv[2],
}}
setup_testing_defaults(environ)
statuses = []
body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
b"".join(body)
print(statuses[0].split()[0])
sentry_sdk.flush(timeout=10)
"""


class Tracker(BaseHTTPRequestHandler):
    envelopes: list[bytes] = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        if self.headers.get("Content-Encoding") == "gzip":
            body = gzip.decompress(body)
        Tracker.envelopes.append(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def tracker():
    Tracker.envelopes = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), Tracker)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()


def _events(envelopes: list[bytes]) -> list[dict]:
    """The error events in sentry-sdk's envelopes (a header line, then item header and payload
    lines)."""
    events = []
    for envelope in envelopes:
        lines = envelope.split(b"\n")
        for header, payload in zip(lines[1::2], lines[2::2], strict=False):
            if json.loads(header).get("type") == "event":
                events.append(json.loads(payload))
    return events


@pytest.mark.parametrize(
    ("path", "host", "status", "error"),
    [
        # The database cannot be opened: the 503 page, an exception event.
        ("/agenda/", "testserver", "503", "OperationalError"),
        # A forged Host on a personal link: Django's security logger attaches the request.
        (f"/groupes/reponse/{VISITOR['token']}/", "evil.example", "400", "Invalid HTTP_HOST"),
        # A path that matches no route: the transaction is the path itself.
        (f"/groupes/reponse/{VISITOR['token']}", "evil.example", "400", "Invalid HTTP_HOST"),
        (f"/structures/{VISITOR['email']}/x", "evil.example", "400", "Invalid HTTP_HOST"),
    ],
    ids=["database down", "forged host", "no route, a token", "no route, an e-mail"],
)
def test_an_error_reaches_the_tracker_without_personal_data(
    path, host, status, error, tracker, tmp_path
):
    port = tracker.server_address[1]
    result = subprocess.run(
        [sys.executable, "-c", PORTAL, path, host],
        env={
            "DJANGO_SETTINGS_MODULE": "ptce.settings",
            "DEBUG": "off",
            "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-1234567890",
            "ALLOWED_HOSTS": "testserver",
            "SECURE_SSL_REDIRECT": "off",
            "ENV_FILE": os.devnull,
            # No collectstatic here: the error pages' stylesheet without the manifest.
            "STATICFILES_STORAGE": "django.contrib.staticfiles.storage.StaticFilesStorage",
            # A database that cannot be opened.
            "DATABASE_URL": f"sqlite:///{tmp_path}/missing-folder/portal.sqlite3",
            "SENTRY_DSN": f"http://0123456789abcdef0123456789abcdef@127.0.0.1:{port}/42",
            "SENTRY_ENVIRONMENT": "test-env",
            "LOG_LEVEL": "CRITICAL",
            "PATH": os.environ.get("PATH", ""),
        },
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == status
    events = _events(Tracker.envelopes)
    assert events, Tracker.envelopes
    sent = b"\n".join(Tracker.envelopes).decode()
    assert error in sent
    assert all(event["environment"] == "test-env" for event in events)
    for secret in ("s3cr3t", VISITOR["address"], "camille.visiteuse", VISITOR["token"][:12]):
        assert secret not in sent, secret
    for event in events:
        if "exception" in event:
            frames = event["exception"]["values"][-1]["stacktrace"]["frames"]
            assert not any("vars" in frame for frame in frames)  # no frame's variables
        if event.get("request", {}).get("url"):
            assert event["request"]["url"].endswith(event["transaction"])  # the route


def test_scrub_removes_what_identifies_a_person():
    event = {
        "user": {"ip_address": "203.0.113.77"},
        "request": {
            "url": "https://p.example.org/reponse/eyJwIjoxMn0:1vQx2A:kT4b7hFq9sZ0uWcY/?e=a@b.fr",
            "query_string": "e=a@b.fr",
            "data": {"email": "a@b.fr", "phone": "06 12 34 56 78"},
            "cookies": {"sessionid": "x"},
            "headers": {"Referer": "https://p.example.org/?e=a@b.fr", "Accept": "text/html"},
            "env": {"REMOTE_ADDR": "203.0.113.77"},
        },
        "exception": {
            "values": [
                {
                    "type": "IntegrityError",
                    "value": "Key (email)=(Louise.Lefebvre@example.org) exists; 06.12.34.56.78",
                    "stacktrace": {"frames": [{"function": "save", "vars": {"email": "a@b.fr"}}]},
                }
            ]
        },
        "logentry": {"message": "Mail to %s failed", "params": ["a@b.fr"]},
        "breadcrumbs": {"values": [{"message": "+33 6 12 34 56 78 called", "data": {"x": 1}}]},
        "extra": {"request": "<WSGIRequest: GET '/r/?e=a@b.fr'>"},
        "tags": {"email": "a@b.fr"},
    }
    scrubbed = json.dumps(scrub(event))
    for secret in (
        "203.0.113.77",
        "a@b.fr",
        "Lefebvre",
        "56 78",
        "56.78",
        "kT4b7hFq",
        "sessionid",
    ):
        assert secret not in scrubbed, secret
    assert event["request"]["url"] == "https://p.example.org/reponse/[jeton]/"
    assert "extra" not in event and "tags" not in event
    assert event["request"]["headers"] == {"Accept": "text/html"}
    assert event["exception"]["values"][0]["value"] == "Key (email)=([valeurs])"
    assert event["exception"]["values"][0]["type"] == "IntegrityError"
    assert event["breadcrumbs"]["values"][0]["message"] == "[téléphone] called"


@pytest.mark.parametrize(
    "kept",
    [
        "OperationalError: unable to open database file",
        "/groupes/insertion-emploi/reunions/2025-09-12/",
        "Réunion du 12/09/2025 à 14 h, salle 3",
        "SIRET 123 456 789 00012",
        "/groupes/reunion-2025-09-12-insertion-emploi-et-formation/",
        "MembershipImportPreviewError: trop de lignes",
        "offset (+1) 2026-12-01 10:00",
        "took +0.123456789 s",
        "le 01-12-2026 14:22",
        "le 01/12/2026 14 h",
        "at 2026-12-01T14:22:26Z",
    ],
)
def test_scrub_keeps_what_helps_to_debug(kept):
    assert scrub_text(kept) == kept


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/mot-de-passe/MQ/cz1k2m-9f8e7d6c5b4a39281706a1b2/", "/mot-de-passe/MQ/[jeton]/"),
        (
            "Failing row contains (12, Louise, Lefebvre, rue des Lilas).",
            "Failing row contains ([valeurs])",
        ),
        (
            "violates unique\nDETAIL:  Key (email)=(a@b.fr) exists.",
            "violates unique\nDETAIL:  [valeurs]",
        ),
        ("appel du 0033 6 12 34 56 78", "appel du [téléphone]"),
        ("+33 (0)6 12 34 56 78", "[téléphone]"),
        ("Berlin +49 30 1234 5678", "Berlin [téléphone]"),
        ("Mail to « marie.curie@orange » failed", "Mail to « [courriel] » failed"),
        ("rappeler le 06/12/34/56/78", "rappeler le [téléphone]"),
        ("rappeler le (06) 12 34 56 78", "rappeler le [téléphone]"),
        ("/?email=marie%40example.org&x=1", "/?email=[courriel]&x=1"),
        ('RCPT "marie.dupont"@example.org refused', "RCPT [courriel] refused"),
        ("Failing row contains (1, Jean,\nDupont, x).", "Failing row contains ([valeurs])"),
        (
            'invalid input syntax for type integer: "Jean"',
            "invalid input syntax for type integer: [valeurs]",
        ),
    ],
)
def test_scrub_removes_tokens_phones_and_the_values_a_database_quotes(text, expected):
    assert scrub_text(text) == expected


def test_the_route_replaces_a_path_that_holds_a_token():
    event = {
        "transaction": "/groupes/reponse/<str:token>/",
        "transaction_info": {"source": "route"},
        "request": {"url": "https://p.example.org/groupes/reponse/abcdefghijklmnopqrstu/"},
    }
    assert scrub(event)["request"]["url"] == "https://p.example.org/groupes/reponse/<str:token>/"


def test_scrub_is_linear_on_a_long_text():
    """sentry-sdk does not cut texts before before_send, which runs in the request's thread: a
    pattern tried at every position of a 100 kB token took 30 s. Counted in regex steps, not
    time: the scrubbed text is cut, and the patterns start only where a run starts."""
    import ptce.error_reports as reports

    long_token = "kT4b7hFq9sZ0uWcY" * 6250  # 100 000 characters, no « @ »
    scrubbed = scrub_text(long_token)
    assert len(scrubbed) <= reports.MAX_TEXT + 1
    for pattern in (reports.EMAIL, reports.PHONE, reports.RUN, reports.HEX):
        assert pattern.pattern.startswith("(?<!"), pattern.pattern  # anchored at a run's start
