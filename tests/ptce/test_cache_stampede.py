"""Right after a change, many visitors at once cost one render per page: the first renders it,
the others get the previous version's page meanwhile (ptce/cache.py, RENDER_SECONDS), on the
local memory cache and on Redis. The change shows as soon as that render is stored."""

import threading

import environ
import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client
from django.test.signals import template_rendered
from django.utils import timezone

from association.content import content_version
from groups.models import WorkingGroup
from ptce.cache import RENDER_SECONDS, PageKeys
from ptce.demo.volume import SMALL, build_network, page_url
from tests.public_site import frozen, page_text

VISITORS = 12
PAGES = {  # URL name → the template of the page itself
    "home": "ptce/home.html",
    "agenda": "ptce/agenda.html",
    "group_detail": "groups/group_detail.html",
}


@pytest.fixture(params=["locmem", "redis"])
def page_cache(request, settings):
    if request.param == "redis":
        server = request.getfixturevalue("redis_server")
        server.client.flushall()
        settings.CACHES = {
            **settings.CACHES,
            "pages": {**environ.Env.cache_url_config(server.url), "KEY_PREFIX": "pages"},
        }
    return request.param


def _visit_at_once(urls: list[str]) -> tuple[dict[str, int], list[str]]:
    """VISITORS anonymous visitors ask for each URL at the same moment; the renders of each
    page's own template counted, and the pages' texts."""
    renders = dict.fromkeys(PAGES.values(), 0)
    texts, lock = [], threading.Lock()
    start = threading.Barrier(VISITORS * len(urls))

    def count(sender, template, **kwargs):
        if template.name in renders:
            with lock:
                renders[template.name] += 1

    def visitor(url):
        try:
            client = Client()
            start.wait()
            response = client.get(url)
            assert response.status_code == 200
            with lock:
                texts.append(page_text(response))
        finally:
            connection.close()

    template_rendered.connect(count)
    try:
        threads = [
            threading.Thread(target=visitor, args=(url,)) for url in urls for _ in range(VISITORS)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        template_rendered.disconnect(count)
    assert len(texts) == len(threads)  # every visitor got a page
    return renders, texts


def _mark_a_render_in_progress(url: str) -> None:
    keys = PageKeys(f"http://testserver{url}", content_version(), timezone.localdate())
    assert caches["pages"].add(keys.lock, True, RENDER_SECONDS)


@pytest.mark.django_db(transaction=True)
@frozen()
def test_many_visitors_right_after_a_change_cost_one_render_per_page(page_cache):
    net = build_network(**SMALL)
    urls = [page_url(name, net) for name in PAGES]
    for url in urls:
        Client().get(url)  # stored under the current version
    group = WorkingGroup.objects.get(pk=net.group.pk)
    group.name = "Groupe renommé"
    group.save()  # raises the content version: every page is to render again

    renders, texts = _visit_at_once(urls)

    assert renders == dict.fromkeys(PAGES.values(), 1)
    # Each visitor got a whole page, the new one or the previous one meanwhile; and the
    # change shows from the next request on, for everyone.
    assert any("Groupe renommé" in text for text in texts)
    for url in urls:
        assert "Groupe renommé" in page_text(Client().get(url))


@pytest.mark.django_db(transaction=True)
@frozen()
def test_without_a_previous_page_every_visitor_still_gets_one(page_cache):
    """The first visitors of an address never stored: one renders under the mark, the others
    have no previous page to get, and render it too rather than wait."""
    net = build_network(**SMALL)
    renders, texts = _visit_at_once([page_url("group_detail", net)])
    assert 1 <= renders["groups/group_detail.html"] <= VISITORS
    assert all(net.group.name in text for text in texts)


def test_a_render_that_died_holds_the_previous_page_for_render_seconds_only(db):
    """A process stopped while rendering leaves its mark: the previous page is served until the
    mark expires, then the next visitor renders the change."""
    net = build_network(**SMALL)
    url = page_url("group_detail", net)
    with frozen(hour=10) as moment:
        Client().get(url)
        group = WorkingGroup.objects.get(pk=net.group.pk)
        group.name = "Groupe renommé"
        group.save()
        _mark_a_render_in_progress(url)
        assert "Groupe renommé" not in page_text(Client().get(url))  # the previous page
        moment.shift(RENDER_SECONDS + 1)
        assert "Groupe renommé" in page_text(Client().get(url))
