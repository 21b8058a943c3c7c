"""The portal on a real Redis, as production may point CACHE_URL and PAGE_CACHE_URL at it:
rendered pages shared between processes, the join form's per-visit tokens, the public forms'
limits counted there, the health report, and Redis dying under the portal."""

import logging
import os
import re
import runpy
from pathlib import Path

import environ
import pytest
import redis
from django.conf import settings as django_settings
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from association import ratelimit
from groups.models import WorkingGroup
from joining.antispam import read_form_token
from joining.models import JoinRequest
from ptce.cache import KEY_PREFIX
from ptce.demo.volume import SMALL, build_network, page_url
from space.limits import CLIENT_PREFIX
from tests.conftest import RedisServer, free_port
from tests.public_site import frozen, page_text

FORM_TOKEN = re.compile(r'name="form_token" value="([^"]+)"')


def _on(settings, url: str) -> None:
    """Every cache on Redis, configured from URLs as ptce/settings.py does."""
    settings.CACHES = {
        "default": environ.Env.cache_url_config(url),
        "pages": {**environ.Env.cache_url_config(url), "KEY_PREFIX": "pages"},
        "limits": {**environ.Env.cache_url_config(url), "KEY_PREFIX": "limits"},
    }


@pytest.fixture
def on_redis(settings, redis_server):
    redis_server.client.flushall()
    _on(settings, redis_server.url)
    return redis_server


@frozen()
def test_a_page_rendered_once_is_served_from_redis_to_every_process(
    db, client, on_redis, django_assert_num_queries
):
    net = build_network(**SMALL)
    url = page_url("group_detail", net)
    rendered = client.get(url)
    assert [key for key in on_redis.client.keys("*") if KEY_PREFIX.encode() in key]  # in Redis
    with django_assert_num_queries(1):  # the content version alone
        served = client.get(url)
    assert served.content == rendered.content
    assert served["ETag"] == rendered["ETag"]
    on_redis.client.flushall()  # the copy was Redis's, in no process's memory
    with CaptureQueriesContext(connection) as again:
        client.get(url)
    assert len(again) > 1  # rendered again


@frozen()
def test_a_change_shows_on_the_next_request_with_redis(db, client, on_redis):
    net = build_network(**SMALL)
    url = page_url("group_detail", net)
    client.get(url)
    WorkingGroup.objects.filter(pk=net.group.pk).update(name="Nom changé")  # no signal…
    assert "Nom changé" not in page_text(client.get(url))
    group = WorkingGroup.objects.get(pk=net.group.pk)
    group.save()  # …a save raises the version
    assert "Nom changé" in page_text(client.get(url))


@pytest.mark.django_db(transaction=True)
def test_the_join_form_from_redis_has_fresh_tokens_and_is_accepted(
    client, site_identity, on_redis, join_data
):
    tokens = [FORM_TOKEN.search(client.get("/adherer/").content.decode())[1] for _ in range(3)]
    assert len(set(tokens)) == 3  # rendered, then twice from Redis with new tokens
    assert all(read_form_token(token) is not None for token in tokens)
    assert client.post("/adherer/", join_data()).status_code == 302
    assert JoinRequest.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_join_limit_is_counted_in_redis(client, site_identity, on_redis, join_data, settings):
    settings.JOIN_RATE_LIMIT = 2
    answers = [client.post("/adherer/", join_data()).status_code for _ in range(3)]
    assert answers == [302, 302, 429]
    assert JoinRequest.objects.count() == 2
    assert any(b"join" in key for key in on_redis.client.keys("*"))


def test_health_reports_redis(db, client, on_redis):
    assert client.get("/sante/").json()["cache"] == "ok"


@pytest.mark.logged_errors  # the operator is told the cache failed
@pytest.mark.django_db(transaction=True)
def test_when_redis_dies_join_requests_are_kept_and_pages_served(
    client, site_identity, join_data, settings, tmp_path
):
    dying = RedisServer(tmp_path)
    _on(settings, dying.url)
    settings.JOIN_RATE_LIMIT = 1
    assert client.get("/adherer/").status_code == 200  # stored in Redis
    assert client.post("/adherer/", join_data()).status_code == 302  # counted in Redis
    dying.stop()
    # Over the limit, but Redis cannot say so: the limit fails open, nothing is lost.
    assert client.post("/adherer/", join_data(email="autre@example.org")).status_code == 302
    assert JoinRequest.objects.count() == 2
    page = client.get("/adherer/")
    assert page.status_code == 200 and FORM_TOKEN.search(page.content.decode())
    assert client.get("/sante/").json()["cache"] == "erreur"


