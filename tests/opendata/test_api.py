"""The read-only API as a re-user's program meets it: pages, filters, stable identifiers, a 304
for a copy still current, CORS, the rate limit, and an OpenAPI description every answer
agrees with."""

import datetime

import jsonschema
import pytest
from django.test import Client
from django.urls import reverse

from groups.models import Meeting
from opendata.api import PAGE_SIZE
from opendata.datasets import DATASETS
from ptce.demo.volume import LARGE, SMALL, build_network
from report.models import YearlyFigures
from tests.factories import (
    EventFactory,
    GroupLeadFactory,
    MeetingFactory,
    PersonFactory,
    StructureFactory,
    WorkingGroupFactory,
)
from tests.public_site import frozen


def api(name: str, identifier: str | None = None) -> str:
    if identifier is None:
        return reverse(f"opendata:api_{name}")
    return reverse(f"opendata:api_{name}_detail", kwargs={"identifier": identifier})


@frozen()
def test_a_list_comes_in_pages_with_links_to_the_next_and_the_previous(db, client):
    StructureFactory.create_batch(PAGE_SIZE * 2 + 5)

    first = client.get(api("structures")).json()
    last = client.get(api("structures"), {"page": 3})

    assert (first["total"], first["pages"], len(first["resultats"])) == (205, 3, PAGE_SIZE)
    assert first["suivante"] == "http://testserver/donnees/api/v1/structures/?page=2"
    assert first["precedente"] is None
    assert len(last.json()["resultats"]) == 5
    assert last["Link"] == '<http://testserver/donnees/api/v1/structures/?page=2>; rel="prev"'
    beyond = client.get(api("structures"), {"page": 4})
    assert beyond.status_code == 404
    assert beyond.json() == {"erreur": "Il n'y a que 3 pages."}


@frozen()
def test_filters_by_group_period_and_kind(db, client):
    mobility, food = WorkingGroupFactory(slug="mobilite"), WorkingGroupFactory(slug="alimentation")
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12))
    MeetingFactory(group=mobility, date=datetime.date(2025, 11, 14))
    MeetingFactory(group=food, date=datetime.date(2025, 10, 7))
    EventFactory(kind="seminar", date=datetime.date(2025, 10, 2))
    EventFactory(kind="breakfast", date=datetime.date(2025, 10, 9))

    def dates(name, **filters):
        return [row["date"] for row in client.get(api(name), filters).json()["resultats"]]

    assert dates("reunions", groupe="mobilite") == ["2025-09-12", "2025-11-14"]
    assert dates("reunions", groupe="mobilite", periode="2025-11") == ["2025-11-14"]
    assert dates("reunions", periode="2025") == ["2025-09-12", "2025-10-07", "2025-11-14"]
    assert dates("evenements", type="breakfast") == ["2025-10-09"]


def test_a_structure_leading_a_group_is_in_it_as_on_its_page(db, client):
    # The structure's page and the directory's group filter count the groups it leads too.
    group = WorkingGroupFactory(slug="mobilite")
    leader, participant = StructureFactory(slug="menee"), StructureFactory(slug="participe")
    GroupLeadFactory(group=group, person=PersonFactory(structure=leader))
    group.participant_structures.add(participant)
    StructureFactory(slug="ailleurs")

    found = client.get(api("structures"), {"groupe": "mobilite"}).json()["resultats"]

    assert {(row["identifiant"], row["groupes"]) for row in found} == {
        ("menee", "mobilite"),
        ("participe", "mobilite"),
    }
    page = client.get(reverse("site:structure_detail", kwargs={"slug": "menee"}))
    assert group.name in page.content.decode()


@pytest.mark.parametrize(
    ("name", "query", "message"),
    [
        ("reunions", {"periode": "2025-13"}, "« periode » attend une année (2025) ou un mois"),
        ("evenements", {"type": "concert"}, "« type » attend l'un de : seminar,"),
        ("groupes", {"periode": "2025"}, "Le jeu « groupes » ne se filtre pas par « periode »."),
        ("structures", {"page": "deux"}, "« page » attend un numéro de page"),
        ("structures", {"page": "0"}, "« page » attend un numéro de page"),
    ],
)
def test_a_wrong_filter_is_refused_in_french(db, client, name, query, message):
    response = client.get(api(name), query)
    assert response.status_code == 400
    assert response.json()["erreur"].startswith(message)


def test_a_page_beyond_the_last_says_how_many_there_are(db, client):
    response = client.get(api("structures"), {"page": "2"})
    assert response.status_code == 404
    assert response.json()["erreur"] == "Il n'y a qu'une page."


