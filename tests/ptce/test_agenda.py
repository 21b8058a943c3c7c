"""The agenda: meetings and events in one chronological list, by month, filterable, with its
archive and its empty states."""

import datetime
import re

import pytest
from django.urls import reverse

from events.models import Event
from groups.models import Meeting
from ptce.agenda import agenda_page
from tests.factories import EventFactory, MeetingFactory, WorkingGroupFactory
from tests.public_site import TODAY, frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]


@pytest.fixture
def mobility():
    return WorkingGroupFactory(name="Mobilité solidaire", slug="mobilite")


@pytest.fixture
def food():
    return WorkingGroupFactory(name="Alimentation durable", slug="alimentation")


@frozen()
def test_upcoming_meetings_and_events_in_order_grouped_by_month(client, mobility, food):
    MeetingFactory(group=mobility, date=datetime.date(2025, 8, 29))  # past: not shown
    MeetingFactory(group=food, date=datetime.date(2025, 10, 7), start_time=datetime.time(14))
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12), start_time=datetime.time(9))
    EventFactory(
        title="Petit déjeuner de l'ESS",
        kind=Event.Kind.BREAKFAST,
        date=datetime.date(2025, 10, 7),
        start_time=datetime.time(8, 30),
    )
    EventFactory(title="Brouillon", date=datetime.date(2025, 9, 20), is_published=False)

    response = client.get(reverse("site:agenda"))
    page = page_text(response)

    assert "Brouillon" not in page
    assert "29 août" not in page
    september = page.index("Septembre 2025")
    october = page.index("Octobre 2025")
    assert september < page.index("Mobilité solidaire Vendredi 12 septembre 2025 à 9 h")
    assert october < page.index("Petit déjeuner de l'ESS Mardi 7 octobre 2025 à 8 h 30")
    assert page.index("Petit déjeuner de l'ESS") < page.index(
        "Alimentation durable Mardi 7 octobre 2025 à 14 h"
    )
    assert september < october
    html = response.content.decode()
    # Each meeting carries its group's colour class (set by /theme.css).
    assert f'class="agenda-entry group-{mobility.pk}"' in html
    assert 'class="agenda-entry is-event"' in html


@frozen()
def test_a_day_without_hour_comes_before_timed_items_of_that_day(mobility):
    timed = MeetingFactory(group=mobility, date=TODAY, start_time=datetime.time(9))
    all_day = MeetingFactory(group=WorkingGroupFactory(), date=TODAY, start_time=None)
    entries = agenda_page().object_list
    assert [entry.item for entry in entries] == [all_day, timed]
    past = agenda_page(past=True, today=TODAY + datetime.timedelta(days=1)).object_list
    assert [entry.item for entry in past] == [timed, all_day]


@frozen()
def test_cancelled_meetings_stay_visible_and_marked_samples_are_badged(client, mobility):
    cancelled = MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12))
    cancelled.is_cancelled = True
    cancelled.save()
    MeetingFactory(group=mobility, date=datetime.date(2025, 11, 7), is_sample=True)
    page = page_text(client.get(reverse("site:agenda")))
    assert "Réunion du groupe Annulée Mobilité solidaire Vendredi 12 septembre" in page
    assert "Réunion du groupe exemple Mobilité solidaire Vendredi 7 novembre" in page


@frozen()
def test_filter_by_group_keeps_its_meetings_only(client, mobility, food):
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12))
    MeetingFactory(group=food, date=datetime.date(2025, 10, 7))
    EventFactory(title="Rencontre d'automne", date=datetime.date(2025, 9, 30))
    response = client.get(reverse("site:agenda"), {"groupe": "mobilite"})
    page = page_text(response)
    assert "Vendredi 12 septembre" in page
    assert "Alimentation durable Mardi" not in page
    assert "Rencontre d'automne" not in page
    # The form shows the chosen filter, and the subscription offered is that group's feed.
    html = response.content.decode()
    assert '<option value="mobilite" selected>' in html
    assert "webcal://testserver/groupes/mobilite/calendrier.ics" in html


@frozen()
def test_filter_by_kind(client, mobility):
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12))
    EventFactory(title="Séminaire d'automne", kind=Event.Kind.SEMINAR, date=TODAY)
    EventFactory(title="Petit déjeuner", kind=Event.Kind.BREAKFAST, date=TODAY)

    meetings_only = page_text(client.get(reverse("site:agenda"), {"type": "reunions"}))
    assert "Mobilité solidaire" in meetings_only and "Séminaire d'automne" not in meetings_only

    seminars = page_text(client.get(reverse("site:agenda"), {"type": "seminar"}))
    assert "Séminaire d'automne" in seminars
    assert "Petit déjeuner Lundi" not in seminars
    assert "Vendredi 12 septembre" not in seminars


@frozen()
def test_filters_with_no_result_say_so_and_offer_the_whole_agenda(client, mobility):
    EventFactory(title="Séminaire", date=TODAY)
    response = client.get(reverse("site:agenda"), {"groupe": "mobilite"})
    page = page_text(response)
    assert (
        "Aucune réunion à venir du groupe « Mobilité solidaire » pour le moment : la prochaine "
        "sera publiée ici" in page.replace("\u00a0", " ")
    )
    assert "Voir tout l'agenda" in page