# --- The caches as ptce/settings.py builds them from the environment ------------------------


def _settings_module(monkeypatch, **environment) -> dict:
    """ptce/settings.py read afresh, as a process started with `environment` reads it."""
    for name, value in {"ENV_FILE": os.devnull, "DEBUG": "on", **environment}.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR) / "ptce" / "settings.py"))


def _database(url: str, number: int) -> str:
    return url.rsplit("/", 1)[0] + f"/{number}"


@frozen()
def test_pages_are_stored_in_redis_as_the_settings_module_configures_it(
    db, client, settings, redis_server, monkeypatch, caplog
):
    redis_server.client.flushall()
    module = _settings_module(
        monkeypatch,
        CACHE_URL=redis_server.url,
        PAGE_CACHE_URL=_database(redis_server.url, 1),
    )
    settings.CACHES = module["CACHES"]
    net = build_network(**SMALL)
    url = page_url("group_detail", net)
    with caplog.at_level(logging.WARNING, logger="ptce.cache"):
        rendered = client.get(url)
        served = client.get(url)
    assert not caplog.records  # no « Page cache unavailable »
    assert served.content == rendered.content
    pages = redis.Redis.from_url(_database(redis_server.url, 1))
    assert [key for key in pages.keys("*") if KEY_PREFIX.encode() in key]
    report = client.get("/sante/").json()
    assert report["cache"] == "ok" and report["status"] == "ok"


def test_health_reports_a_page_cache_that_fails(db, client, settings, monkeypatch, redis_server):
    module = _settings_module(
        monkeypatch,
        CACHE_URL=redis_server.url,
        PAGE_CACHE_URL=f"redis://127.0.0.1:{free_port()}/0",  # nobody listens there
    )
    settings.CACHES = module["CACHES"]
    report = client.get("/sante/").json()
    assert report["cache"] == "erreur"
    assert report["caches"]["pages"] == "erreur"
    assert report["status"] == "degraded"


# --- The rate limits where nothing else can push them out ---------------------------------------


def _ask_for_a_link(client, address: str = "198.51.100.7"):
    return client.post(
        reverse("space:sign_in"), {"email": "inconnue@example.org"}, REMOTE_ADDR=address
    )


@pytest.mark.logged_errors  # a full Redis may refuse a page (« OOM »): logged, page served
@frozen()  # the counters' window of an hour must not turn during the test
def test_page_churn_in_a_full_redis_does_not_forget_the_rate_limits(
    db, client, settings, monkeypatch, tmp_path
):
    # The deploy guide's first layout: one Redis, a ceiling, least used keys forgotten.
    full = RedisServer(tmp_path, "--maxmemory", "4mb", "--maxmemory-policy", "allkeys-lru")
    try:
        module = _settings_module(
            monkeypatch, CACHE_URL=full.url, PAGE_CACHE_URL=_database(full.url, 1)
        )
        settings.CACHES = module["CACHES"]
        settings.SPACE_CLIENT_LIMIT = 3
        assert [_ask_for_a_link(client).status_code for _ in range(3)] == [200] * 3
        pages = caches["pages"]
        for number in range(300):  # 15 MB of pages through a 4 MB Redis
            pages.set(f"churn-{number}", os.urandom(50_000))
        assert _ask_for_a_link(client).status_code == 429
    finally:
        full.stop()


@frozen()  # the counters' window of an hour must not turn during the test
def test_a_busy_site_does_not_cull_the_rate_limits_from_the_database_cache(
    db, client, settings, monkeypatch
):
    # The defaults: every cache in the database. Many clients' counters fill the table.
    module = _settings_module(monkeypatch)
    settings.CACHES = {**module["CACHES"], "pages": settings.CACHES["pages"]}
    settings.SPACE_CLIENT_LIMIT = 3
    assert [_ask_for_a_link(client).status_code for _ in range(3)] == [200] * 3
    # Other clients, each counted once by what the form counts with (1200 requests through
    # the client took most of the 60 s time limit on PostgreSQL on a busy machine).
    window = settings.SPACE_RATE_WINDOW
    for number in range(1200):
        ratelimit.hit(CLIENT_PREFIX, f"10.0.{number // 250}.{number % 250}", window=window)
    assert _ask_for_a_link(client).status_code == 429
