"""The public report, its CSV, the network page and the coordinator's dashboard."""

import datetime
import re
from decimal import Decimal
from unittest.mock import patch

import pytest
from django.urls import reverse

from groups.models import Meeting
from tests.factories import (
    ActivityCountFactory,
    ActivityReportFactory,
    CooperationFactory,
    MeetingAnswerFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    StructureFactory,
    WorkingGroupFactory,
    YearlyFiguresFactory,
)
from tests.public_site import frozen, page_text

pytestmark = pytest.mark.django_db


def _data(size: int = 1):
    group = WorkingGroupFactory(name="Développement social")
    for index in range(size):
        structure = StructureFactory(name=f"Structure {index}")
        partner = StructureFactory(name=f"Partenaire {index}")
        group.participant_structures.add(structure)
        meeting = MeetingFactory(
            group=group, date=datetime.date(2024, 1 + index % 12, 3), status=Meeting.Status.HELD
        )
        MeetingAnswerFactory(
            meeting=meeting, person=PersonFactory(structure=structure), present=True
        )
        project = ProjectFactory(group=group, name=f"Maison du projet {index}")
        report = ActivityReportFactory(
            project=project,
            period_start=datetime.date(2024, 12, 1),
            period_end=datetime.date(2025, 1, 31),
            beneficiaries=62,
            hours_jobs_created=Decimal(1607),
        )
        ActivityCountFactory(report=report, label="permanences", value=14)
        CooperationFactory(title=f"Boutique {index}", structures=[structure, partner], group=group)
    return group


@frozen(datetime.date(2025, 9, 1))
def test_the_report_of_a_year_says_how_each_figure_is_calculated(client):
    _data()
    YearlyFiguresFactory(year=2024, meetings=34, source="Bilan de l'année 2024")
    page = page_text(client.get(reverse("report:report_year", args=[2024])))
    assert "Bilan de l'année 2024" in page
    assert "34 réunions organisées déclaré par l'association." in page
    # Both figures exist for the year: both shown, with the gap. The computed figure is only
    # « au moins 1 », so the gap is « au moins -33 », not -33 (it used to say « écart : -33. »
    # as if exact), and says which way the bound goes in words a coordinator cannot misread.
    assert (
        "Déclaré par l'association : 34 · calculé à partir du portail : au moins 1 (le portail "
        "enregistre "
        "depuis le 3 janvier 2024, tenue ou annulation notée pour la réunion passée) · "
        "écart : au moins \u221233 (le chiffre calculé, incomplet, compte au plus 33 de moins "
        "que le déclaré)." in page
    )
    assert page.count("Comment ce chiffre est calculé :") == 9
    assert "0,5 emploi créé (équivalent temps plein) calculé" in page
    assert "31 bénéficiaires" in page
    # The period across the new year, split and said so.
    assert "Maison du projet 0, de décembre 2024 à janvier 2025 : 50 % compté en 2024" in page
    assert "14 permanences" in page
    assert "Boutique 0 (Partenaire 0 et Structure 0, depuis mars 2024)" in page
    # The years before the first record (January 2024) and without a declaration are not
    # drawn as zeros: the series starts in 2024.
    assert "Réunions organisées, par année Année Chiffre 2024 34 (déclaré)" in page


@frozen(datetime.date(2025, 9, 1))
def test_a_gap_above_the_declared_figure_is_a_lower_bound_too(client):
    _data(size=3)
    YearlyFiguresFactory(year=2024, meetings=1)
    page = page_text(client.get(reverse("report:report_year", args=[2024])))
    assert "calculé à partir du portail : au moins 3 (" in page
    # The true figure is 3 or more: the true gap is +2 or more.
    assert "· écart : au moins +2." in page


@frozen(datetime.date(2025, 9, 1))
def test_a_year_without_data_is_not_renseigne_rather_than_zero(client):
    page = page_text(client.get(reverse("report:report_year", args=[2021])))
    assert (
        "Le portail ne sait rien de 2021 : le portail n'enregistre encore aucune réunion, et "
        "l'association n'a pas publié de chiffres pour cette année." in page
    )
    assert "non renseigné réunions organisées non renseigné" in page
    assert "0 réunion" not in page


@frozen(datetime.date(2025, 9, 1))
def test_no_report_for_a_year_to_come_and_the_latest_is_last_year(client):
    assert client.get(reverse("report:report_year", args=[2026])).status_code == 404
    response = client.get(reverse("report:latest_report"))
    assert response.url == reverse("report:report_year", args=[2024])


