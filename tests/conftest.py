"""Shared fixtures: personas named after our users, and a guard against logged errors."""

import datetime
import email
import email.policy
import html
import importlib
import io
import logging
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import time_machine
from aiosmtpd.controller import Controller
from django.contrib.auth.models import Group
from django.core.cache import cache, caches
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from association import calendars
from association.models import SiteIdentity
from association.roles import COORDINATOR_GROUP
from joining.antispam import issue_form_token
from tests.factories import SiteIdentityFactory, UserFactory

pytest_plugins = ["tests.time_limits"]


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """The long tests first (the browser's and those marked `slow`), the rest in their order:
    the workers share out the long ones while every test is still to run, and the run ends on
    short ones, never on one worker finishing a long test while the other waits."""
    items.sort(
        key=lambda item: (
            not (item.get_closest_marker("browser") or item.get_closest_marker("slow"))
        )
    )


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """On SQLite, the test database is a file (in memory-backed /dev/shm where there is one),
    not Django's shared in-memory database: with the latter the live server's request threads
    all share the test thread's one connection, and two of them inside SQLite at once can hang
    the run. With a file each thread opens its own connection, under the settings' WAL, busy
    timeout and immediate transactions, exactly as production's processes do."""
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        yield
        return
    shm = Path("/dev/shm")
    folder = Path(
        tempfile.mkdtemp(
            prefix="ptce-tests-", dir=shm if shm.is_dir() and os.access(shm, os.W_OK) else None
        )
    )
    database.setdefault("TEST", {})["NAME"] = str(folder / "test.sqlite3")
    yield
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def documents_root(tmp_path_factory):
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(autouse=True)
def _plain_static_storage(settings, documents_root):
    # Tests must not need `collectstatic`: the manifest storage would fail on missing files.
    # The groups' documents go to a temporary folder, never the work tree's.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        "documents": {
            "BACKEND": "association.uploads.PrivateFileSystemStorage",
            "OPTIONS": {"location": str(documents_root)},
        },
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


