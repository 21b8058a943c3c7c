"""The yearly figures, each defined once: what it counts, in French for the report's
« comment ce chiffre est calculé », how the database computes it for any number of years at
once (one aggregate query per kind of record, never a loop over rows), and which records are
behind it (the admin's dashboard links to them).

A figure is computed for a calendar year. Where the association also published a declared
figure for that year (`report.models.YearlyFigures`, kept as declared), that one is shown:
it was counted by hand over the whole year, while the portal may hold only part of it (its
records begin when it was put in service). The computed one is shown beside it. A year without
a published declaration shows the computed figures; unpublishing a declaration in the admin
lets the computed figures show."""

import datetime
from collections.abc import Callable, Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import (
    Count,
    Exists,
    F,
    FloatField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
)
from django.db.models.functions import Coalesce
from django.utils import timezone

from groups.models import Meeting, Project, ProjectStatusChange, WorkingGroup
from groups.services.attendance import people_present, present_answers, structures_present
from report import coverage
from report.coverage import Figure, FigureValue, YearFigures
from report.expressions import days_in_year, days_within, share_within, year_bounds
from report.models import (
    ANNUAL_HOURS,
    ActivityReport,
    Cooperation,
    StaffContract,
    YearlyFigures,
)

# The statuses in which the PTCE supports a project (not a mere idea, not yet over).
SUPPORTED_STATUSES = (
    Project.Status.STUDY,
    Project.Status.IN_PROGRESS,
    Project.Status.RUNNING,
)
# How many years the report's charts show, the year reported included.
CHART_YEARS = 5


MEETINGS = Figure(
    key="meetings",
    label="réunions organisées",
    label_one="réunion organisée",
    declared_field="meetings",
    records_label="les réunions",
    explanation=(
        "Les réunions des groupes de travail datées de l'année et notées comme tenues (la "
        "feuille d'émargement close, ou la réunion marquée « tenue »). Une réunion annulée, "
        "ou passée sans avoir été notée tenue, ne compte pas ; les réunions d'exemple de la "
        "démonstration non plus."
    ),
)
PEOPLE = Figure(
    key="people",
    label="membres impliqués dans les groupes de travail",
    label_one="membre impliqué dans les groupes de travail",
    declared_field="members_involved",
    records_label="les personnes",
    explanation=(
        "Les personnes du fichier notées présentes à au moins une de ces réunions dans "
        "l'année, d'après la feuille d'émargement. Une personne venue à dix réunions, ou à "
        "deux groupes différents, compte une fois. Les présents qui ne sont pas dans le "
        "fichier ne sont pas comptés : on ne peut pas savoir s'ils sont venus plusieurs fois."
    ),
)
STRUCTURES = Figure(
    key="structures",
    label="structures contributrices",
    label_one="structure contributrice",
    declared_field="contributing_structures",
    records_label="les structures",
    explanation=(
        "Les structures dont au moins une personne a été présente à une de ces réunions dans "
        "l'année, chacune une fois. Une personne compte pour la structure que le fichier lui "
        "donne aujourd'hui."
    ),
)
JOBS_CREATED = Figure(
    key="jobs_created",
    label="emplois créés (équivalents temps plein)",
    label_one="emploi créé (équivalent temps plein)",
    declared_field="jobs_created_fte",
    decimals=1,
    records_label="les bilans d'activité",
    explanation=(
        "Les heures travaillées dans l'année sur les emplois créés par les projets, divisées "
        "par la durée légale annuelle du travail (1\u202f607 heures) : un temps plein toute "
        "l'année compte 1, un mi-temps 0,5. Quand un bilan d'activité couvre une période à "
        "cheval sur deux années, ses heures sont partagées entre elles au prorata des jours."
    ),
)
JOBS_MAINTAINED = Figure(
    key="jobs_maintained",
    label="emplois maintenus (équivalents temps plein)",
    label_one="emploi maintenu (équivalent temps plein)",
    decimals=1,
    apart=True,
    records_label="les bilans d'activité",
    explanation=(
        "Calculé comme les emplois créés, sur les heures des emplois qui existaient déjà et "
        "que les projets ont permis de garder. Compté à part des emplois créés."
    ),
)
OWN_STAFF = Figure(
    key="own_staff",
    label="salariés de l'association (équivalents temps plein)",
    label_one="salarié de l'association (équivalent temps plein)",
    declared_field="own_staff_fte",
    decimals=1,
    apart=True,
    records_label="les postes",
    explanation=(
        "Les postes de l'association elle-même, chacun selon sa quotité de travail et le "
        "nombre de jours de l'année où il était occupé : un mi-temps de juillet à décembre "
        "compte environ 0,25. Compté à part des emplois créés par les projets. Tant qu'aucun "
        "poste n'est saisi sur le portail, ce chiffre est « non renseigné », jamais 0 : "
        "l'association peut avoir un salarié que le portail ne connaît pas (employé par un "
        "membre, par exemple), et le déclarer dans les chiffres de l'année. Dès qu'un poste "
        "est saisi, une année qu'aucun poste ne couvre compte 0."
    ),
)
PROJECTS = Figure(
    key="projects",
    label="projets accompagnés",
    label_one="projet accompagné",
    declared_field="projects_supported",
    records_label="les projets",
    explanation=(
        "Les projets qui, à un moment de l'année, étaient « à l'étude », « en cours de "
        "montage » ou « en activité » d'après l'historique de leur état, ou qui ont remis un "
        "bilan d'activité couvrant une partie de l'année. Un projet compte une fois, même "
        "avec plusieurs bilans dans l'année."
    ),
)
COOPERATIONS = Figure(
    key="cooperations",
    label="coopérations opérationnelles",
    label_one="coopération opérationnelle",
    declared_field="operational_cooperations",
    records_label="les coopérations",
    explanation=(
        "Les coopérations entre au moins deux structures qui étaient en cours à un moment de "
        "l'année : commencées avant sa fin, et pas terminées avant son début."
    ),
)
BENEFICIARIES = Figure(
    key="beneficiaries",
    label="bénéficiaires",
    label_one="bénéficiaire",
    declared_field="beneficiaries",
    records_label="les bilans d'activité",
    explanation=(
        "La somme des nouveaux bénéficiaires des bilans d'activité des projets dans l'année. "
        "Un bilan à cheval sur deux années est partagé entre elles au prorata des jours de "
        "sa période, arrondi à l'unité."
    ),
)

