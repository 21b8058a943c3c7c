"""The rule of report/coverage.py: a computed figure says what its records cover, and is
« non renseigné » (never 0) where they cover less than half of what it counts over."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from groups.models import Meeting, Project, ProjectStatusChange
from report import coverage, figures
from tests.factories import (
    ActivityReportFactory,
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
HELD = Meeting.Status.HELD


@pytest.mark.parametrize(
    ("recorded", "total", "meaningful", "complete"),
    [(0, 9, False, False), (4, 9, False, False), (5, 9, True, False), (9, 9, True, True)],
)
def test_the_line_is_half_of_what_a_figure_counts_over(recorded, total, meaningful, complete):
    sheets = coverage.attendance(recorded, total)
    assert (sheets.meaningful, sheets.complete) == (meaningful, complete)


def test_nothing_to_cover_is_a_true_zero_and_the_coverage_reads_in_french():
    assert coverage.attendance(0, 0).meaningful
    assert str(coverage.attendance(0, 9)) == "émargement saisi pour 0 des 9 réunions tenues"
    assert str(coverage.attendance(0, 1)) == "émargement non saisi pour la réunion tenue"
    assert str(coverage.activity(2, 5)) == (
        "bilan d'activité saisi pour 2 des 5 projets accompagnés"
    )


def _meetings(year: int, held: int, with_sheet: int):
    group = WorkingGroupFactory()
    person = PersonFactory(structure=StructureFactory())
    for index in range(held):
        meeting = MeetingFactory(group=group, date=datetime.date(year, 1 + index, 10), status=HELD)
        if index < with_sheet:
            MeetingAnswerFactory(meeting=meeting, person=person, present=True)


def _portal_since_2024():
    """A meeting in 2024: the portal's records cover 2025 whole."""
    MeetingFactory(date=datetime.date(2024, 6, 1), status=HELD)


def _values(year: int, today: datetime.date) -> dict:
    by_year = figures.figures_for_years([year], today=today)[year]
    return {value.figure.key: value for value in by_year.values}


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_people_counted_from_no_sign_in_sheet_are_not_renseigne():
    _portal_since_2024()
    _meetings(2025, held=9, with_sheet=0)
    values = _values(2025, datetime.date(2026, 2, 1))
    assert values["meetings"].shown == 9  # the meetings themselves are known
    assert values["people"].shown is None and values["structures"].shown is None
    assert values["people"].coverage_text == "émargement saisi pour 0 des 9 réunions tenues"


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_half_the_sheets_give_an_at_least_figure():
    _meetings(2025, held=4, with_sheet=2)
    people = _values(2025, datetime.date(2026, 2, 1))["people"]
    assert (people.shown, people.is_partial) == (1, True)


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_jobs_without_the_projects_reports_are_not_renseigne():
    _portal_since_2024()
    _meetings(2025, held=1, with_sheet=1)
    reported, silent, _also_silent = ProjectFactory.create_batch(3)
    ActivityReportFactory(
        project=reported,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
        hours_jobs_created=Decimal(1607),
        beneficiaries=40,
    )
    for project in (silent, _also_silent):
        ProjectStatusChange.objects.create(
            project=project, status=Project.Status.RUNNING, since=datetime.date(2024, 6, 1)
        )
    values = _values(2025, datetime.date(2026, 2, 1))
    assert values["projects"].shown == 3
    assert values["jobs_created"].shown is None
    assert values["beneficiaries"].coverage_text == (
        "bilan d'activité saisi pour 1 des 3 projets accompagnés"
    )


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_the_year_the_portal_began_is_counted_at_least():
    _meetings(2025, held=2, with_sheet=2)
    meetings = _values(2025, datetime.date(2026, 2, 1))["meetings"]
    assert (meetings.shown, meetings.is_partial) == (2, True)
    assert meetings.coverage_text == (
        "le portail enregistre depuis le 10\u00a0janvier 2025, "
        "tenue ou annulation notée pour 2 des 2 réunions passées"
    )


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_a_year_before_the_first_record_shows_only_what_was_declared():
    _meetings(2025, held=1, with_sheet=1)
    YearlyFiguresFactory(year=2024, members_involved=113)
    values = _values(2024, datetime.date(2026, 2, 1))
    assert (values["people"].shown, values["people"].is_declared) == (113, True)
    assert values["own_staff"].shown is None  # never declared, not recorded
    assert values["own_staff"].coverage_text == (
        "le portail enregistre depuis le 10\u00a0janvier 2025"
    )