@frozen()
@pytest.mark.parametrize(
    ("filters", "said"),
    [
        (
            {"groupe": "mobilite", "type": "seminar"},
            "Un groupe de travail n'a que des réunions : aucun événement de type « séminaire » "
            "dans l'agenda du groupe « Mobilité solidaire ». Retirez l'un des deux filtres.",
        ),
        ({"type": "seminar"}, "Aucun événement de type « séminaire » à venir pour le moment."),
        ({"type": "reunions"}, "Aucune réunion de groupe de travail à venir pour le moment."),
    ],
    ids=["group-and-event-type", "event-type", "meetings"],
)
def test_the_empty_message_fits_the_filter(client, mobility, filters, said):
    EventFactory(title="Petit déjeuner", kind=Event.Kind.BREAKFAST, date=TODAY)
    page = page_text(client.get(reverse("site:agenda"), filters)).replace("\u00a0", " ")
    assert said in page
    assert "prochaine réunion du groupe" not in page
    assert "Voir tout l'agenda" in page


@frozen()
def test_the_archive_s_empty_message_fits_the_filter(client, mobility):
    page = page_text(client.get(reverse("site:agenda_archive"), {"type": "seminar"}))
    assert "Aucun événement de type « séminaire » passé." in page.replace("\u00a0", " ")


@frozen()
def test_an_unknown_filter_value_is_reported_not_a_crash(client, mobility):
    response = client.get(reverse("site:agenda"), {"groupe": "inconnu", "type": "pique-nique"})
    assert response.status_code == 200
    assert "Sélectionnez un choix valide" in page_text(response)


@frozen()
def test_empty_agenda_is_written_for_people(client):
    page = page_text(client.get(reverse("site:agenda")))
    assert (
        "Aucune réunion programmée pour le moment — les prochaines dates seront publiées" in page
    )
    assert "Abonnez-vous au calendrier" in page


@frozen()
def test_archive_lists_past_items_latest_first(client, mobility):
    MeetingFactory(group=mobility, date=datetime.date(2025, 3, 4))
    MeetingFactory(group=mobility, date=datetime.date(2025, 6, 10))
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12))  # upcoming
    EventFactory(title="Séminaire", date=datetime.date(2025, 5, 13))
    page = page_text(client.get(reverse("site:agenda_archive")))
    assert "12 septembre" not in page
    assert page.index("Juin 2025") < page.index("Mai 2025") < page.index("Mars 2025")
    assert "Séminaire" in page


@frozen()
def test_archive_is_paginated_and_keeps_the_filters_across_pages(client, mobility):
    Meeting.objects.bulk_create(
        Meeting(group=mobility, date=TODAY - datetime.timedelta(days=7 * n)) for n in range(1, 46)
    )
    first = client.get(reverse("site:agenda_archive"), {"groupe": "mobilite"})
    html = first.content.decode()
    assert 'href="?groupe=mobilite&amp;page=2"' in html
    assert "Page 1 sur 2" in page_text(first)
    second = client.get(reverse("site:agenda_archive"), {"groupe": "mobilite", "page": 2})
    assert "Page 2 sur 2" in page_text(second)
    assert len(second.context["entries"]) == 5


@frozen()
def test_agenda_offers_the_subscription_in_webcal_and_https(client):
    html = client.get(reverse("site:agenda")).content.decode()
    assert 'href="webcal://testserver/agenda/calendrier.ics"' in html
    assert 'href="http://testserver/agenda/calendrier.ics"' in html
    assert "votre agenda (Outlook, Google Agenda, Thunderbird" in page_text(
        client.get(reverse("site:agenda"))
    )


def test_publishing_and_cancelling_in_the_admin_shows_on_the_agenda_at_once(client, mobility):
    with frozen():
        event = EventFactory(title="AG de rentrée", date=TODAY, is_published=False)
        assert "AG de rentrée" not in page_text(client.get(reverse("site:agenda")))
        event.is_published = True
        event.save()
        assert "AG de rentrée" in page_text(client.get(reverse("site:agenda")))
        event.is_cancelled = True
        event.save()
        assert "Séminaire Annulé AG de rentrée" in page_text(client.get(reverse("site:agenda")))


@frozen()
def test_the_agendas_alternate_calendar_follows_the_group_filter(client, mobility):
    def alternate(**filters) -> str:
        html = client.get(reverse("site:agenda"), filters).content.decode()
        links = re.findall(r'<link rel="alternate" type="text/calendar"[^>]*>', html)
        assert len(links) == 1
        return links[0]

    everything = alternate()
    assert f'href="{reverse("site:calendar_feed")}"' in everything
    assert 'title="Agenda — Pôle territorial' in everything
    group_feed = reverse("groups:group_calendar", kwargs={"slug": "mobilite"})
    filtered = alternate(groupe="mobilite", type="reunions")
    assert f'href="{group_feed}"' in filtered
    assert 'title="Mobilité solidaire — Pôle territorial' in filtered
    assert f'href="{reverse("site:calendar_feed")}"' in alternate(type="reunions")