FIGURES = (
    MEETINGS,
    PEOPLE,
    STRUCTURES,
    JOBS_CREATED,
    PROJECTS,
    COOPERATIONS,
    BENEFICIARIES,
    JOBS_MAINTAINED,
    OWN_STAFF,
)
BY_KEY = {figure.key: figure for figure in FIGURES}
# The figures whose coverage is the sign-in sheets entered, and those whose coverage is the
# activity reports handed in (report/coverage.py).
COUNTED_FROM_SHEETS = (PEOPLE.key, STRUCTURES.key)
SUMMED_FROM_REPORTS = (JOBS_CREATED.key, JOBS_MAINTAINED.key, BENEFICIARIES.key)


# --- The records behind each figure ---------------------------------------------------------


def meetings_of(year: int, *, group: WorkingGroup | None = None, today=None) -> QuerySet:
    """The meetings held in `year` (`MeetingQuerySet.held`: what « held » means)."""
    meetings = Meeting.objects.held(today).filter(date__year=year)
    return meetings.filter(group=group) if group is not None else meetings


def supported_projects(year: int) -> QuerySet:
    """Projects supported during `year` (see PROJECTS)."""
    start, end = year_bounds(year)
    next_change = ProjectStatusChange.objects.filter(
        project=OuterRef("project"), since__gt=OuterRef("since")
    ).order_by("since")
    by_status = (
        ProjectStatusChange.objects.annotate(_ended=Subquery(next_change.values("since")[:1]))
        .filter(status__in=SUPPORTED_STATUSES, since__lte=end)
        .filter(Q(_ended__isnull=True) | Q(_ended__gt=start))
        .values("project_id")
    )
    by_report = ActivityReport.objects.overlapping(start, end).values("project_id")
    return Project.objects.filter(Q(pk__in=by_status) | Q(pk__in=by_report))


def operational_cooperations(year: int) -> QuerySet:
    return Cooperation.objects.filter(
        pk__in=Cooperation.objects.active_between(*year_bounds(year)).operational().values("pk")
    )


def records(
    figure: Figure, year: int, *, group: WorkingGroup | None = None, today=None
) -> QuerySet:
    """The records a figure counts for `year` (and a group, for the figures a group has)."""
    meetings = meetings_of(year, group=group, today=today)
    start, end = year_bounds(year)
    by_key: dict[str, Callable[[], QuerySet]] = {
        "meetings": lambda: meetings.select_related("group"),
        "people": lambda: people_present(meetings).select_related("structure"),
        "structures": lambda: structures_present(meetings),
        "projects": lambda: _in_group(supported_projects(year), group),
        "cooperations": lambda: _in_group(operational_cooperations(year), group),
        "jobs_created": lambda: _reports_of(year, group),
        "jobs_maintained": lambda: _reports_of(year, group),
        "beneficiaries": lambda: _reports_of(year, group),
        "own_staff": lambda: StaffContract.objects.filter(
            Q(end__isnull=True) | Q(end__gte=start), start__lte=end
        ),
    }
    return by_key[figure.key]()