# --- As a visitor reads it --------------------------------------------------------------------


def _year_without_sign_in_sheets():
    """2024 declared (113 members, 62 structures); 2025's nine meetings held, no sheet typed in."""
    YearlyFiguresFactory(
        year=2024, meetings=34, members_involved=113, contributing_structures=62, source="Bilan"
    )
    _portal_since_2024()
    _meetings(2025, held=9, with_sheet=0)


@frozen(datetime.date(2026, 2, 1))
def test_the_report_says_non_renseigne_rather_than_zero(client):
    _year_without_sign_in_sheets()
    response = client.get(reverse("report:report_year", args=[2025]))
    page = page_text(response)
    assert "non renseigné membres impliqués dans les groupes de travail non renseigné : " in page
    assert "émargement saisi pour 0 des 9 réunions tenues." in page
    assert "0 membre" not in page and "0 structure" not in page
    # The group's own numbers follow the same rule.
    assert "9 réunions organisées non renseigné membres impliqués" in page
    assert "9 réunions organisées calculé" in page
    # The chart's series starts at the first year known (2024, declared): 2021 to 2023 are not
    # drawn; 2025 is drawn unlike a zero.
    assert (
        "Membres impliqués dans les groupes de travail, par année Année Chiffre "
        "2024 113 (déclaré) 2025 non renseigné"
    ) in page
    html = response.content.decode()
    # people, structures, and the own staff (no position recorded: tests/report/test_own_staff.py)
    assert html.count('class="chart-unknown chart-unknown-current"') == 3
    assert ">2023</text>" not in html


@frozen(datetime.date(2026, 2, 1))
def test_the_home_says_non_renseigne_rather_than_zero(client):
    _year_without_sign_in_sheets()
    page = page_text(client.get(reverse("site:home")))
    assert "L'année 2025 en chiffres" in page
    assert (
        "membres impliqués dans les groupes de travail non renseigné "
        "(émargement saisi pour 0 des 9 réunions tenues)"
    ) in page
    assert "réunions organisées 9" in page


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_meetings_not_noted_held_or_cancelled_are_not_renseigne():
    """2025's nine meetings are dated, one noted held, the others never noted held nor
    cancelled: « 1 réunion organisée » beside 2024's 34 would read as a collapse."""
    _portal_since_2024()
    group = WorkingGroupFactory()
    MeetingFactory(group=group, date=datetime.date(2025, 1, 10), status=HELD)
    MeetingFactory(group=group, date=datetime.date(2025, 2, 10), is_cancelled=True)
    for month in range(3, 10):
        MeetingFactory(group=group, date=datetime.date(2025, month, 10))
    MeetingFactory(group=group, date=datetime.date(2026, 3, 10))  # still to come: not counted
    meetings = _values(2025, datetime.date(2026, 2, 1))["meetings"]
    assert meetings.shown is None
    assert meetings.coverage_text == "tenue ou annulation notée pour 2 des 9 réunions passées"
    assert str(coverage.outcome(1, 1)) == "tenue ou annulation notée pour la réunion passée"


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_meetings_mostly_noted_give_an_at_least_figure():
    _portal_since_2024()
    _meetings(2025, held=5, with_sheet=5)
    MeetingFactory(date=datetime.date(2025, 11, 10))
    meetings = _values(2025, datetime.date(2026, 2, 1))["meetings"]
    assert (meetings.shown, meetings.is_partial) == (5, True)


