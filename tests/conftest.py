"""Shared fixtures: personas named after our users, and a guard against logged errors."""

import logging

import pytest
from django.contrib.auth.models import Group

from association.roles import COORDINATOR_GROUP
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
