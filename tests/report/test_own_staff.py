"""The association's own staff: « non renseigné » while no position is recorded, never a false
0; a true 0 for a year no recorded position covers; a figure the coordinator can declare."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from groups.models import Meeting
from tests.factories import MeetingFactory, StaffContractFactory, YearlyFiguresFactory
from tests.public_site import frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]

HELD = Meeting.Status.HELD
LABEL = "salariés de l'association (équivalents temps plein)"


def _report_2025(client) -> str:
    # A meeting in 2024: the portal's records cover 2025 whole.
    MeetingFactory(date=datetime.date(2024, 6, 1), status=HELD)
    return page_text(client.get(reverse("report:report_year", args=[2025])))


@frozen(datetime.date(2026, 2, 1))
def test_no_position_recorded_is_non_renseigne_and_the_page_says_why(client):
    page = _report_2025(client)
    assert (
        f"non renseigné {LABEL} non renseigné : aucun poste salarié de l'association n'est "
        "saisi sur le portail."
    ) in page
    assert "0,0 salarié" not in page
    assert "Tant qu'aucun poste n'est saisi sur le portail, ce chiffre est « non renseigné »" in (
        page
    )


@frozen(datetime.date(2026, 2, 1))
def test_once_a_position_is_recorded_a_year_none_covers_is_a_true_zero(client):
    StaffContractFactory(start=datetime.date(2024, 7, 1), end=datetime.date(2024, 12, 31))
    page = _report_2025(client)
    assert "0,0 salarié de l'association (équivalent temps plein) calculé" in page
    assert "aucun poste salarié" not in page


@frozen(datetime.date(2026, 2, 1))
def test_a_recorded_position_counts_pro_rata(client):
    StaffContractFactory(start=datetime.date(2025, 1, 1), work_rate=50)
    assert "0,5 salarié de l'association (équivalent temps plein) calculé" in _report_2025(client)


@frozen(datetime.date(2026, 2, 1))
def test_a_declared_figure_is_shown_where_no_position_is_recorded(client):
    YearlyFiguresFactory(year=2025, own_staff_fte=Decimal("1.0"))
    page = _report_2025(client)
    assert "1,0 salarié de l'association (équivalent temps plein) déclaré par l'association" in (
        page
    )


@frozen(datetime.date(2026, 2, 1))
def test_declared_and_computed_are_both_shown_with_their_gap(client):
    YearlyFiguresFactory(year=2025, own_staff_fte=Decimal("1.0"))
    StaffContractFactory(start=datetime.date(2025, 1, 1), work_rate=50)
    page = _report_2025(client)
    assert (
        "Déclaré par l'association : 1,0 · calculé à partir du portail : 0,5 · écart : \u22120,5."
    ) in page


@frozen(datetime.date(2026, 2, 1))
def test_the_home_page_does_not_list_the_own_staff(client):
    YearlyFiguresFactory(year=2025, meetings=3, own_staff_fte=Decimal("1.0"))
    MeetingFactory(date=datetime.date(2024, 6, 1), status=HELD)
    page = page_text(client.get(reverse("site:home")))
    assert "L'année 2025 en chiffres" in page and "salarié" not in page


def test_the_coordinator_declares_it_with_the_year_figures(coordinator_client):
    page = page_text(coordinator_client.get(reverse("admin:report_yearlyfigures_add")))
    assert "Salariés de l'association (ETP)" in page
    response = coordinator_client.post(
        reverse("admin:report_yearlyfigures_add"),
        {"year": 2025, "is_published": "on", "own_staff_fte": "1.0"},
    )
    assert response.status_code == 302, page_text(response)
    YearlyFigures = YearlyFiguresFactory._meta.model
    assert YearlyFigures.objects.get(year=2025).own_staff_fte == Decimal("1.0")