@frozen(datetime.date(2026, 2, 1))
def test_a_groups_numbers_follow_the_rule(client):
    """The groups' numbers on the report are no false zeros either: in 2024, the year the
    portal began (December), a group with no meeting recorded did not meet « 0 » times; in
    2025, a group whose meetings were never noted held or cancelled is « non renseigné »."""
    began = WorkingGroupFactory(name="Développement social")
    MeetingFactory(group=began, date=datetime.date(2024, 12, 12), status=HELD)
    silent = WorkingGroupFactory(name="Transition")
    ProjectStatusChange.objects.create(
        project=ProjectFactory(group=silent),
        status=Project.Status.RUNNING,
        since=datetime.date(2024, 6, 1),
    )
    MeetingFactory(group=silent, date=datetime.date(2025, 10, 13))
    MeetingFactory(group=silent, date=datetime.date(2025, 12, 15))
    report_2024 = page_text(client.get(reverse("report:report_year", args=[2024])))
    assert "Transition non renseigné réunions organisées non renseigné membres" in report_2024
    assert "0 réunion" not in report_2024 and "0 membre" not in report_2024
    assert "Transition non renseigné réunions organisées" in report_2024
    assert "au moins 1 projet accompagné" in report_2024
    assert "Développement social au moins 1 réunion organisée" in report_2024
    report_2025 = page_text(client.get(reverse("report:report_year", args=[2025])))
    assert "Transition non renseigné réunions organisées non renseigné membres" in report_2025
    # « au moins 0,0 » says nothing: the year the portal began, a zero is « non renseigné ».
    assert "au moins 0" not in report_2024


@time_machine.travel(datetime.datetime(2026, 2, 1, 12), tick=False)
def test_people_of_meetings_never_noted_held_are_not_a_true_zero():
    """No meeting noted held, so no sign-in sheet to enter (0 of 0): the people are not 0,
    they are as unknown as the meetings."""
    _portal_since_2024()
    for month in range(3, 10):
        MeetingFactory(date=datetime.date(2025, month, 10))
    values = _values(2025, datetime.date(2026, 2, 1))
    assert values["people"].shown is None and values["structures"].shown is None
    assert values["people"].coverage_text == (
        "tenue ou annulation notée pour 0 des 7 réunions passées"
    )


@frozen(datetime.date(2026, 2, 1))
def test_the_page_says_the_rule_for_the_meetings_too(client):
    page = page_text(client.get(reverse("report:report_year", args=[2025])))
    assert (
        "ces années-là ne sont pas dessinées. Le nombre de réunions suit la même règle : une "
        "réunion passée ne compte que notée tenue, et il dit pour combien des réunions passées "
        "on a noté si elles se sont tenues ou annulées."
    ) in page


@frozen(datetime.date(2026, 2, 1))
def test_the_report_leads_back_no_further_than_the_first_year_known(client):
    """2024 is the first year the portal or a declaration knows: its report does not lead to
    2023's, which knows nothing (and from there back to 2000)."""
    _year_without_sign_in_sheets()
    report_2024 = page_text(client.get(reverse("report:report_year", args=[2024])))
    assert "Bilan 2023" not in report_2024 and "Bilan 2025" in report_2024
    assert "Bilan 2024" in page_text(client.get(reverse("report:report_year", args=[2025])))


def _chart_labels(html: str, key: str) -> list[str]:
    """The labels drawn above the bars of the figure `key`'s chart, top to bottom per bar."""
    section = html.split(f'aria-labelledby="chiffre-{key}"', 1)[1].split("</svg>", 1)[0]
    return re.findall(r'<text class="chart-value"[^>]*>([^<]*)</text>', section)


@frozen(datetime.date(2026, 2, 1))
def test_the_chart_says_au_moins_above_a_partial_bar_as_the_table_does(client):
    YearlyFiguresFactory(year=2024, members_involved=113, contributing_structures=62)
    _portal_since_2024()
    _meetings(2025, held=4, with_sheet=3)  # three sheets of four: « au moins »
    response = client.get(reverse("report:report_year", args=[2025]))
    html = response.content.decode()
    people = _chart_labels(html, "people")
    assert people[:1] == ["113"] and people[1:3] == ["au moins", people[2]]
    assert people[2] != "au moins" and len(people) == 3
    assert f"2025 au moins {people[2]}" in page_text(response)  # the table beside
    # The meetings, all noted: no « au moins » over their bar.
    assert "au moins" not in _chart_labels(html, "meetings")
