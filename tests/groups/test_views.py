"""The working groups' pages as a partner sees them: the list, a group, a meeting."""

import datetime
import json
import re

import pytest
from django.urls import reverse

from tests.factories import (
    GroupContactFactory,
    GroupLeadFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    StructureFactory,
    VenueFactory,
    WorkingGroupFactory,
)
from tests.public_site import NBSP, frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]


@pytest.fixture
def mobility():
    return WorkingGroupFactory(
        name="Mobilité sociale, solidaire et inclusive",
        slug="mobilite",
        short_description="Se déplacer pour travailler.",
        description="Le garage solidaire anime des ateliers mobiles.\n\nUn camion équipé.",
    )


@pytest.fixture
def garage():
    return VenueFactory(name="Garage solidaire", address="ZAC des Chauffours", town="Courrières")


def jsonld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.content.decode(), re.S
    )
    assert match, "the page carries JSON-LD"
    # A data block, never run: the policy needs no nonce for it, so the page can be cached.
    assert "nonce-" not in response["Content-Security-Policy"]
    return json.loads(match.group(1))


@frozen()
def test_group_list_shows_each_active_group_its_leads_and_next_meeting(client, mobility, garage):
    afeji = StructureFactory(name="AFEJI Hauts-de-France", acronym="AFEJI HDF")
    GroupLeadFactory(
        group=mobility,
        person=PersonFactory(first_name="Fabrice", last_name="Taupin"),
        structure=afeji,
    )
    MeetingFactory(
        group=mobility, date=datetime.date(2025, 9, 12), start_time=datetime.time(9), venue=garage
    )
    food = WorkingGroupFactory(name="Alimentation durable")
    WorkingGroupFactory(name="Ancien groupe", is_active=False)

    response = client.get(reverse("groups:group_list"))
    page = page_text(response)

    assert "Chef de file : Fabrice TAUPIN (AFEJI HDF)" in page
    assert (
        "Prochaine réunion Vendredi 12 septembre 2025 à 9 h "
        "Garage solidaire, ZAC des Chauffours, Courrières" in page
    )
    assert (
        "Alimentation durable Un groupe de travail du PTCE. Prochaine réunion Pas encore" in page
    )
    assert "Groupes qui ne se réunissent plus Ancien groupe" in page
    html = response.content.decode()
    assert f'href="{mobility.get_absolute_url()}"' in html
    assert f'href="{food.get_absolute_url()}"' in html
    assert f"group-card group-{mobility.pk}" in html


@frozen()
def test_group_page_shows_description_leads_contacts_meetings_and_projects(
    client, mobility, garage
):
    die = StructureFactory(name="DIE", acronym="")
    apei = StructureFactory(name="APEI Hénin", acronym="APEI")
    GroupLeadFactory(
        group=mobility,
        person=PersonFactory(
            first_name="Odette",
            last_name="Dauchet",
            structure=die,
            phone="0321207944",
            email="odette@example.org",
            show_contact_publicly=False,
        ),
        structure=die,
        title="cheffe de file",
        order=1,
    )
    GroupLeadFactory(
        group=mobility,
        person=PersonFactory(
            first_name="Brigitte",
            last_name="Monseu",
            structure=apei,
            phone="0601020304",
            email="brigitte@example.org",
            show_contact_publicly=True,
        ),
        structure=apei,
        title="cheffe de file",
        order=2,
    )
    GroupContactFactory(group=mobility, label="APEI", phone="", email="siege@apei.example")
    GroupContactFactory(group=mobility, label="DIE", phone="03 21 20 79 44")
    MeetingFactory(group=mobility, date=datetime.date(2025, 6, 5), venue=garage)
    MeetingFactory(
        group=mobility, date=datetime.date(2025, 9, 12), start_time=datetime.time(9), venue=garage
    )
    project = ProjectFactory(
        group=mobility, name="Garage solidaire", summary="Réparer à prix juste."
    )
    project.structures.add(apei)
    ProjectUpdateFactory(project=project, date=datetime.date(2024, 12, 1), text="Achat du camion.")
    ProjectUpdateFactory(
        project=project, date=datetime.date(2025, 7, 1), text="Dépanneuse achetée."
    )
    ProjectFactory(group=mobility, name="Projet caché", is_published=False)

    response = client.get(mobility.get_absolute_url())
    page = page_text(response)
    html = response.content.decode()

    assert "Mobilité sociale, solidaire et inclusive" in page
    assert "Le garage solidaire anime des ateliers mobiles." in page
    assert "Un camion équipé." in page
    assert "Odette DAUCHET Cheffe de file, DIE" in page
    assert "Brigitte MONSEU Cheffe de file, APEI Hénin (APEI)" in page
    # Contact details only for the lead who agreed to show them.
    assert "odette@example.org" not in html and "tel:+33321207944" in html  # the group line
    assert "mailto:brigitte@example.org" in html and "tel:+33601020304" in html
    assert "APEI : siege@apei.example" in page
    assert "DIE : 03 21 20 79 44" in page
    assert "Prochaines réunions" in page
    assert page.index("Vendredi 12 septembre 2025 à 9 h") < page.index("Réunions passées")
    assert page.index("Réunions passées") < page.index("Jeudi 5 juin 2025")
    assert "Garage solidaire En cours de montage Réparer à prix juste." in page
    assert "Dernière avancée, juillet 2025 : Dépanneuse achetée." in page
    assert "Achat du camion." not in page  # only the latest progress note
    assert "Projet caché" not in page
    assert "webcal://testserver/groupes/mobilite/calendrier.ics" in html
    assert f'href="{reverse("joining:join")}"' in html