@pytest.fixture
def superuser(db):
    """The technical administrator: a superuser, outside every role."""
    return UserFactory(username="racine", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


# --- Mail, forms and pages of the member file and the join workflow ----------------------------

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """The rate limit lives in the database cache, which a transactional test does not roll
    back: start every test that touches the database with an empty cache. The rendered pages
    too: a rolled-back test leaves the content version where it was, under which another
    test's pages would be found. And the calendar entries kept in the process: rolled-back
    rows come back under the same keys with other contents' pks."""
    caches["pages"].clear()
    calendars.forget_entries()
    for name in ("transactional_db", "db"):
        if name in request.fixturenames:
            request.getfixturevalue(name)
            cache.clear()
            caches["limits"].clear()
            break


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class RedisServer:
    """A real Redis (Debian's redis-server) on a free loopback port, with nothing on disk, as
    production's CACHE_URL points at. `stop()` kills it, as a crash does."""

    def __init__(self, folder, *options: str):
        binary = shutil.which("redis-server")
        if binary is None:
            message = "redis-server is missing: apt-get install redis-server"
            if os.environ.get("CI"):
                pytest.fail(message)  # CI installs it: never skip there
            pytest.skip(message)
        self.url = f"redis://127.0.0.1:{free_port()}/0"
        port = self.url.rsplit(":", 1)[1].split("/")[0]
        self.process = subprocess.Popen(
            [
                *(binary, "--port", port, "--bind", "127.0.0.1"),
                *("--save", "", "--appendonly", "no", *options),
            ],
            cwd=folder,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        import redis

        client = redis.Redis.from_url(self.url)
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            self.stop()
            pytest.fail(f"redis-server did not start on {self.url}")
        self.client = client

    def stop(self) -> None:
        self.process.kill()
        self.process.wait(timeout=10)


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    yield server
    server.stop()


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
def newsletter():
    """The newsletter's content, as `make run` loads it (the database is the test's to open)."""
    call_command("load_newsletter", stdout=io.StringIO())


@pytest.fixture
def identity(db):
    """An imaginary PTCE's identity (tests.factories): pages take every word from the record."""
    return SiteIdentityFactory()


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


def breadcrumbs_of(page: str) -> list[tuple[str, str]]:
    """(link, text) of each item of the admin's breadcrumb bar (<ol class="breadcrumbs">), the
    link empty for the current page."""
    (bar,) = re.findall(r'<ol class="breadcrumbs">(.*?)</ol>', page, re.S)
    return [
        (href, re.sub(r"<[^>]+>|\s+", " ", text, flags=re.ASCII).strip())
        for href, text in re.findall(r'<li[^>]*>(?:<a href="([^"]*)">)?(.*?)</li>', bar, re.S)
    ]


# Modest example counts keep the suite fast; no example database written in the work tree.
hypothesis_settings.register_profile(
    "ptce",
    max_examples=60,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
hypothesis_settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ptce"))


# --- Two groups, their participants and leads (the leads' and the partners' space's tests) ----


class TwoGroups:
    """Group A and group B, each with a participant, a lead with a back-office account, a
    past meeting whose minutes are reserved to the participants, an upcoming meeting, a
    series, a project and documents. What of B is not public (its participant's name, its
    reserved minutes and document) carries « SECRET-B », so that a page leaking it to A's
    people shows."""

    def __init__(self):
        from association.roles import LEAD_GROUP
        from groups.models import Document, Meeting
        from tests import factories

        today = datetime.date.today()
        lead_role = Group.objects.get(name=LEAD_GROUP)
        for key, name in (("a", "Alimentation durable"), ("b", "Mobilité solidaire")):
            marker = f"SECRET-{key.upper()}"
            group = factories.WorkingGroupFactory(name=name, slug=f"groupe-{key}")
            participant = factories.PersonFactory(
                first_name=f"Part{key}",
                last_name=f"Icipant{marker}",
                email=f"participant-{key}@example.org",
            )
            group.participant_people.add(participant)
            lead = factories.GroupLeadFactory(group=group, person__last_name=f"Chef{key}")
            user = factories.UserFactory(username=f"chef-{key}", is_staff=True)
            user.groups.add(lead_role)
            lead.user = user
            lead.save()
            past = factories.MeetingFactory(
                group=group,
                date=today - datetime.timedelta(days=10),
                minutes=f"Compte rendu {marker}",
                minutes_visibility=Meeting.Visibility.PARTICIPANTS,
                status=Meeting.Status.HELD,
            )
            upcoming = factories.MeetingFactory(
                group=group, date=today + datetime.timedelta(days=10)
            )
            setattr(self, f"group_{key}", group)
            setattr(self, f"participant_{key}", participant)
            setattr(self, f"lead_{key}", lead)
            setattr(self, f"lead_user_{key}", user)
            setattr(self, f"past_{key}", past)
            setattr(self, f"upcoming_{key}", upcoming)
            setattr(self, f"series_{key}", factories.MeetingSeriesFactory(group=group))
            setattr(
                self,
                f"project_{key}",
                factories.ProjectFactory(group=group, name=f"Projet {key}"),
            )
            setattr(
                self,
                f"document_{key}",
                factories.DocumentFactory(group=group, meeting=past, title=f"Document {marker}"),
            )
            setattr(
                self,
                f"public_document_{key}",
                factories.DocumentFactory(
                    group=group, title=f"Affiche {key}", visibility=Document.Visibility.PUBLIC
                ),
            )


@pytest.fixture
def two_groups(db):
    return TwoGroups()


def sign_in_to_space(client, person) -> None:
    """What following a sign-in link leaves in the session."""
    from space.session import SESSION_KEY

    session = client.session
    session[SESSION_KEY] = person.pk
    session.save()


@pytest.fixture
def lead_client(client, two_groups):
    """Group A's lead in the back-office (two_groups): their group only, not B's."""
    client.force_login(two_groups.lead_user_a)
    return client


@pytest.fixture
def partner_client(client, two_groups):
    """A participant of group A signed in to « Mon espace » (two_groups)."""
    sign_in_to_space(client, two_groups.participant_a)
    return client


@pytest.fixture
def legal_rules(db):
    """The SCIC's rules and categories, which its data migrations load. A committed test run
    before (the browser's, the worker's) flushes every table, them included: load them again."""
    from django.apps import apps

    from scic.models import Rule

    if Rule.objects.exists():
        return
    for name in (
        "0002_legal_rules_and_append_only_register",
        "0004_min_colleges_rule",
        "0008_email_convocation_consent",
    ):
        importlib.import_module(f"scic.migrations.{name}").load(apps, None)
