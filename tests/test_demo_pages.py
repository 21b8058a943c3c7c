"""The newsletter's facts, loaded by `load_newsletter`, on the pages where a partner looks for
them: the leads, the meeting dates and places, the seminar programme, the figures, the team.

Time is frozen on 1 September 2025, between the newsletter's summer and its autumn meetings."""

import datetime
import io

import icalendar
import pytest
from django.core.management import call_command
from django.urls import reverse

from events.models import Event
from groups.models import Meeting, WorkingGroup
from tests.public_site import PARIS, frozen, page_text

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2025, 9, 1)
GARAGE = "Garage solidaire, ZAC des Chauffours, Courrières"


@pytest.fixture
def newsletter(db):
    with frozen(TODAY):
        call_command("load_newsletter", stdout=io.StringIO())


def page(client, url) -> str:
    with frozen(TODAY):
        response = client.get(url)
    assert response.status_code == 200, url
    return page_text(response)


def group_url(name: str) -> str:
    return WorkingGroup.objects.get(name=name).get_absolute_url()


def test_the_loader_adds_no_sample_meeting(newsletter):
    assert not Meeting.objects.samples().exists()


def test_home_shows_each_groups_next_meeting_the_2024_figures_and_the_call_to_join(
    client, newsletter
):
    text = page(client, reverse("site:home"))
    for expected in (
        "Mobilité sociale, solidaire et inclusive Vendredi 12 septembre 2025 à 9 h "
        "Garage solidaire, ZAC des Chauffours, Courrières",
        "Alimentation durable et consommation responsable Mardi 7 octobre 2025 à 14 h "
        "Siège de l'APEI Hénin-Carvin, 239 rue Philibert Robiaud, Hénin-Beaumont",
        "Développement social local et citoyenneté active Jeudi 25 septembre 2025 à 14 h "
        "PIAC, 24 rue des Lilas, Carvin",
        "Transition énergétique et économie circulaire Lundi 13 octobre 2025 à 14 h "
        "ADDS, 2 rue Léon Hourriez, Montigny-en-Gohelle",
        "L'année 2024 en chiffres",
        "réunions organisées (déclaré) 34",
        "membres impliqués dans les groupes de travail (déclaré) 113",
        "structures contributrices (déclaré) 62",
        "emplois créés (équivalents temps plein) (déclaré) 19,7",
        "projets accompagnés (déclaré) 16",
        "coopérations opérationnelles (déclaré) 13",
        "bénéficiaires (déclaré) 1 932",
        "Rejoignez un groupe de travail",
    ):
        assert expected in text, expected


@pytest.mark.parametrize(
    ("group", "leads", "contacts", "meetings"),
    [
        (
            "Mobilité sociale, solidaire et inclusive",
            ["Fabrice TAUPIN Chef de file, AFEJI Hauts-de-France (AFEJI HDF)"],
            ["03 59 61 05 20"],
            [
                f"Vendredi 12 septembre 2025 à 9 h {GARAGE}",
                f"Vendredi 14 novembre 2025 à 9 h {GARAGE}",
            ],
        ),
        (
            "Alimentation durable et consommation responsable",
            [
                "Odette DAUCHET Cheffe de file, DIE",
                "Brigitte MONSEU Cheffe de file, APEI Hénin-Carvin (APEI)",
            ],
            ["APEI Hénin-Carvin : siege@apei-henin.com", "DIE : 03 21 20 79 44"],
            [
                "Mardi 7 octobre 2025 à 14 h Siège de l'APEI Hénin-Carvin, "
                "239 rue Philibert Robiaud, Hénin-Beaumont",
                "Mardi 2 décembre 2025 à 14 h Siège de l'APEI Hénin-Carvin",
            ],
        ),
        (
            "Développement social local et citoyenneté active",
            [
                "Olivier HERLIN Chef de file, 1001 Commerce",
                "Serge ROUSSEL Chef de file, Les Compagnons Bâtisseurs",
            ],
            ["contact@1001commerce.fr", "s.roussel@compagnonsbatisseurs.eu"],
            [
                "Jeudi 25 septembre 2025 à 14 h PIAC, 24 rue des Lilas, Carvin",
                "Jeudi 27 novembre 2025 à 14 h PIAC, 24 rue des Lilas, Carvin",
            ],
        ),
        (
            "Transition énergétique et économie circulaire",
            ["Nordine BOUKHATEB Chef de file, ADDS"],
            ["03 21 20 35 58"],
            [
                "Lundi 13 octobre 2025 à 14 h ADDS, 2 rue Léon Hourriez, Montigny-en-Gohelle",
                "Lundi 15 décembre 2025 à 14 h ADDS, 2 rue Léon Hourriez, Montigny-en-Gohelle",
            ],
        ),
    ],
)
def test_each_group_page_shows_its_leads_contacts_and_meetings(
    client, newsletter, group, leads, contacts, meetings
):
    text = page(client, group_url(group))
    upcoming = text[text.index("Prochaines réunions") : text.index("Réunions passées")]
    for expected in leads + contacts:
        assert expected in text, expected
    for expected in meetings:
        assert expected in upcoming, expected


def test_the_development_groups_past_meetings_have_no_invented_hour(client, newsletter):
    text = page(client, group_url("Développement social local et citoyenneté active"))
    past = text[text.index("Réunions passées") :]
    assert "Jeudi 27 février 2025" in past and "Jeudi 12 décembre 2024" in past
    assert "Jeudi 27 février 2025 à" not in past


