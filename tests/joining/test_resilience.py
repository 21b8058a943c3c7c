"""The join-us form keeps a visitor's request when the cache fails, and the cache table is
made by `migrate` and checked in production. These tests drop the real cache table, as a
forgotten `createcachetable` leaves it; they commit for real (the site runs in autocommit,
where a failed cache query does not spoil the request's own writes), hence
`transactional_db`, and put the table back afterwards."""

import pytest
from django.core import checks
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, router
from django.test import override_settings
from django.urls import reverse

from joining.models import JoinMailKind, JoinRequest
from ptce.checks import check_cache_table

pytestmark = pytest.mark.django_db(transaction=True)

JOIN_URL = "/adherer/"


def cache_table() -> str:
    return caches["limits"]._table  # the join form's limits


def cache_table_exists() -> bool:
    with connection.cursor() as cursor:
        return cache_table() in connection.introspection.table_names(cursor)


@pytest.fixture
def without_cache_table(settings):
    """The database cache's table is missing, as when `createcachetable` was forgotten."""
    configured = settings.CACHES
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE {connection.ops.quote_name(cache_table())}")
    assert not cache_table_exists()
    yield
    with override_settings(CACHES=configured):  # the test may have changed them
        call_command("createcachetable", verbosity=0)


@pytest.mark.logged_errors  # the failing cache is logged for the operator
def test_without_the_cache_table_the_request_is_saved_and_acknowledged(
    client, site_identity, join_data, without_cache_table, caplog
):
    response = client.post(JOIN_URL, join_data())

    assert response.status_code == 302
    assert response["Location"] == reverse("joining:join_done")
    join_request = JoinRequest.objects.get()
    assert sorted(join_request.outgoing_mails.values_list("kind", flat=True)) == sorted(
        [JoinMailKind.APPLICANT_ACKNOWLEDGEMENT, JoinMailKind.COORDINATOR_NOTIFICATION]
    )
    assert "Merci Louise" in client.get(response["Location"]).content.decode()
    assert any(
        "cache" in r.getMessage() for r in caplog.records if r.name == "association.ratelimit"
    )


@pytest.mark.logged_errors
def test_without_the_cache_table_a_second_request_is_saved_too(
    client, site_identity, join_data, without_cache_table, settings
):
    settings.JOIN_RATE_LIMIT = 1  # cannot be counted: the limit fails open

    assert client.post(JOIN_URL, join_data()).status_code == 302
    assert client.post(JOIN_URL, join_data()).status_code == 302
    assert JoinRequest.objects.count() == 2


def test_the_deployment_check_reports_a_missing_cache_table(without_cache_table):
    errors = check_cache_table(app_configs=None)

    assert [e.id for e in errors] == ["ptce.E001"]
    assert errors[0].level == checks.ERROR
    assert cache_table() in errors[0].msg
    assert "migrate" in errors[0].hint
    found = checks.run_checks(include_deployment_checks=True)
    assert "ptce.E001" in [e.id for e in found]


def test_the_deployment_check_is_quiet_when_the_table_exists():
    assert check_cache_table(app_configs=None) == []


def test_the_deployment_check_ignores_other_caches(settings, without_cache_table):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

    assert check_cache_table(app_configs=None) == []


def test_the_check_is_not_run_by_migrate_nor_ordinary_checks(without_cache_table):
    # `migrate` runs the ordinary checks before it creates anything: it must not refuse.
    assert "ptce.E001" not in [e.id for e in checks.run_checks()]


def test_migrate_creates_the_cache_table(without_cache_table):
    call_command("migrate", verbosity=0, interactive=False)

    assert cache_table_exists()
    assert router.db_for_write(caches["limits"].cache_model_class) == "default"