def _in_group(queryset: QuerySet, group: WorkingGroup | None) -> QuerySet:
    return queryset.filter(group=group) if group is not None else queryset


def _reports_of(year: int, group: WorkingGroup | None) -> QuerySet:
    reports = ActivityReport.objects.overlapping(*year_bounds(year)).select_related("project")
    return reports.filter(project__group=group) if group is not None else reports


# --- Computing them, for several years at once ----------------------------------------------


def _rounded(value, decimals: int) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal(1).scaleb(-decimals), ROUND_HALF_UP)


def _attendance(years: list[int], today) -> dict:
    answers = present_answers(Meeting.objects.held(today).filter(date__year__in=years))
    counts = {}
    for year in years:
        in_year = Q(meeting__date__year=year)
        counts[f"people_{year}"] = Count("person", distinct=True, filter=in_year)
        counts[f"structures_{year}"] = Count("person__structure", distinct=True, filter=in_year)
    return answers.aggregate(**counts)


def _activity(years: list[int]) -> dict:
    sums = {}
    for year in years:
        overlaps = Q(period_start__lte=year_bounds(year)[1], period_end__gte=year_bounds(year)[0])
        share = share_within(year, "period_start", "period_end")
        for key, field in (
            ("beneficiaries", "beneficiaries"),
            ("created", "hours_jobs_created"),
            ("maintained", "hours_jobs_maintained"),
        ):
            sums[f"{key}_{year}"] = Sum(
                F(field) * share, filter=overlaps, output_field=FloatField()
            )
    return ActivityReport.objects.aggregate(**sums)


def _staff(years: list[int]) -> dict:
    sums = {}
    for year in years:
        start, end = year_bounds(year)
        sums[f"staff_{year}"] = Sum(
            F("work_rate") * days_within(year, "start", "end"),
            filter=Q(Q(end__isnull=True) | Q(end__gte=start), start__lte=end),
            output_field=FloatField(),
        )
    # Any position recorded at all: without one, the computed figure says nothing (coverage).
    return StaffContract.objects.aggregate(**sums, positions=Count("pk"))


def compute(years: Iterable[int], *, today: datetime.date | None = None) -> dict[int, dict]:
    """{year: {figure key: value}} for every figure and year, with the counts behind their
    coverage (`past`, `noted`, `sheets`, `reported`): six queries, whatever the number of
    records or of years."""
    years = sorted(set(years))
    today = today or timezone.localdate()
    # Each year's held meetings, and those whose sign-in sheet was entered (the coverage of
    # the people and structures present: report/coverage.py).
    # The past meetings, and those noted held or cancelled, are the coverage of the meetings.
    sheet = Exists(present_answers().filter(meeting=OuterRef("pk")))
    held = Exists(Meeting.objects.held(today).filter(pk=OuterRef("pk")))
    meetings = (
        Meeting.objects.filter(is_sample=False, date__lte=today)
        .annotate(_held=held, _sheet=held & (sheet | Q(unrecorded_attendees__gt=0)))
        .aggregate(
            **{f"past_{y}": Count("pk", filter=Q(date__year=y)) for y in years},
            **{
                f"noted_{y}": Count(
                    "pk", filter=Q(date__year=y) & (Q(_held=True) | Q(is_cancelled=True))
                )
                for y in years
            },
            **{f"meetings_{y}": Count("pk", filter=Q(date__year=y, _held=True)) for y in years},
            **{f"sheets_{y}": Count("pk", filter=Q(date__year=y, _sheet=True)) for y in years},
        )
    )
    attendance = _attendance(years, today)
    activity = _activity(years)
    staff = _staff(years)
    # Each year's supported projects, and those with an activity report covering part of it
    # (the coverage of the jobs and beneficiaries).
    projects = Project.objects.aggregate(
        **{f"projects_{y}": Count("pk", filter=Q(pk__in=supported_projects(y))) for y in years},
        **{
            f"reported_{y}": Count(
                "pk",
                filter=Q(pk__in=supported_projects(y))
                & Q(pk__in=ActivityReport.objects.overlapping(*year_bounds(y)).values("project")),
            )
            for y in years
        },
    )
    cooperations = Cooperation.objects.aggregate(
        **{
            f"cooperations_{y}": Count("pk", filter=Q(pk__in=operational_cooperations(y)))
            for y in years
        }
    )
    return {
        year: {
            "meetings": meetings[f"meetings_{year}"],
            "people": attendance[f"people_{year}"],
            "structures": attendance[f"structures_{year}"],
            "jobs_created": _rounded((activity[f"created_{year}"] or 0) / float(ANNUAL_HOURS), 1),
            "jobs_maintained": _rounded(
                (activity[f"maintained_{year}"] or 0) / float(ANNUAL_HOURS), 1
            ),
            "own_staff": _rounded((staff[f"staff_{year}"] or 0) / 100 / days_in_year(year), 1),
            "projects": projects[f"projects_{year}"],
            "cooperations": cooperations[f"cooperations_{year}"],
            "beneficiaries": int(_rounded(activity[f"beneficiaries_{year}"], 0)),
            "sheets": meetings[f"sheets_{year}"],
            "past": meetings[f"past_{year}"],
            "noted": meetings[f"noted_{year}"],
            "reported": projects[f"reported_{year}"],
            "positions": staff["positions"],
        }
        for year in years
    }


