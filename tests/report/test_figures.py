"""Each figure on hand-built data with known answers, and the edge cases of the issue."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError

from groups.models import Meeting, Project, ProjectStatusChange
from groups.services.projects import save_project
from report import figures
from report.models import ActivityReport
from tests.factories import (
    ActivityReportFactory,
    CooperationFactory,
    MeetingAnswerFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    StaffContractFactory,
    StructureFactory,
    WorkingGroupFactory,
    YearlyFiguresFactory,
)

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 3, 1)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime.datetime(2025, 3, 1, 12), tick=False):
        yield


HELD = Meeting.Status.HELD


def present(meeting, person):
    return MeetingAnswerFactory(meeting=meeting, person=person, present=True)


@pytest.fixture
def attendance():
    first, second = StructureFactory(name="ADDS"), StructureFactory(name="APEI")
    alice = PersonFactory(structure=first)
    bruno = PersonFactory(structure=second)
    chloe = PersonFactory(structure=None)
    mobility, food = WorkingGroupFactory(), WorkingGroupFactory()
    march = MeetingFactory(group=mobility, date=datetime.date(2024, 3, 1), status=HELD)
    present(march, alice)
    present(march, bruno)
    # Alice also comes to another group's meeting: she counts once.
    present(MeetingFactory(group=food, date=datetime.date(2024, 5, 1), status=HELD), alice)
    # A cancelled meeting counts for nothing, even with an answer marked present.
    cancelled = MeetingFactory(group=food, date=datetime.date(2024, 6, 1), is_cancelled=True)
    present(cancelled, chloe)
    sample = MeetingFactory(group=food, date=datetime.date(2024, 9, 1), is_sample=True)
    present(sample, chloe)
    # Passed, but nobody recorded it as held: it counts for nothing either.
    present(MeetingFactory(group=food, date=datetime.date(2024, 10, 1)), chloe)
    present(MeetingFactory(group=food, date=datetime.date(2025, 2, 1), status=HELD), chloe)
    MeetingFactory(group=food, date=datetime.date(2025, 6, 1))  # still to come
    return mobility, food


def test_meetings_people_and_structures_of_a_year(attendance):
    result = figures.compute([2024, 2025], today=TODAY)
    assert (result[2024]["meetings"], result[2024]["people"], result[2024]["structures"]) == (
        2,
        2,
        2,
    )
    # Chloé has no structure: a person, not a structure.
    assert (result[2025]["meetings"], result[2025]["people"], result[2025]["structures"]) == (
        1,
        1,
        0,
    )


def test_the_records_behind_the_attendance_figures(attendance):
    mobility, food = attendance
    assert figures.records(figures.MEETINGS, 2024, today=TODAY).count() == 2
    assert figures.records(figures.PEOPLE, 2024).count() == 2
    assert figures.records(figures.PEOPLE, 2024, group=food).count() == 1
    assert {s.name for s in figures.records(figures.STRUCTURES, 2024, group=mobility)} == {
        "ADDS",
        "APEI",
    }


def test_per_group_figures_in_one_query(attendance, django_assert_num_queries):
    mobility, food = attendance
    with django_assert_num_queries(1):
        groups = {g.pk: g for g in figures.group_figures([2024, 2025], today=TODAY)}
    assert (groups[mobility.pk].meetings_2024, groups[mobility.pk].people_2024) == (1, 2)
    assert (groups[food.pk].meetings_2024, groups[food.pk].people_2024) == (1, 1)
    assert groups[food.pk].structures_2024 == 1
    assert groups[food.pk].meetings_2025 == 1


def test_a_project_reported_over_two_periods_counts_once():
    project = ProjectFactory()
    ActivityReportFactory(
        project=project,
        period_start=datetime.date(2024, 1, 1),
        period_end=datetime.date(2024, 6, 30),
        beneficiaries=100,
        hours_jobs_created=Decimal("803.5"),
    )
    ActivityReportFactory(
        project=project,
        period_start=datetime.date(2024, 7, 1),
        period_end=datetime.date(2024, 12, 31),
        beneficiaries=50,
        hours_jobs_created=Decimal("803.5"),
        hours_jobs_maintained=Decimal("3214"),
    )
    year = figures.compute([2024])[2024]
    assert year["projects"] == 1
    assert year["beneficiaries"] == 150
    assert year["jobs_created"] == Decimal("1.0")
    assert year["jobs_maintained"] == Decimal("2.0")


def test_a_period_across_the_new_year_is_split_by_its_days():
    # 31 days in December 2024, 31 in January 2025.
    report = ActivityReportFactory(
        period_start=datetime.date(2024, 12, 1),
        period_end=datetime.date(2025, 1, 31),
        beneficiaries=62,
        hours_jobs_created=Decimal(1607),
    )
    result = figures.compute([2024, 2025])
    assert result[2024]["beneficiaries"] == result[2025]["beneficiaries"] == 31
    assert result[2024]["jobs_created"] == result[2025]["jobs_created"] == Decimal("0.5")
    assert result[2024]["projects"] == result[2025]["projects"] == 1
    assert report.spans_new_year
    assert report.share_of_year(2024) == Decimal("0.5")


def test_projects_supported_follow_the_history_of_their_status():
    completed = ProjectFactory(name="Garage")
    idea = ProjectFactory(name="Café inclusif")
    ProjectStatusChange.objects.create(
        project=completed, status=Project.Status.RUNNING, since=datetime.date(2023, 1, 1)
    )
    ProjectStatusChange.objects.create(
        project=completed, status=Project.Status.COMPLETED, since=datetime.date(2024, 2, 1)
    )
    ProjectStatusChange.objects.create(
        project=idea, status=Project.Status.IDEA, since=datetime.date(2024, 1, 1)
    )
    ProjectStatusChange.objects.create(
        project=idea, status=Project.Status.STUDY, since=datetime.date(2025, 1, 10)
    )
    result = figures.compute([2023, 2024, 2025])
    assert [result[year]["projects"] for year in (2023, 2024, 2025)] == [1, 1, 1]
    assert list(figures.records(figures.PROJECTS, 2025)) == [idea]
    assert list(figures.records(figures.PROJECTS, 2024)) == [completed]


def test_a_status_change_is_recorded_with_its_date():
    with time_machine.travel(datetime.datetime(2024, 5, 2, 12), tick=False):
        project = save_project(
            project=ProjectFactory.build(status=Project.Status.STUDY, group=WorkingGroupFactory())
        )
    project.status = Project.Status.RUNNING
    save_project(project=project)
    save_project(project=project)  # unchanged: nothing new
    assert list(project.status_changes.values_list("status", "since")) == [
        ("study", datetime.date(2024, 5, 2)),
        ("running", TODAY),
    ]


def test_operational_cooperations_active_during_the_year():
    first, second = StructureFactory(), StructureFactory()
    CooperationFactory(
        structures=[first, second],
        since=datetime.date(2023, 5, 1),
        until=datetime.date(2024, 1, 15),
    )
    CooperationFactory(structures=[first], since=datetime.date(2024, 1, 1))  # one structure
    CooperationFactory(structures=[first, second], since=datetime.date(2025, 1, 1))
    result = figures.compute([2023, 2024, 2025])
    assert [result[year]["cooperations"] for year in (2023, 2024, 2025)] == [1, 1, 1]


def test_own_staff_counts_part_time_pro_rata_and_apart():
    StaffContractFactory(start=datetime.date(2024, 7, 1), work_rate=50)
    StaffContractFactory(start=datetime.date(2024, 1, 1), end=datetime.date(2024, 12, 31))
    result = figures.compute([2024, 2025])
    # Half-time for 184 of the 366 days of 2024: 0.25, plus a full year.
    assert result[2024]["own_staff"] == Decimal("1.3")
    assert result[2025]["own_staff"] == Decimal("0.5")
    assert result[2024]["jobs_created"] == 0


def test_a_year_with_no_data_is_not_renseigne_rather_than_zero():
    year = figures.figures_for_years([2019])[2019]
    assert [value.shown for value in year.values] == [None] * len(figures.FIGURES)
    assert year.is_empty and not year.is_known
    assert figures.latest_complete_figures(datetime.date(2020, 6, 1)) is None


def test_a_published_declaration_is_shown_with_the_computed_figure_beside():
    YearlyFiguresFactory(year=2024, meetings=34, beneficiaries=None, source="Lettre")
    MeetingFactory(date=datetime.date(2024, 3, 1), status=HELD)
    year = figures.figures_for_years([2024], today=TODAY)[2024]
    values = {value.figure.key: value for value in year.values}
    assert (values["meetings"].shown, values["meetings"].is_declared) == (34, True)
    assert (values["meetings"].computed, values["meetings"].differs) == (1, True)
    # Not declared: computed, but a zero from a year the portal began in March says nothing.
    assert (values["beneficiaries"].shown, values["beneficiaries"].is_declared) == (None, False)
    assert values["meetings"].computed_known  # one meeting: « au moins 1 »
    assert figures.latest_complete_figures(TODAY).year == 2024


def _some_data(size: int):
    structures = StructureFactory.create_batch(size)
    group = WorkingGroupFactory()
    for index in range(size):
        meeting = MeetingFactory(
            group=group, date=datetime.date(2024, 1 + index % 12, 1), status=HELD
        )
        present(meeting, PersonFactory(structure=structures[index]))
        ActivityReportFactory(beneficiaries=index)
        CooperationFactory(structures=structures[index : index + 2])
        StaffContractFactory()


@pytest.mark.parametrize("size", [2, 12])
def test_all_figures_of_five_years_cost_eight_queries(size, django_assert_num_queries):
    _some_data(size)
    YearlyFiguresFactory(year=2024)
    # six computed aggregates, the declarations, and where the records begin
    with django_assert_num_queries(8):
        figures.figures_for_years(figures.chart_years(2025), today=TODAY)


def test_two_reports_of_a_project_may_not_overlap():
    # A cumulative report after a partial one would count its beneficiaries twice.
    first = ActivityReportFactory(
        period_start=datetime.date(2025, 1, 1), period_end=datetime.date(2025, 7, 31)
    )
    cumulative = ActivityReport(
        project=first.project,
        period_start=datetime.date(2025, 1, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    with pytest.raises(ValidationError) as error:
        cumulative.full_clean()
    assert "déjà un bilan de janvier à juillet 2025" in str(error.value)
    following = ActivityReport(
        project=first.project,
        period_start=datetime.date(2025, 8, 1),
        period_end=datetime.date(2025, 12, 31),
    )
    following.full_clean()
    first.full_clean()  # itself is no overlap


def test_a_year_the_records_cover_shows_what_they_give_beside_a_declaration(db):
    """Issue 12: computed when there is data, declared otherwise. The records begin with the
    first real meeting: a year after it shows the computed figure even where a declaration
    was published (both shown when they differ); the year they began, only partly recorded,
    and any year before show the declaration."""
    from report.figures import figures_for_years
    from report.models import YearlyFigures

    MeetingFactory(date=datetime.date(2024, 12, 12), status="held")
    MeetingFactory(date=datetime.date(2025, 3, 4), status="held")
    YearlyFigures.objects.create(year=2024, meetings=34)
    YearlyFigures.objects.create(year=2025, meetings=20)
    by_year = figures_for_years([2024, 2025], today=datetime.date(2026, 2, 1))
    meetings_2024 = next(v for v in by_year[2024].values if v.figure.key == "meetings")
    meetings_2025 = next(v for v in by_year[2025].values if v.figure.key == "meetings")
    assert (meetings_2024.is_declared, meetings_2024.shown) == (True, 34)
    assert (meetings_2025.is_declared, meetings_2025.shown) == (False, 1)
    assert meetings_2025.differs and meetings_2025.declared == 20


def test_a_figure_under_two_reads_in_the_singular():
    from report.figures import JOBS_CREATED, MEETINGS

    assert MEETINGS.label_for(1) == "réunion organisée"
    assert MEETINGS.label_for(0) == "réunion organisée"
    assert MEETINGS.label_for(34) == "réunions organisées"
    assert JOBS_CREATED.label_for(Decimal("0.5")).startswith("emploi créé")
    assert JOBS_CREATED.label_for(Decimal("19.7")).startswith("emplois créés")