@frozen(datetime.date(2025, 9, 1))
def test_the_csv_opens_in_french_excel(client):
    _data()
    response = client.get(reverse("report:report_csv", args=[2024]))
    text = response.content.decode("utf-8")
    # The portal's records begin in 2024: the years before are not given as zeros.
    assert text.startswith(
        "\ufeffChiffre;2024;Calculé en 2024;Déclaré en 2024;"
        "Ce que couvrent les enregistrements en 2024\r\n"
    )
    # The computed figure's coverage: a spreadsheet's number cannot say « au moins », the
    # coverage column says it in words.
    assert (
        "emplois créés (équivalents temps plein);0,5;0,5;;chiffre calculé incomplet, au moins "
        "0,5\u00a0: le portail enregistre depuis le "
        "3\u00a0janvier 2024, bilan d'activité saisi pour le projet accompagné\r\n"
    ) in text
    assert response["Content-Disposition"] == 'attachment; filename="bilan-2024.csv"'
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@frozen(datetime.date(2025, 9, 1))
def test_the_csv_thousands_are_numbers_in_excel(client):
    # « 1 932 » with a narrow no-break space is text to Excel: it could not add it up.
    YearlyFiguresFactory(year=2023, beneficiaries=1932)
    text = client.get(reverse("report:report_csv", args=[2024])).content.decode()
    # Nothing recorded, one year declared: the years before it are left out, the others are
    # « non renseigné », never 0.
    assert "bénéficiaires;1932;non renseigné;non renseigné;;" in text


@frozen(datetime.date(2025, 9, 1))
@pytest.mark.parametrize("size", [1, 6])
def test_the_report_costs_the_same_queries_whatever_the_data(
    client, size, django_assert_num_queries
):
    _data(size)
    client.get("/")  # the site identity and the session are not the report's
    # identity, figures (eight), groups, reports and their counts, cooperations and their
    # structures
    with django_assert_num_queries(15):  # and where the records begin, and the content version
        client.get(reverse("report:report_year", args=[2024]))


@frozen(datetime.date(2025, 9, 1))
def test_the_network_is_drawn_and_listed(client):
    _data(2)
    response = client.get(reverse("report:network"))
    page = page_text(response)
    html = response.content.decode()
    assert html.count('<circle class="network-dot"') == 4
    assert html.count('<circle class="network-hub"') == 1
    assert html.count('class="network-link network-link-cooperation"') == 2
    # Each cooperation says its name on hover and focus.
    assert (
        "<title>Coopération «\u00a0Boutique 0\u00a0»\u00a0: Structure 0, Partenaire 0</title>"
    ) in html
    assert "le dessin et la liste montrent" not in page
    assert "4 structures, 2 coopérations" in page
    assert "Partenaire 0 Coopère avec : Structure 0 (Boutique 0)." in page
    assert "Structure 1 Groupes : Développement social. Coopère avec : Partenaire 1" in page


@frozen(datetime.date(2025, 9, 1))
def test_a_network_too_large_to_read_draws_the_best_linked_and_says_so(client, settings):
    group = _data(3)
    busiest = StructureFactory(name="Très reliée")
    group.participant_structures.add(busiest)
    for index in range(2):
        CooperationFactory(
            title=f"Atelier {index}", structures=[busiest, StructureFactory()], group=group
        )
    with patch("report.network.MAX_DRAWN", 3):
        response = client.get(reverse("report:network"))
    page = page_text(response)
    assert "Le réseau compte 9 structures : le dessin et la liste montrent les 3 plus" in page
    assert "3 structures sur 9, 4 coopérations" in page
    assert response.content.decode().count('<circle class="network-dot"') == 3
    assert "Très reliée" in page
    assert f'href="{reverse("site:structure_list")}?groupe={group.slug}"' in (
        response.content.decode()
    )


@frozen(datetime.date(2025, 9, 1))
@pytest.mark.parametrize("size", [1, 6])
def test_the_network_costs_the_same_queries_whatever_the_data(
    client, size, django_assert_num_queries
):
    _data(size)
    client.get("/")
    # identity, the cooperations' structures (ids), groups, their structures (ids), the
    # cooperations drawn, the structures drawn
    with django_assert_num_queries(7):  # and the content version (ptce/cache.py)
        client.get(reverse("report:network"))


@frozen(datetime.date(2025, 9, 1))
def test_the_dashboard_links_each_figure_to_its_records(coordinator_client):
    group = _data()
    page = page_text(coordinator_client.get(reverse("admin:report_dashboard")))
    assert "L'année 2025 jusqu'à aujourd'hui, à côté de l'année 2024" in page
    # What each figure's records cover, so that the coordinator knows what to enter.
    assert "1 le portail enregistre depuis le 3 janvier 2024, émargement saisi pour la" in page
    assert "1 le portail enregistre depuis le 3 janvier 2024, tenue ou annulation notée" in page
    # A zero from a year the records cover in part says nothing: not « au moins 0 ».
    assert "Salariés de l'association (équivalents temps plein) 0,0 non renseigné : " in page
    records = coordinator_client.get(
        reverse("admin:report_records", args=["structures", 2024]) + f"?groupe={group.pk}"
    )
    assert "Structure 0" in page_text(records)
    assert coordinator_client.get(reverse("admin:index")).status_code == 200


def test_the_dashboard_is_for_the_back_office_only(client):
    response = client.get(reverse("admin:report_dashboard"))
    assert response.status_code == 302


