"""Events as a visitor sees them: the list, an event and its programme, the RSS/Atom feeds."""

import datetime
import json
import re
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from events.models import Event, Session
from tests.factories import (
    EventFactory,
    PersonFactory,
    SessionFactory,
    SessionSpeakerFactory,
    StructureFactory,
    VenueFactory,
)
from tests.public_site import PARIS, TODAY, frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]


def tag(event) -> str:
    """The feeds' id of an event: RFC 4151 `tag:` URI, dated the day it was entered."""
    return f"tag:testserver,{event.created_at.astimezone(PARIS).date()}:event-{event.pk}"


def jsonld(response) -> dict:
    html = response.content.decode()
    script = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    return json.loads(script[1])


@pytest.fixture
def seminar():
    """A seminar shaped like the reference case: a morning and an afternoon programme."""
    adds = StructureFactory(name="Association ADS", acronym="ADS")
    cress = StructureFactory(name="Chambre régionale de l'ESS", acronym="CRESS")
    agglo = StructureFactory(name="Communauté d'agglomération", acronym="CA")
    event = EventFactory(
        title="Premier séminaire",
        slug="premier-seminaire",
        date=datetime.date(2025, 5, 13),
        venue=VenueFactory(name="Grande chaufferie", address="", town="Oignies"),
        summary="Une journée pour renforcer les liens.",
    )
    event.organisers.add(adds)
    president = PersonFactory(first_name="Nadia", last_name="Benali")
    officer = PersonFactory(first_name="Sophie", last_name="Durand")
    # Created out of order: the page must follow part of day, then `order`.
    table = SessionFactory(
        event=event,
        order=5,
        part_of_day=Session.PartOfDay.AFTERNOON,
        kind=Session.Kind.ROUND_TABLE,
        title="L'évolution des structures de l'ESS",
    )
    SessionSpeakerFactory(
        session=table, person=officer, structure=agglo, role="chargée de mission ESS"
    )
    SessionFactory(
        event=event,
        order=3,
        part_of_day=Session.PartOfDay.MORNING,
        kind=Session.Kind.WORKSHOP,
        title="Les indicateurs de suivi d'activité",
        facilitator=cress,
    )
    opening = SessionFactory(
        event=event,
        order=1,
        part_of_day=Session.PartOfDay.MORNING,
        kind=Session.Kind.OPENING,
        title="Discours d'ouverture",
        start_time=datetime.time(9, 30),
    )
    SessionSpeakerFactory(
        session=opening, person=president, structure=adds, role="présidente du PTCE"
    )
    SessionSpeakerFactory(
        session=opening,
        person=PersonFactory(first_name="Jean", last_name="Martin"),
        structure=agglo,
        role="vice-président de la CA",
    )
    return event


@frozen()
def test_event_page_shows_date_place_organisers_and_the_programme_in_order(client, seminar):
    response = client.get(seminar.get_absolute_url())
    page = page_text(response)

    assert response.status_code == 200
    assert "Premier séminaire Mardi 13 mai 2025 Grande chaufferie, Oignies" in page
    assert "Organisé par Association ADS (ADS)" in page
    assert "Cet événement a eu lieu." in page
    morning, afternoon = page.index("Matin"), page.index("Après-midi")
    opening = page.index("9 h 30 · Ouverture Discours d'ouverture")
    workshop = page.index("Atelier Les indicateurs de suivi d'activité")
    table = page.index("Table ronde L'évolution des structures de l'ESS")
    assert morning < opening < workshop < afternoon < table
    assert "Nadia BENALI, présidente du PTCE (ADS)" in page
    assert "Animation : Chambre régionale de l'ESS (CRESS)" in page
    assert "Sophie DURAND, chargée de mission ESS (CA)" in page
    assert "Jean MARTIN, vice-président de la CA Atelier" in page  # not « … de la CA (CA) »
    html = response.content.decode()
    cress = seminar.sessions.get(order=3).facilitator
    assert f'href="{cress.get_absolute_url()}"' in html


@frozen()
def test_event_page_carries_structured_data_and_open_graph(client, seminar):
    response = client.get(seminar.get_absolute_url())
    html = response.content.decode()
    data = jsonld(response)
    assert data["@type"] == "Event"
    assert data["name"] == "Premier séminaire"
    assert data["startDate"] == "2025-05-13"
    assert data["location"]["address"]["addressLocality"] == "Oignies"
    # The event's organiser, not the association by default.
    assert data["organizer"] == {"@type": "Organization", "name": "Association ADS"}
    assert '<meta property="og:title" content="Premier séminaire">' in html
    assert (
        '<meta property="og:url" content="http://testserver/evenements/premier-seminaire/">'
        in (html)
    )


def test_an_unpublished_event_is_not_found(client):
    event = EventFactory(slug="brouillon", is_published=False)
    assert client.get(event.get_absolute_url()).status_code == 404