@frozen()
def test_each_record_has_a_stable_address(db, client):
    structure = StructureFactory(name="Garage solidaire", slug="garage-solidaire")
    meeting = MeetingFactory()
    YearlyFigures.objects.create(year=2024, meetings=34)

    assert client.get(api("structures", structure.slug)).json()["nom"] == "Garage solidaire"
    assert client.get(api("reunions", f"reunion-{meeting.pk}")).json()["date"] == "2025-10-07"
    assert client.get(api("indicateurs", "meetings")).json()["libelle"] == "réunions organisées"
    declared = client.get(api("chiffres", "2024-meetings")).json()
    assert (declared["annee"], declared["valeur_declaree"], declared["origine"]) == (
        2024,
        34,
        "declaree",
    )
    for name, identifier in [("reunions", "reunion-999999"), ("reunions", "evenement-1"),
                             ("structures", "inconnue")]:  # fmt: skip
        missing = client.get(api(name, identifier))
        assert missing.status_code == 404
        assert "Aucun enregistrement" in missing.json()["erreur"]


@frozen()
def test_a_copy_still_current_gets_a_304_until_the_data_changes(db, client):
    meeting = MeetingFactory()
    first = client.get(api("reunions"))

    again = client.get(api("reunions"), headers={"If-None-Match": first["ETag"]})
    assert again.status_code == 304

    Meeting.objects.filter(pk=meeting.pk).update(start_time=datetime.time(9))
    meeting.refresh_from_db()
    meeting.save()  # a save raises the content version
    changed = client.get(api("reunions"), headers={"If-None-Match": first["ETag"]})
    assert changed.status_code == 200
    assert changed.json()["resultats"][0]["heure_debut"] == "09:00:00"


def test_a_script_of_another_site_may_read_but_not_write(db, client):
    preflight = client.options(
        api("structures"),
        headers={"origin": "https://ailleurs.example", "access-control-request-method": "GET"},
    )
    assert preflight.status_code == 204
    assert preflight["Access-Control-Allow-Origin"] == "*"
    assert "If-None-Match" in preflight["Access-Control-Allow-Headers"]
    assert client.get(api("structures"))["Access-Control-Expose-Headers"].startswith("ETag")
    assert client.post(api("structures")).status_code == 405


def test_a_cross_site_post_gets_a_405_a_script_can_read(db):
    """Not Django's CSRF page (an HTML 403 without the CORS headers, unreadable by the
    re-user's script): the API takes nothing but GET, HEAD and OPTIONS, and says so."""
    browser = Client(enforce_csrf_checks=True, headers={"Origin": "https://reuser.example"})
    for url in (api("structures"), reverse("opendata:api_index"), reverse("opendata:datapackage")):
        response = browser.post(url, {"x": "1"})
        assert response.status_code == 405, url
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"


def test_the_limit_counts_an_ipv6_client_by_its_network(db, client, settings):
    # One line, one household or one server has a whole /64: 2^64 addresses to rotate.
    settings.OPEN_DATA_RATE_LIMIT = 2
    same_network = ["2001:db8:1:2::1", "2001:db8:1:2::abcd", "2001:db8:1:2:ffff::9"]

    answers = [client.get(api("groupes"), REMOTE_ADDR=a).status_code for a in same_network]

    assert answers == [200, 200, 429]
    assert client.get(api("groupes"), REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


def test_too_many_requests_from_one_address_are_refused_for_a_while(db, client, settings):
    settings.OPEN_DATA_RATE_LIMIT = 2
    assert [client.get(api("groupes")).status_code for _ in range(2)] == [200, 200]

    refused = client.get(reverse("opendata:structures_csv"))

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(settings.OPEN_DATA_RATE_WINDOW)
    assert refused.json()["erreur"].startswith("Trop de requêtes depuis cette adresse.")
    assert refused["Access-Control-Allow-Origin"] == "*"


@frozen()
def test_every_answer_matches_the_openapi_description(db, client):
    build_network(**SMALL)
    document = client.get(reverse("opendata:openapi")).json()
    assert document["openapi"] == "3.1.0"
    for dataset in DATASETS:
        path = document["paths"][api(dataset.name)]["get"]
        schema = path["responses"]["200"]["content"]["application/json"]["schema"]
        page = client.get(api(dataset.name)).json()
        assert page["resultats"], dataset.name
        jsonschema.validate(page, {**schema, "components": document["components"]})


# Before the page's own: the rate limit's count in the database cache of the tests (two
# savepoints and their releases, the cache's size, the read, the write; none with Redis), then
# the content version for the ETag.
BEFORE = 7 + 1


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("structures", BEFORE + 5),  # member year, count, page, its groups, the groups it leads
        ("reunions", BEFORE + 2),  # count, page with groups and venues
        ("evenements", BEFORE + 2),  # count, page with venues
        ("projets", BEFORE + 3),  # count, page with groups, their structures
    ],
)
@frozen()
def test_a_page_of_the_api_costs_the_same_queries_whatever_the_data(
    db, client, django_assert_num_queries, size, name, expected
):
    build_network(**size)
    with django_assert_num_queries(expected):
        assert client.get(api(name)).status_code == 200
