"""Query parameters a public page does not read are taken out of an anonymous visitor's request
before the page cache looks it up (ptce/cache.py, each view's @cached_page declaration): a
link with « ?utm_source=… », or a visitor making up parameters to fill the server's memory, gets
the stored page."""

import re

import pytest
from django.core.cache import caches
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from association.page_cache import declaration_of
from ptce.agenda import AgendaFilterForm
from ptce.demo.volume import SMALL, build_network, page_url
from ptce.directory import StructureFilterForm
from tests.public_site import frozen


def _renders(client, url: str) -> tuple[bytes, int]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response.content, len(queries)


@pytest.mark.parametrize(
    "name", ["home", "agenda", "calendar_feed", "group_detail", "structure_list", "event_list"]
)
@frozen()
def test_made_up_parameters_get_the_stored_page(name, db, client):
    url = page_url(name, build_network(**SMALL))
    page, _ = _renders(client, url)
    stored = len(caches["pages"]._cache)
    for number in range(20):
        junk, queries = _renders(client, f"{url}?utm_source=lettre&x={number}")
        assert junk == page
        assert queries == 1  # the content version: no render
    assert len(caches["pages"]._cache) == stored  # no new entry


@frozen()
def test_a_page_shows_its_own_address_without_the_made_up_parameters(db, client):
    build_network(**SMALL)
    html = client.get("/agenda/?utm_source=lettre&type=reunions").content.decode()
    assert 'content="http://testserver/agenda/?type=reunions"' in html  # og:url
    assert "utm_source" not in html


@frozen()
def test_the_parameters_a_page_reads_still_make_their_own_page(db, client):
    net = build_network(**SMALL)
    agenda = reverse("site:agenda")
    filtered = f"{agenda}?groupe={net.group.slug}&type=reunions"
    whole, _ = _renders(client, agenda)
    only_group, _ = _renders(client, filtered)
    assert only_group != whole
    # The same filters in another order, with junk: the same stored page.
    reordered, queries = _renders(
        client, f"{agenda}?type=reunions&fbclid=1&groupe={net.group.slug}"
    )
    assert (reordered, queries) == (only_group, 1)


def test_the_filters_forms_read_only_declared_parameters():
    def declared(view_name):
        return set(declaration_of(resolve(reverse(view_name)).func).parameters)

    for view_name in ("site:agenda", "site:agenda_archive"):
        assert set(AgendaFilterForm.base_fields) <= declared(view_name)
    assert set(StructureFilterForm.base_fields) <= declared("site:structure_list")


@frozen()
def test_a_coordinator_keeps_every_parameter(db, coordinator_client):
    build_network(**SMALL)
    response = coordinator_client.get("/agenda/?utm_source=lettre")
    assert "utm_source=lettre" in response.content.decode()  # og:url, rendered for them


@frozen()
def test_the_sitemap_keeps_its_page_parameter(db, client, coordinator_client):
    build_network(**SMALL)
    sitemap = reverse("site:sitemap")
    assert client.get(f"{sitemap}?p=1").content == client.get(sitemap).content
    # Beyond its pages, Django's sitemap answers 404, to a visitor as to a coordinator.
    assert client.get(f"{sitemap}?p=2").status_code == 404
    assert coordinator_client.get(f"{sitemap}?p=2").status_code == 404


# --- Made-up values of the declared parameters (issue 18, item 4) -----------------------------


def _entries() -> int:
    return len(caches["pages"]._cache)


@pytest.mark.parametrize(
    ("name", "variants"),
    [
        ("theme_css", [f"?v={number}" for number in range(15)]),
        ("agenda", ["?page=1", "?page=01", "?page=0001", "?page=abc", "?page=-1", "?page=1.0"]),
        ("agenda_archive", ["?page=2", "?page=02", "?page=002", "?page=2&page=2"]),
        ("structure_list", ["?membres=on", "?membres=true", "?membres=1", "?membres=oui"]),
        ("agenda", [f"?type=reunions&type=x{number}" for number in range(5)]),
    ],
)
@frozen()
def test_made_up_values_of_a_declared_parameter_make_no_new_entry(name, variants, db, client):
    url = page_url(name, build_network(**SMALL)).split("?")[0]
    client.get(url + variants[0])
    stored = _entries()
    for variant in variants[1:]:
        assert client.get(url + variant).status_code == 200
    assert _entries() == stored