def test_unpublishing_an_event_takes_it_off_the_site_at_once(client, seminar):
    assert client.get(seminar.get_absolute_url()).status_code == 200
    seminar.is_published = False
    seminar.save()
    assert client.get(seminar.get_absolute_url()).status_code == 404
    assert "Premier séminaire" not in page_text(client.get(reverse("events:event_list")))


@frozen()
def test_a_speaker_whose_role_names_their_structure_is_not_followed_by_it_again(client):
    agglo = StructureFactory(name="Communauté d'agglomération Hénin-Carvin", acronym="CAHC")
    session = SessionFactory(event=EventFactory(slug="seminaire"), title="Intervention")
    SessionSpeakerFactory(
        session=session,
        person=PersonFactory(first_name="Marcello", last_name="Della Franca"),
        structure=agglo,
        role="vice-président de la CAHC",
    )
    page = page_text(client.get(session.event.get_absolute_url()))
    assert "Marcello DELLA FRANCA, vice-président de la CAHC" in page
    assert "(CAHC)" not in page


@frozen()
def test_an_event_without_an_hour_says_so_in_the_right_tense(client):
    held = EventFactory(slug="tenu", date=datetime.date(2025, 5, 13), start_time=None)
    coming = EventFactory(slug="a-venir", date=datetime.date(2025, 11, 25), start_time=None)
    assert "Horaire non communiqué" in page_text(client.get(held.get_absolute_url()))
    assert "Horaire à préciser" in page_text(client.get(coming.get_absolute_url()))


@frozen()
def test_a_cancelled_event_is_clearly_marked(client):
    event = EventFactory(
        title="Petit déjeuner",
        slug="petit-dejeuner",
        date=datetime.date(2025, 10, 14),
        is_cancelled=True,
    )
    page = page_text(client.get(event.get_absolute_url()))
    assert "Cet événement est annulé. Il n'aura pas lieu à la date prévue." in page
    assert "Ajouter à mon agenda" not in page
    assert "Annulé Petit déjeuner" in page_text(client.get(reverse("events:event_list")))


@frozen()
def test_event_list_upcoming_then_past(client, seminar):
    EventFactory(
        title="Petit déjeuner de l'ESS",
        kind=Event.Kind.BREAKFAST,
        date=datetime.date(2025, 10, 14),
        start_time=datetime.time(8, 30),
    )
    EventFactory(title="Caché", is_published=False, date=datetime.date(2025, 10, 20))
    page = page_text(client.get(reverse("events:event_list")))
    upcoming, past = page.index("À venir"), page.index("Événements passés")
    assert upcoming < page.index("Petit déjeuner de l'ESS Mardi 14 octobre 2025 à 8 h 30") < past
    assert past < page.index("Premier séminaire Mardi 13 mai 2025")
    assert "Caché" not in page


@frozen()
def test_event_list_empty_states(client):
    page = page_text(client.get(reverse("events:event_list")))
    assert "Aucun événement annoncé pour le moment." in page
    assert "Pas encore d'événement passé à montrer." in page


@frozen()
def test_rss_feed_lists_published_events_with_date_and_place(client, seminar):
    EventFactory(title="Caché", is_published=False)
    response = client.get(reverse("events:event_rss"))
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ElementTree.fromstring(response.content).find("channel")
    assert channel.findtext("title") == (
        "Événements — Pôle territorial de coopération économique du Val-de-Lys"
    )
    assert channel.findtext("description") == (
        "Séminaires, assemblées générales et rencontres — "
        "Pôle territorial de coopération économique du Val-de-Lys"
    )
    items = channel.findall("item")
    assert [item.findtext("title") for item in items] == ["Premier séminaire (13\u00a0mai 2025)"]
    item = items[0]
    assert item.findtext("link") == "http://testserver/evenements/premier-seminaire/"
    assert "Mardi 13\u00a0mai 2025" in item.findtext("description")
    assert "Grande chaufferie, Oignies" in item.findtext("description")
    guid = item.find("guid")
    assert guid.text == tag(seminar)
    assert guid.get("isPermaLink") == "false"


@frozen()
def test_atom_feed(client, seminar):
    response = client.get(reverse("events:event_atom"))
    assert response["Content-Type"].startswith("application/atom+xml")
    ns = {"a": "http://www.w3.org/2005/Atom"}
    root = ElementTree.fromstring(response.content)
    entries = root.findall("a:entry", ns)
    assert [e.findtext("a:title", namespaces=ns) for e in entries] == [
        "Premier séminaire (13\u00a0mai 2025)"
    ]
    assert entries[0].find("a:link", ns).get("href") == (
        "http://testserver/evenements/premier-seminaire/"
    )
    # An IRI (RFC 4287 4.2.6), not « event-4 ».
    assert entries[0].findtext("a:id", namespaces=ns) == tag(seminar)


