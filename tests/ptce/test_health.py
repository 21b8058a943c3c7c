"""The health endpoint, and the French 503 page when the database cannot be reached."""

import datetime
import json
import sys
import threading

import pytest
from django.db import connection, connections
from django.test import Client, RequestFactory
from django.utils import timezone

from ptce.health import health
from tests.conftest import free_port
from tests.factories import OutgoingMailFactory, SiteIdentityFactory


@pytest.fixture
def database_down(db):
    """The default connection swapped for one to a database that cannot be reached: a SQLite
    file in a folder that does not exist, or a PostgreSQL port nobody listens on."""
    original = connections["default"]
    unreachable = dict(original.settings_dict)
    if original.vendor == "sqlite":
        unreachable["NAME"] = "/nonexistent-folder/ptce.sqlite3"
    else:
        unreachable.update(HOST="127.0.0.1", PORT=str(free_port()))
    down = type(original)(unreachable, "default")
    connections["default"] = down
    yield
    down.close()
    connections["default"] = original


def test_health_reports_the_database_the_cache_and_the_mail(db, client):
    SiteIdentityFactory()
    response = client.get("/sante/")
    assert response.status_code == 200
    assert response.json() == {
        "database": "ok",
        "cache": "ok",
        "caches": {"default": "ok", "pages": "ok", "limits": "ok"},
        "oldest_pending_mail_seconds": None,
        "mail": "ok",
        "status": "ok",
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_says_when_mail_waits_too_long(db, client):
    OutgoingMailFactory(created_at=timezone.now() - datetime.timedelta(hours=1))
    report = client.get("/sante/").json()
    assert report["mail"] == "en retard"
    assert report["oldest_pending_mail_seconds"] >= 3600
    assert report["status"] == "degraded"


@pytest.mark.logged_errors
def test_health_is_503_when_the_database_is_down(database_down):
    response = Client(raise_request_exception=False).get("/sante/")
    assert response.status_code == 503
    assert response.json() == {"database": "indisponible", "status": "down"}


@pytest.mark.logged_errors
@pytest.mark.parametrize("path", ["/", "/agenda/", "/adherer/", "/agenda/calendrier.ics"])
def test_a_page_is_a_french_503_when_the_database_is_down(database_down, path):
    response = Client(raise_request_exception=False).get(path)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    page = response.content.decode()
    assert "Le site est momentanément indisponible" in page
    assert "Traceback" not in page


@pytest.mark.logged_errors
def test_a_join_request_sent_while_the_database_is_down_is_refused_not_lost(database_down):
    response = Client(raise_request_exception=False).post("/adherer/", {"first_name": "Louise"})
    assert response.status_code == 503
    assert "pas été enregistrée" in response.content.decode()


def test_the_portal_answers_again_once_the_database_is_back(db, client):
    SiteIdentityFactory()
    assert client.get("/").status_code == 200


def test_a_monitor_gets_503_from_the_strict_address_when_degraded(db, client):
    # UptimeRobot and the like read the status code: « degraded » with a 200 looked healthy.
    SiteIdentityFactory()
    assert client.get("/sante/?strict").status_code == 200
    OutgoingMailFactory(created_at=timezone.now() - datetime.timedelta(hours=1))
    strict = client.get("/sante/?strict")
    assert strict.status_code == 503
    assert strict.json()["status"] == "degraded"
    # The container's healthcheck and the proxy keep the plain address: a late mail is no
    # reason to take the web process out of service.
    assert client.get("/sante/").status_code == 200


def test_health_probes_running_side_by_side_do_not_report_each_other(db, settings):
    # A monitoring service and the proxy poll at once: each probe reads back its own value.
    # Every alias in memory: the test's transaction holds the SQLite file's write lock, and
    # the database caches' writes from the threads would wait on it.
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in settings.CACHES
    }
    request = RequestFactory().get("/sante/")
    states = []

    def worker():
        # 20 probes on one database connection, closed after: as a web worker's thread.
        try:
            for _ in range(20):
                states.append(json.loads(health(request).content)["caches"]["default"])
        finally:
            connection.close()

    switch = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # threads take turns often, as 40 requests on workers do
    try:
        threads = [threading.Thread(target=worker) for _ in range(20)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch)
    assert len(states) == 400
    assert set(states) == {"ok"}
