"""The page cache is declared at the view (association/page_cache.py): a view is cached only if
it says `@cached_page(…)`, with the query parameters it reads; one that reads a parameter it
did not declare is an error, logged, and its page is not stored."""

import logging

import pytest
from django.core.cache import caches
from django.http import HttpResponse
from django.test import Client
from django.urls import path, resolve

from association.page_cache import cached_page, declaration_of, page_number, text
from ptce.demo.volume import SMALL, build_network
from tests.public_site import frozen
from tests.test_hostile_input import addresses

UNDECLARED = "ptce.cache"


@cached_page(page=page_number)
def sorted_list(request):
    return HttpResponse(f"page {request.GET.get('page')}, tri {request.GET.get('tri')}")


RENDERS = []


@cached_page(groupe=text, page=page_number)
def filtered_list(request):
    RENDERS.append(request.GET.urlencode())
    return HttpResponse(f"{request.GET.get('groupe')} p{request.GET.get('page')}")


def plain(request):
    return HttpResponse("ok")


urlpatterns = [  # these tests' own addresses (pytest.mark.urls)
    path("liste/", sorted_list, name="sorted_list"),
    path("l/", filtered_list, name="filtered_list"),
    path("simple/", plain, name="plain"),
]
own_addresses = pytest.mark.urls(__name__)


@pytest.fixture
def empty_page_cache():
    caches["pages"].clear()
    yield caches["pages"]
    caches["pages"].clear()


@own_addresses
@pytest.mark.logged_errors
def test_a_view_reading_a_parameter_it_did_not_declare_is_an_error_and_not_stored(
    db, caplog, empty_page_cache
):
    with caplog.at_level(logging.ERROR, logger=UNDECLARED):
        response = Client().get("/liste/?page=2&tri=nom")
    # The undeclared parameter was taken out before the view: it never sees a visitor's value.
    assert response.content == b"page 2, tri None"
    assert "tri" in caplog.text and "cached_page" in caplog.text
    assert len(empty_page_cache._cache) == 0


@own_addresses
def test_a_view_reading_only_what_it_declared_is_stored_once_for_every_spelling(
    db, caplog, empty_page_cache
):
    RENDERS.clear()
    with caplog.at_level(logging.ERROR, logger=UNDECLARED):
        for url in ("/l/?page=02&groupe=emploi", "/l/?groupe=emploi&page=2&utm_source=x"):
            assert Client().get(url).content == b"emploi p2"
    assert RENDERS == ["groupe=emploi&page=2"]  # declared order, one spelling, one render
    assert caplog.text == ""


@own_addresses
def test_a_view_that_declares_nothing_is_never_cached(db, empty_page_cache):
    assert declaration_of(plain) is None
    assert Client().get("/simple/").content == b"ok"
    assert len(empty_page_cache._cache) == 0


@frozen()
def test_no_cached_page_of_the_site_reads_a_parameter_it_did_not_declare(db, caplog):
    """Every public address, opened by a visitor with every parameter a page of the site
    reads: each cached view is rendered once and finds only what it declared."""
    net = build_network(**SMALL)
    visitor = Client()
    every_parameter = {
        "groupe": net.group.slug,
        "structure": net.structure.slug,
        "type": "reunions",
        "page": "2",
        "membres": "on",
        "v": "1",
        "p": "1",
    }
    cached = [url for url in addresses(net, "x") if declaration_of(resolve(url).func)]
    assert len(cached) >= 20  # home, agenda, directory, groups, events, feeds, report…
    with caplog.at_level(logging.ERROR, logger=UNDECLARED):
        for url in cached:
            visitor.get(url, every_parameter)
    assert "does not declare" not in caplog.text, caplog.text
