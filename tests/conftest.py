"""Shared fixtures: personas named after our users, and a guard against logged errors."""

import email
import email.policy
import html
import io
import logging
import os
import signal
import socket
import time

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from association.models import SiteIdentity
from association.roles import COORDINATOR_GROUP
from joining.antispam import issue_form_token
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    # Tests must not need `collectstatic`: the manifest storage would fail on missing files.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The real hasher costs about a second per account; the suite creates hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


class _ErrorCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record):
        self.records.append(record)


@pytest.fixture(autouse=True)
def _fail_on_logged_errors(request):
    """A test fails if anything logs an error, unless it is marked `logged_errors`
    (it provokes one on purpose: mail server down, a 500 page)."""
    collector = _ErrorCollector()
    root = logging.getLogger()
    root.addHandler(collector)
    yield
    root.removeHandler(collector)
    if collector.records and not request.node.get_closest_marker("logged_errors"):
        messages = "\n".join(f"{r.name}: {r.getMessage()}" for r in collector.records)
        pytest.fail(f"Unexpected error logged during the test:\n{messages}")


@pytest.fixture
def coordinator(db):
    """The coordinator: staff, in the `coordinateur` group, not a superuser."""
    user = UserFactory(username="coordination", is_staff=True)
    user.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return user


@pytest.fixture
def coordinator_client(client, coordinator):
    client.force_login(coordinator)
    return client


# --- Mail, forms and pages of the member file and the join workflow ----------------------------

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The coordinator fixture hashes a password per test; PBKDF2 costs most of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The rate limit lives in the database cache, which a transactional test does not roll
    back: start every test that touches the database with an empty cache. The rendered pages
    too: a rolled-back test leaves the content version where it was, under which another
    test's pages would be found."""
    caches["pages"].clear()
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            cache.clear()
            break


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Inbox:
    """aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    @property
    def messages(self) -> list[email.message.EmailMessage]:
        return [
            email.message_from_bytes(envelope.content, policy=email.policy.default)
            for envelope in self.envelopes
        ]

    def message_to(self, address: str) -> email.message.EmailMessage:
        (found,) = [m for m in self.messages if address in m["To"]]
        return found


def use_smtp(settings, port: int) -> None:
    # The test runner swaps MAILERS for the locmem backend: put the real SMTP one back.
    settings.MAILERS = {
        "default": {
            "BACKEND": SMTP_BACKEND,
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server on a free local port, and the mailer pointed at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.fixture
def smtp_down(settings):
    """The mailer pointed at a closed local port: the mail server is down."""
    use_smtp(settings, free_port())


def run_queued_tasks() -> str:
    """Run the real database worker until no task is ready, as `manage.py db_worker --batch`
    does, and give back its output. The worker installs signal handlers: restore ours."""
    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)}
    out = io.StringIO()
    try:
        call_command(
            "db_worker",
            batch=True,
            reload=False,
            startup_delay=False,
            interval=0,
            verbosity=1,
            stdout=out,
        )
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
    return out.getvalue()


@pytest.fixture
def site_identity(db):
    identity = SiteIdentity.load()
    identity.name = "Pôle territorial de coopération économique Hénin-Carvin"
    identity.short_name = "PTCE Hénin-Carvin"
    identity.email = "contact@ptce-hc.example"
    identity.notification_email = "coordination@ptce-hc.example"
    identity.phone = "06 80 59 63 40"
    identity.office_address = "Résidence Alsace, ZAC des Deux Villes"
    identity.office_town = "Montigny-en-Gohelle"
    identity.save()
    return identity


def aged_token(seconds: float = 10) -> str:
    """A form token issued `seconds` ago: long enough to pass the minimum fill time."""
    with time_machine.travel(time.time() - seconds, tick=False):
        return issue_form_token()


@pytest.fixture
def join_data():
    """Valid answers to the join-us form, as a browser posts them; override what you test."""

    def build(**overrides):
        data = {
            "form_token": aged_token(),
            "applicant_kind": "person",
            "wants_membership": "on",
            "first_name": "Louise",
            "last_name": "Lefebvre",
            "email": "louise.lefebvre@example.org",
            "phone": "0612345678",
            "town": "Carvin",
            "message": "",
            "structure_name": "",
            "structure_kind": "",
            "website": "",
            "consent": "on",
        }
        data.update(overrides)
        return {key: value for key, value in data.items() if value is not None}

    return build


def text_of(response) -> str:
    """The page's HTML with entities decoded (« l&#x27;association » → « l'association »)."""
    return html.unescape(response.content.decode())


# Modest example counts keep the suite fast; no example database written in the work tree.
hypothesis_settings.register_profile(
    "ptce",
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ptce"))
