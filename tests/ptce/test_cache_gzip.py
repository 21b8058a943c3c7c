"""A stored page without per-visit values is also stored compressed, once, and served so to the
visitors who accept gzip (every browser and calendar application does); never a page with a
form's tokens (ptce/cache.py)."""

import gzip

import pytest
from django.test import Client

from ptce.cache import accepts_gzip
from ptce.demo.volume import SMALL, build_network, page_url
from tests.public_site import frozen

BROWSER = "gzip, deflate, br, zstd"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", False),
        ("gzip", True),
        (BROWSER, True),
        ("GZIP", True),
        ("x-gzip", True),
        ("*", True),
        ("br", False),
        ("identity", False),
        ("gzip;q=0", False),
        ("gzip; q=0.0, deflate", False),
        ("gzip;q=0.5", True),
        ("*;q=0", False),
        ("br, *;q=0.1", True),
        ("gzip;q=0, *", False),  # named: the star does not overrule it
        ("gzip;q=zero", False),
    ],
)
def test_accepts_gzip_reads_the_qualities(header, expected):
    assert accepts_gzip(header) is expected


@pytest.mark.parametrize(
    "name", ["home", "agenda", "calendar_feed", "structure_list", "event_rss"]
)
@frozen()
def test_a_stored_page_is_served_compressed_to_who_accepts_it(name, db):
    url = page_url(name, build_network(**SMALL))
    plain = Client().get(url)  # rendered and stored
    first = Client().get(url, headers={"Accept-Encoding": BROWSER})
    again = Client().get(url, headers={"Accept-Encoding": BROWSER})
    for compressed in (first, again):
        assert compressed["Content-Encoding"] == "gzip"
        assert gzip.decompress(compressed.content) == plain.content
        assert len(compressed.content) < len(plain.content)
        assert compressed["Vary"] == "Accept-Encoding"
        assert compressed["Content-Type"] == plain["Content-Type"]
    assert first.content == again.content
    assert plain["Vary"] == "Accept-Encoding"
    assert "Content-Encoding" not in plain
    # Two representations, two validators: a cache never mixes them up.
    assert first["ETag"] != plain["ETag"]
    assert "Last-Modified" not in first


@frozen()
def test_the_first_visitor_gets_the_compressed_copy_too(db):
    url = page_url("home", build_network(**SMALL))
    first = Client().get(url, headers={"Accept-Encoding": "gzip"})  # rendered now
    assert first["Content-Encoding"] == "gzip"
    assert gzip.decompress(first.content) == Client().get(url).content


@frozen()
def test_each_representation_answers_304_to_its_own_etag_only(db):
    url = page_url("agenda", build_network(**SMALL))
    plain = Client().get(url)
    compressed = Client().get(url, headers={"Accept-Encoding": "gzip"})
    both = {"Accept-Encoding": "gzip"}
    not_modified = Client().get(url, headers={**both, "If-None-Match": compressed["ETag"]})
    assert not_modified.status_code == 304
    assert "Content-Length" not in not_modified  # RFC 9110 8.6: none, or the 200's
    assert not_modified["ETag"] == compressed["ETag"]
    assert not_modified["Vary"] == "Accept-Encoding"
    # The identity copy's validator from a client that now asks for gzip: a new body.
    changed = Client().get(url, headers={**both, "If-None-Match": plain["ETag"]})
    assert changed.status_code == 200
    assert changed["Content-Encoding"] == "gzip"
    assert Client().get(url, headers={"If-None-Match": plain["ETag"]}).status_code == 304


@pytest.mark.parametrize("header", ["gzip;q=0", "identity", ""])
@frozen()
def test_who_refuses_gzip_gets_the_page_as_is(header, db):
    url = page_url("home", build_network(**SMALL))
    Client().get(url)
    response = Client().get(url, headers={"Accept-Encoding": header})
    assert "Content-Encoding" not in response
    assert b"<html" in response.content


@pytest.mark.parametrize("name", ["join_form", "meeting_detail"])
@frozen()
def test_a_page_with_tokens_is_never_compressed(name, db):
    """Secrets in a compressed page beside what a visitor can make it show: BREACH."""
    net = build_network(**SMALL)
    url = "/adherer/" if name == "join_form" else page_url(name, net)
    for _ in range(2):  # rendered, then from the cache
        response = Client().get(url, headers={"Accept-Encoding": "gzip"})
        assert "Content-Encoding" not in response
        assert b"csrfmiddlewaretoken" in response.content