@frozen()
def test_group_page_empty_states(client, mobility):
    page = page_text(client.get(mobility.get_absolute_url()))
    assert "Aucune réunion programmée pour le moment — la prochaine date sera publiée ici" in page
    assert "Le groupe cherche son chef ou sa cheffe de file." in page
    assert "Les projets du groupe seront présentés ici." in page
    assert "Pas encore de réunion passée enregistrée pour ce groupe." in page


def test_unknown_group_is_not_found(client):
    assert client.get("/groupes/inconnu/").status_code == 404


@frozen()
def test_meeting_page_date_hours_place_agenda_calendar_file_and_structured_data(
    client, mobility, garage
):
    meeting = MeetingFactory(
        group=mobility,
        date=datetime.date(2025, 9, 12),
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        venue=garage,
        agenda="Bilan des ateliers.\n\nJournée de la mobilité !",
        minutes="Compte rendu non relu.",
        minutes_visibility="unpublished",
    )
    response = client.get(meeting.get_absolute_url())
    page = page_text(response)
    html = response.content.decode()

    assert meeting.get_absolute_url() == f"/groupes/mobilite/reunions/{meeting.pk}/"
    assert "Vendredi 12 septembre 2025, de 9 h à 11 h 30" in page
    assert "Lieu Garage solidaire ZAC des Chauffours Courrières" in page
    assert "Ordre du jour Bilan des ateliers." in page
    assert "Journée de la mobilité !" in page
    assert "Compte rendu non relu." not in page  # not published
    ics = reverse("groups:meeting_ics", kwargs={"slug": "mobilite", "pk": meeting.pk})
    assert f'href="{ics}"' in html
    assert '<meta property="og:title" content="Réunion du groupe «&nbsp;Mobilité' in html
    assert f'<meta property="og:description" content="Vendredi 12{NBSP}septembre 2025' in html

    data = jsonld(response)
    assert data["@type"] == "Event"
    assert (
        data["name"] == f"Réunion du groupe «{NBSP}Mobilité sociale, solidaire et inclusive{NBSP}»"
    )
    assert data["startDate"] == "2025-09-12T09:00:00+02:00"
    assert data["endDate"] == "2025-09-12T11:30:00+02:00"
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["name"] == "Garage solidaire"
    assert data["location"]["address"]["addressLocality"] == "Courrières"
    assert data["url"] == f"http://testserver{meeting.get_absolute_url()}"
    assert data["organizer"]["name"] == "Pôle territorial de coopération économique du Val-de-Lys"