@frozen()
def test_the_current_theme_version_still_gets_its_long_lived_copy(db, client):
    build_network(**SMALL)
    home = client.get("/").content.decode()
    current = re.search(r'href="(/theme\.css\?v=[^"]+)"', home)[1]
    assert "immutable" in client.get(current)["Cache-Control"]
    assert "immutable" not in client.get("/theme.css?v=autre")["Cache-Control"]


@pytest.mark.parametrize(
    "query",
    [
        "?page=99999",  # past the last page
        "?groupe=inconnu",  # no such group
        "?type=inconnu",
    ],
)
@frozen()
def test_a_value_no_link_gives_is_answered_but_not_stored(query, db, client):
    build_network(**SMALL)
    client.get("/adherer/")  # stored without its parameters
    stored = _entries()
    for path in ("/agenda/", "/agenda/archives/", "/structures/"):
        assert client.get(path + query).status_code in (200, 404)
    client.get("/adherer/" + query)
    assert _entries() == stored


@frozen()
def test_an_unknown_structure_in_the_events_list_is_not_stored(db, client):
    build_network(**SMALL)
    client.get("/adherer/")
    stored = _entries()
    for number in range(3):
        response = client.get(f"{reverse('events:event_list')}?structure=inconnue-{number}")
        assert response.status_code == 404
    assert _entries() == stored


@frozen()
def test_a_host_port_makes_no_new_entry(db, client, settings):
    settings.ALLOWED_HOSTS = ["portail.example.org"]
    settings.SITE_URL = "https://portail.example.org"
    build_network(**SMALL)
    client.get("/agenda/", HTTP_HOST="portail.example.org")
    stored = _entries()
    for port in range(8000, 8010):
        page = client.get("/agenda/", HTTP_HOST=f"portail.example.org:{port}")
        assert page.status_code == 200
    assert _entries() == stored
    # And no visitor gets a page with another visitor's port in its links.
    assert ":8009" not in client.get("/agenda/", HTTP_HOST="portail.example.org").content.decode()


@frozen()
def test_a_host_spelled_otherwise_makes_no_new_entry(db, client, settings):
    # ALLOWED_HOSTS takes any case and a final dot (DNS's root): without a proxy that rewrites
    # the Host (nginx's $host does), each spelling would be a new entry.
    settings.ALLOWED_HOSTS = ["portail.example.org"]
    settings.SITE_URL = "https://portail.example.org"
    build_network(**SMALL)
    client.get("/agenda/", HTTP_HOST="portail.example.org")
    stored = _entries()
    spellings = ["PORTAIL.example.org", "Portail.Example.Org", "portail.example.org."]
    spellings += [f"portail.example.{'o' * (n % 2) + 'O' * (1 - n % 2)}rG" for n in range(4)]
    for host in spellings:
        assert client.get("/agenda/", HTTP_HOST=host).status_code == 200
    assert _entries() == stored
    # And no visitor gets a page with another visitor's spelling in its links.
    page = client.get("/agenda/", HTTP_HOST="portail.example.org")
    assert "PORTAIL" not in page.content.decode()


@pytest.mark.parametrize("name", ["meeting_detail", "meeting_ics"])
@frozen()
def test_a_number_in_the_path_spelled_otherwise_makes_no_new_entry(name, db, client):
    # « /reunions/0042/ » opens meeting 42 (the converter reads a whole number): each count
    # of zeros was a new entry.
    url = page_url(name, build_network(**SMALL))
    client.get(url)
    stored = _entries()
    number = re.search(r"/(\d+)/", url)[1]
    for zeros in range(1, 8):
        padded = url.replace(f"/{number}/", f"/{'0' * zeros}{number}/")
        assert client.get(padded).status_code == 200
    assert _entries() == stored


@frozen()
def test_a_year_spelled_otherwise_makes_no_new_entry(db, client):
    build_network(**SMALL)
    url = reverse("report:latest_report")
    year_page = client.get(url)["Location"]
    client.get(year_page)
    stored = _entries()
    year = re.search(r"/(\d{4})/", year_page)[1]
    for zeros in range(1, 8):
        assert client.get(year_page.replace(year, "0" * zeros + year)).status_code == 200
    assert _entries() == stored