@frozen()
def test_feed_ids_are_iris_that_survive_a_new_slug_and_another_host(client, settings, identity):
    settings.ALLOWED_HOSTS = ["www.ptce-hc.fr", "ptce-hc.fr"]
    identity.website = "https://ptce-hc.fr/"
    identity.save()
    first, second = EventFactory(slug="ag"), EventFactory(slug="seminaire")
    ns = {"a": "http://www.w3.org/2005/Atom"}

    def ids(host):
        feed = ElementTree.fromstring(
            client.get(reverse("events:event_atom"), HTTP_HOST=host).content
        )
        return {e.findtext("a:id", namespaces=ns) for e in feed.findall("a:entry", ns)}

    before = ids("www.ptce-hc.fr")
    assert all(re.match(r"(https?://|tag:)", id_) for id_ in before)
    assert len(before) == 2
    Event.objects.filter(pk=first.pk).update(slug="assemblee-generale")
    assert ids("ptce-hc.fr") == before
    rss = ElementTree.fromstring(
        client.get(reverse("events:event_rss"), HTTP_HOST="ptce-hc.fr").content
    )
    assert {item.findtext("guid") for item in rss.iter("item")} == before
    assert f"tag:ptce-hc.fr,{TODAY.isoformat()}:event-{second.pk}" in before


def test_programme_groups_by_part_of_day_in_order_and_keeps_unplaced_sessions_in_sequence():
    from events.views import programme

    def session(order, part, title):
        return Session(order=order, part_of_day=part, title=title)

    morning, afternoon = Session.PartOfDay.MORNING, Session.PartOfDay.AFTERNOON
    sessions = [
        session(1, morning, "Ouverture"),
        session(2, "", "Témoignage"),  # no part given: stays after the opening
        session(3, morning, "Ateliers"),
        session(4, afternoon, "Table ronde"),
        session(5, morning, "Atelier oublié"),  # entered late: still under « Matin »
    ]
    assert [(part, [s.title for s in items]) for part, items in programme(sessions)] == [
        ("Matin", ["Ouverture", "Témoignage", "Ateliers", "Atelier oublié"]),
        ("Après-midi", ["Table ronde"]),
    ]
    assert [(p, len(i)) for p, i in programme([session(1, "", "A"), session(2, "", "B")])] == [
        ("", 2)
    ]
    assert programme([session(1, "", "Accueil"), session(2, afternoon, "Table")])[0][0] == (
        "Après-midi"
    )


@pytest.mark.parametrize("name", ["events:event_rss", "events:event_atom"])
def test_an_unchanged_events_feed_answers_304(client, seminar, name):
    first = client.get(reverse(name))
    assert "Last-Modified" not in first  # the content version's ETag is the validator
    assert client.get(reverse(name), HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


@frozen()
def test_an_unknown_hour_is_to_be_announced_before_the_event_and_not_given_after(client):
    past = EventFactory(date=datetime.date(2025, 5, 13), start_time=None, end_time=None)
    coming = EventFactory(date=datetime.date(2025, 11, 13), start_time=None, end_time=None)
    past_page = page_text(client.get(past.get_absolute_url()))
    assert "Horaire Horaire non communiqué" in past_page
    assert "à préciser" not in past_page
    assert "Horaire Horaire à préciser" in page_text(client.get(coming.get_absolute_url()))


@frozen()
def test_an_unknown_place_is_to_be_announced_before_the_event_and_not_given_after(client):
    past = EventFactory(date=datetime.date(2025, 5, 13), venue=None)
    coming = EventFactory(date=datetime.date(2025, 11, 13), venue=None)
    past_page = page_text(client.get(past.get_absolute_url()))
    assert "Lieu Lieu non communiqué" in past_page
    assert "à préciser" not in past_page
    assert "Lieu Lieu à préciser" in page_text(client.get(coming.get_absolute_url()))


@frozen()
def test_structured_data_names_every_organiser_or_else_the_association(client):
    breakfast = EventFactory(slug="petit-dejeuner")
    breakfast.organisers.add(
        StructureFactory(name="Communauté d'agglomération", website="https://agglo.example/"),
        StructureFactory(name="Chambre régionale de l'ESS", website=""),
    )
    organizer = jsonld(client.get(breakfast.get_absolute_url()))["organizer"]
    assert organizer == [
        {"@type": "Organization", "name": "Chambre régionale de l'ESS"},
        {
            "@type": "Organization",
            "name": "Communauté d'agglomération",
            "url": "https://agglo.example/",
        },
    ]
    assembly = EventFactory(slug="assemblee-generale")
    assert jsonld(client.get(assembly.get_absolute_url()))["organizer"] == {
        "@type": "Organization",
        "name": "Pôle territorial de coopération économique du Val-de-Lys",
        "url": "http://testserver/",
    }