@frozen()
def test_published_minutes_are_shown_and_missing_hours_are_said_plainly(client, mobility):
    meeting = MeetingFactory(
        group=mobility,
        date=datetime.date(2025, 6, 5),
        start_time=None,
        venue=None,
        agenda="",
        minutes="Vingt participants.",
        minutes_visibility="public",
    )
    response = client.get(meeting.get_absolute_url())
    page = page_text(response)
    assert "Compte rendu Vingt participants." in page
    assert "Horaire non communiqué" in page
    assert "Lieu non communiqué" in page  # a past meeting: nothing left to announce
    assert "Cette réunion a eu lieu." in page
    assert "L'ordre du jour sera précisé" in page
    assert jsonld(response)["startDate"] == "2025-06-05"


@frozen()
def test_a_start_without_end_is_announced_as_such(client, mobility):
    meeting = MeetingFactory(group=mobility, date=datetime.date(2025, 10, 7), end_time=None)
    page = page_text(client.get(meeting.get_absolute_url()))
    assert "À partir de 14 h (heure de fin non communiquée)" in page


def test_cancelling_a_meeting_shows_on_its_page_and_the_group_page_at_once(client, mobility):
    with frozen():
        meeting = MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12))
        assert "annulée" not in page_text(client.get(meeting.get_absolute_url())).lower()
        meeting.is_cancelled = True
        meeting.save()
        response = client.get(meeting.get_absolute_url())
        assert "Cette réunion est annulée." in page_text(response)
        assert jsonld(response)["eventStatus"] == "https://schema.org/EventCancelled"
        assert "Vendredi 12 septembre 2025 à 14 h Annulée" in page_text(
            client.get(mobility.get_absolute_url())
        )


@frozen()
def test_sample_meetings_carry_a_discreet_example_badge(client, mobility):
    meeting = MeetingFactory(group=mobility, date=datetime.date(2025, 11, 7), is_sample=True)
    assert "Vendredi 7 novembre 2025 à 14 h exemple" in page_text(
        client.get(mobility.get_absolute_url())
    )
    assert "ce n'est pas une vraie réunion" in page_text(client.get(meeting.get_absolute_url()))


def test_a_meeting_under_another_groups_address_is_not_found(client, mobility):
    meeting = MeetingFactory(group=WorkingGroupFactory())
    url = reverse("groups:meeting_detail", kwargs={"slug": "mobilite", "pk": meeting.pk})
    assert client.get(url).status_code == 404


@frozen()
def test_group_pages_invite_to_contact_or_join_without_promising_open_meetings(client, mobility):
    """The newsletter never says meetings are open to all: the pages do not claim it."""
    invitation = "Pour participer, contactez le groupe ou remplissez le formulaire d'adhésion."
    for url in (reverse("groups:group_list"), mobility.get_absolute_url()):
        response = client.get(url)
        page = page_text(response)
        assert invitation in page, url
        # (the footer's « Données ouvertes » is the open data, not a meeting)
        assert "ouvertes" not in page.replace("Données ouvertes", ""), url
        assert f'href="{reverse("joining:join")}' in response.content.decode()


@frozen()
@pytest.mark.parametrize(
    ("titles", "heading"),
    [
        (["chef de file"], "Chef de file"),
        (["cheffe de file"], "Cheffe de file"),
        (["cheffe de file", "cheffe de file"], "Cheffes de file"),
        (["chef de file", "chef de file"], "Chefs de file"),
        (["chef de file", "cheffe de file"], "Chef·fe·s de file"),
    ],
)
def test_the_leads_heading_agrees_with_their_titles(client, mobility, titles, heading):
    for order, title in enumerate(titles):
        GroupLeadFactory(
            group=mobility,
            person=PersonFactory(first_name=f"Personne{order}", last_name="Test"),
            title=title,
            order=order,
        )
    detail = client.get(mobility.get_absolute_url()).content.decode()
    assert f'<h2 id="titre-chefs">{heading}</h2>' in detail
    listing = page_text(client.get(reverse("groups:group_list")))
    assert f"{heading} : Personne0 TEST" in listing


@frozen()
def test_an_unknown_place_is_to_be_announced_before_the_meeting_and_not_given_after(client):
    past = MeetingFactory(date=datetime.date(2025, 5, 13), venue=None)
    coming = MeetingFactory(date=datetime.date(2025, 11, 13), venue=None)
    past_page = page_text(client.get(past.get_absolute_url()))
    assert "Lieu Lieu non communiqué" in past_page
    assert "Lieu à préciser" not in past_page
    assert "Lieu Lieu à préciser" in page_text(client.get(coming.get_absolute_url()))