@frozen(datetime.date(2025, 9, 1))
def test_the_home_page_shows_last_year_computed_when_nothing_was_declared(client):
    _data()  # one meeting in 2024, a report across the new year
    page = page_text(client.get(reverse("site:home")))
    assert "L'année 2024 en chiffres" in page
    # The portal began during 2024 (its first meeting): what it counts is « au moins ».
    assert "réunion organisée au moins 1 " in page
    assert "bénéficiaires au moins 31" in page
    assert "(déclaré)" not in page


@frozen(datetime.date(2025, 9, 1))
def test_a_year_the_portal_only_partly_recorded_shows_what_was_declared(client):
    # The portal began in December 2024: one meeting recorded, 34 declared for the year. The
    # declaration shows (on the home page as on the report), the computed figure beside it.
    _data()
    YearlyFiguresFactory(year=2024, meetings=34, beneficiaries=None, source="Lettre 2024")
    home = page_text(client.get(reverse("site:home")))
    assert "réunions organisées (déclaré) 34" in home
    assert "bénéficiaires au moins 31" in home  # not declared: computed
    assert "Chiffres déclarés : Lettre 2024." in home
    report = page_text(client.get(reverse("report:report_year", args=[2024])))
    assert "34 réunions organisées déclaré par l'association." in report
    # Beside the declared one, the computed figure is still « au moins »: the portal began
    # during the year, and the gap is not the association's figure overstated.
    assert (
        "calculé à partir du portail : au moins 1 (le portail enregistre depuis le 3 janvier "
        "2024, " in report
    )


@frozen(datetime.date(2025, 9, 1))
@pytest.mark.parametrize("size", [1, 6])
def test_the_dashboard_and_its_records_cost_the_same_queries_whatever_the_data(
    coordinator_client, size, django_assert_num_queries
):
    group = _data(size)
    WorkingGroupFactory.create_batch(size)
    coordinator_client.get(reverse("admin:index"))
    # session, user, figures (eight), groups
    with django_assert_num_queries(14):
        coordinator_client.get(reverse("admin:report_dashboard"))
    for key in ("meetings", "people", "structures", "projects", "cooperations", "jobs_created"):
        # session, user, the group, the records, the admin's frame
        with django_assert_num_queries(7):
            response = coordinator_client.get(
                reverse("admin:report_records", args=[key, 2024]) + f"?groupe={group.pk}"
            )
        assert response.status_code == 200


@frozen(datetime.date(2026, 2, 1))
def test_an_unpublished_project_is_not_named_in_the_report(client):
    group = WorkingGroupFactory(name="Développement social")
    shown = ProjectFactory(group=group, name="Maison du projet")
    hidden = ProjectFactory(group=group, name="Projet CONFIDENTIEL", is_published=False)
    for project in (shown, hidden):
        ActivityReportFactory(
            project=project,
            period_start=datetime.date(2025, 12, 1),
            period_end=datetime.date(2026, 1, 31),
            beneficiaries=10,
        )
    page = page_text(client.get(reverse("report:report_year", args=[2025])))
    assert "Maison du projet" in page
    assert "CONFIDENTIEL" not in page
    # Its group's page hides it too.
    assert "CONFIDENTIEL" not in page_text(client.get(group.get_absolute_url()))


@frozen(datetime.date(2025, 9, 1))
def test_the_report_counts_only_the_meetings_recorded_as_held(client):
    # Issue 25: « held » is the meeting's status. A cancelled meeting, and one whose day passed
    # without anybody closing its sign-in sheet, count for nothing, on the year's figures as
    # on the group's, even with an answer marked present.
    group = WorkingGroupFactory(name="Mobilité")
    held = MeetingFactory(group=group, date=datetime.date(2024, 3, 5), status=Meeting.Status.HELD)
    cancelled = MeetingFactory(group=group, date=datetime.date(2024, 4, 5), is_cancelled=True)
    forgotten = MeetingFactory(group=group, date=datetime.date(2024, 5, 5))
    for meeting, name in ((held, "ADDS"), (cancelled, "APEI"), (forgotten, "ACTIV")):
        MeetingAnswerFactory(
            meeting=meeting,
            person=PersonFactory(structure=StructureFactory(name=name)),
            present=True,
        )
    page = page_text(client.get(reverse("report:report_year", args=[2024])))
    assert "1 réunion organisée calculé" in page
    assert "1 membre impliqué dans les groupes de travail calculé" in page
    assert "1 structure contributrice calculé" in page
    # The portal began in March: the group's figures are « au moins », as the year's.
    assert "Mobilité au moins 1 réunion organisée au moins 1 membre impliqué" in page


@frozen(datetime.date(2025, 9, 1))
def test_the_report_never_breaks_a_number_across_lines(client):
    """« 1 607 heures » with a plain space could end a line between « 1 » and « 607 »."""
    _data()
    YearlyFiguresFactory(year=2023, beneficiaries=1932)
    html = client.get(reverse("report:report_year", args=[2024])).content.decode()
    assert "1\u202f607 heures" in html
    assert re.findall(r"\d \d{3}\b", re.sub(r"<[^>]*>", " ", html)) == []