def test_the_agenda_lists_the_autumn_meetings_and_the_ess_breakfasts_in_order(client, newsletter):
    text = page(client, reverse("site:agenda"))
    order = [
        "Vendredi 12 septembre 2025 à 9 h",
        "Jeudi 25 septembre 2025 à 14 h",
        "Mardi 7 octobre 2025 à 14 h",
        "Lundi 13 octobre 2025 à 14 h",
        "Petit déjeuner de l'ESS Mardi 14 octobre 2025 à 8 h 30",
        "Vendredi 14 novembre 2025 à 9 h",
        "Petit déjeuner de l'ESS Mardi 25 novembre 2025 à 8 h 30",
        "Jeudi 27 novembre 2025 à 14 h",
        "Mardi 2 décembre 2025 à 14 h",
        "Lundi 15 décembre 2025 à 14 h",
    ]
    positions = [text.index(item) for item in order]
    assert positions == sorted(positions)


def test_the_seminar_page_shows_the_programme_in_order_with_speakers_and_facilitators(
    client, newsletter
):
    seminar = Event.objects.get(date=datetime.date(2025, 5, 13))
    text = page(client, seminar.get_absolute_url())
    assert "Mardi 13 mai 2025 Grande chaufferie du 9-9bis, Oignies" in text
    programme = text[text.index("Programme") :]
    steps = [
        "Matin",
        "Ouverture Discours d'ouverture Nordine BOUKHATEB, président du PTCE Hénin-Carvin",
        "Intervention du vice-président de la CAHC",
        "Marcello DELLA FRANCA, vice-président de la CAHC",
        "Témoignage L'intérêt stratégique du modèle de la SCIC",
        "Rachid CHERFAOUI",
        "Les indicateurs de suivi d'activité des PTCE",
        "Animation : Chambre régionale de l'économie sociale et solidaire (CRESS)",
        "Animation : APES",
        "Animation : IRIAE",
        "Animation : Institut Godin",
        "Après-midi",
        "Table ronde L'évolution des structures de l'ESS",
        "Sarah DUPONT, chargée de mission ESS de la CAHC",
        "Isabelle LEROY-SELOSSE",
        "Sylvain DURSENT",
        "Table du groupe Transition écologique",
        "Table du groupe Développement social",
        "Table du groupe Mobilité sociale",
    ]
    positions = [programme.index(step) for step in steps]
    assert positions == sorted(positions)


def test_the_about_page_tells_the_story_and_introduces_the_team(client, newsletter):
    text = page(client, reverse("site:about"))
    for expected in (
        "En 2021, sept acteurs de l'économie sociale et solidaire",
        "SCIC",
        "Nordine BOUKHATEB",
        "Rodolphe MOGLIA",
        "depuis juillet 2024",
        "Jean-Michel BONDU",
        "depuis mars 2024",
        "Résidence Alsace ZAC des Deux Villes Montigny-en-Gohelle",
        "06 80 59 63 40",
    ):
        assert expected in text, expected
    assert text.index("Nordine BOUKHATEB") < text.index("Rodolphe MOGLIA")
    assert text.index("Rodolphe MOGLIA") < text.index("Jean-Michel BONDU")


def test_the_directory_marks_the_founding_members_of_2025(client, newsletter):
    text = page(client, reverse("site:structure_list") + "?membres=on")
    for name in ("1001 Commerce", "AFEJI Hauts-de-France", "Les Compagnons Bâtisseurs"):
        assert name in text
    assert "Institut Godin" not in text


def test_the_mobility_calendar_feed_has_both_meetings_at_the_garage(client, newsletter):
    with frozen(TODAY):
        response = client.get(
            reverse(
                "groups:group_calendar",
                kwargs={
                    "slug": WorkingGroup.objects.get(
                        name="Mobilité sociale, solidaire et inclusive"
                    ).slug
                },
            )
        )
    calendar = icalendar.Calendar.from_ical(response.content)
    # « PTCE » alone says nothing in a list of calendars: the association's full name.
    assert str(calendar["X-WR-CALNAME"]) == (
        "Mobilité sociale, solidaire et inclusive — PTCE Hénin-Carvin"
    )
    events = calendar.walk("VEVENT")
    assert sorted(e.decoded("DTSTART") for e in events) == [
        datetime.datetime(2025, 9, 12, 9, tzinfo=PARIS),
        datetime.datetime(2025, 11, 14, 9, tzinfo=PARIS),
    ]
    assert {str(e["LOCATION"]) for e in events} == {
        "Garage solidaire, ZAC des Chauffours, Courrières"
    }
    assert all("Heure de fin non communiquée" in str(e["DESCRIPTION"]) for e in events)


def test_sample_meetings_follow_each_groups_rhythm_after_the_newsletter(newsletter, settings):
    settings.DEBUG = True
    with frozen(datetime.date(2026, 11, 23)):
        call_command("make_sample_meetings", stdout=io.StringIO())
    mobility = Meeting.objects.samples().filter(group__name__startswith="Mobilité")
    assert mobility.exists()
    assert {m.date.weekday() for m in mobility} == {4}  # Fridays, like 14 November 2025
    assert {m.start_time for m in mobility} == {datetime.time(9)}
    assert {m.venue.name for m in mobility} == {"Garage solidaire"}