def figures_for_years(years: Iterable[int], *, today=None) -> dict[int, YearFigures]:
    """Every figure of each year, computed and declared: seven queries."""
    years = sorted(set(years))
    computed = compute(years, today=today)
    declared = {f.year: f for f in YearlyFigures.objects.published().filter(year__in=years)}
    first = records_begin()
    result = {}
    for year in years:
        record = declared.get(year)
        counts = computed[year]
        meetings = coverage.outcome(counts["noted"], counts["past"])
        coverages = (
            {MEETINGS.key: meetings}
            | {
                key: coverage.attendance(counts["sheets"], counts["meetings"], meetings=meetings)
                for key in COUNTED_FROM_SHEETS
            }
            | {
                key: coverage.activity(counts["reported"], counts["projects"])
                for key in SUMMED_FROM_REPORTS
            }
            | {OWN_STAFF.key: coverage.staff(counts["positions"])}
        )
        values = [
            FigureValue(
                figure=figure,
                year=year,
                computed=counts[figure.key],
                declared=(
                    getattr(record, figure.declared_field)
                    if record is not None and figure.declared_field
                    else None
                ),
                covered=first is not None and first <= datetime.date(year, 1, 1),
                recorded=first is not None and first.year <= year,
                coverage=coverages.get(figure.key),
                records_begin=first,
            )
            for figure in FIGURES
        ]
        result[year] = YearFigures(year, values, record.source if record is not None else "")
    return result


def records_begin() -> datetime.date | None:
    """The day the portal's records begin: its first real meeting (samples aside). A year
    whose first day comes after it is covered by the records."""
    return Meeting.objects.filter(is_sample=False).aggregate(first=Min("date"))["first"]


def chart_years(year: int) -> list[int]:
    return list(range(year - CHART_YEARS + 1, year + 1))


def latest_complete_year(today: datetime.date | None = None) -> int:
    """The latest year whose report is whole: last year (the current one is still going)."""
    return (today or timezone.localdate()).year - 1


def latest_complete_figures(today: datetime.date | None = None) -> YearFigures | None:
    """The figures of `latest_complete_year`, for the home page, by the same rule as the
    report: computed when the records cover the year and mean something (report/coverage.py),
    the published declaration otherwise (a year before the portal, or the year it began and
    only partly recorded); None when neither has anything to show."""
    today = today or timezone.localdate()
    year = latest_complete_year(today)
    figures = figures_for_years([year], today=today)[year]
    return None if figures.is_empty else figures


def group_figures(years: list[int], *, today=None) -> list[WorkingGroup]:
    """The working groups, each annotated with `<key>_<year>` for the figures a group has
    (meetings, people, structures, projects), `past_<year>` and `noted_<year>`, its past
    meetings and those noted held or cancelled, and `sheets_<year>`, its held meetings whose
    sign-in sheet was entered (their coverage): one query for every group and year."""
    today = today or timezone.localdate()
    annotations = {}
    for year in years:
        held = Q(meetings__in=meetings_of(year, today=today))
        present = held & Q(meetings__answers__present=True)
        past = Q(meetings__is_sample=False, meetings__date__year=year, meetings__date__lte=today)
        annotations |= {
            f"past_{year}": Count("meetings", distinct=True, filter=past),
            f"noted_{year}": Count(
                "meetings", distinct=True, filter=held | (past & Q(meetings__is_cancelled=True))
            ),
            f"meetings_{year}": Count("meetings", distinct=True, filter=held),
            f"sheets_{year}": Count(
                "meetings",
                distinct=True,
                filter=held & (present | Q(meetings__unrecorded_attendees__gt=0)),
            ),
            f"people_{year}": Count("meetings__answers__person", distinct=True, filter=present),
            f"structures_{year}": Count(
                "meetings__answers__person__structure", distinct=True, filter=present
            ),
            f"projects_{year}": Coalesce(
                Subquery(
                    supported_projects(year)
                    .filter(group=OuterRef("pk"))
                    .values("group")
                    .annotate(n=Count("pk"))
                    .values("n")
                ),
                0,
            ),
        }
    return list(WorkingGroup.objects.annotate(**annotations).order_by("order", "name"))


GROUP_FIGURES = (MEETINGS, PEOPLE, STRUCTURES, PROJECTS)
