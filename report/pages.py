"""What the public report pages show, read in a fixed number of queries whatever the data."""

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils import timezone

from association import formats
from groups.models import WorkingGroup
from members.models import Structure
from report import charts, coverage, figures
from report.expressions import year_bounds
from report.models import ActivityReport, Cooperation

FIRST_YEAR = 2000  # no report before; the PTCE began in 2021


def reportable_years(today: datetime.date | None = None) -> range:
    today = today or timezone.localdate()
    return range(FIRST_YEAR, today.year + 1)


def drawn_years(by_year: dict[int, figures.YearFigures]) -> list[int]:
    """The chart's years from the first one the portal or a declaration knows: the years
    before are not drawn (as zeros, they would read as a start from nothing). The year
    reported is always drawn."""
    years = sorted(by_year)
    first = next((y for y in years if by_year[y].is_known), years[-1])
    return [y for y in years if y >= first]


@dataclass
class FigureRow:
    """A figure of the report: its value for the year, and its series for the chart."""

    value: figures.FigureValue
    series: list[figures.FigureValue]

    @property
    def has_unknown(self) -> bool:
        return any(not value.is_known for value in self.series)

    @property
    def chart(self):
        points = [(v.year, v.shown) for v in self.series]
        return charts.bar_chart(
            points,
            decimals=self.value.figure.decimals,
            highlight=self.value.year,
            key=self.value.figure.key,
            partial=frozenset(v.year for v in self.series if v.is_partial),
        )


@dataclass
class GroupHighlights:
    group: WorkingGroup
    # The group's figures, « non renseigné » or « au moins » by report/coverage.py's rule.
    numbers: list[figures.FigureValue]
    reports: list[ActivityReport]
    cooperations: list[Cooperation]


def year_report(year: int, *, today: datetime.date | None = None) -> dict:
    """Everything the report of `year` shows: the figures and their series over the chart's
    years, each group's highlights (numbers, projects' activity reports, cooperations)."""
    today = today or timezone.localdate()
    by_year = figures.figures_for_years(figures.chart_years(year), today=today)
    current = by_year[year]
    drawn = drawn_years(by_year)
    rows = [
        FigureRow(value, [by_year[y].values[index] for y in drawn])
        for index, value in enumerate(current.values)
    ]
    start, end = year_bounds(year)
    reports = list(
        ActivityReport.objects.overlapping(start, end)
        .of_published_projects()
        .select_related("project__group")
        .prefetch_related("counts")
        .order_by("project__name", "period_start")
    )
    for report in reports:
        report.share_percent = f"{formats.number(report.share_of_year(year) * 100)}\u00a0%"
    cooperations = list(
        figures.operational_cooperations(year)
        .select_related("group", "project")
        .prefetch_related(Prefetch("structures", queryset=Structure.objects.order_by("name")))
        .order_by("title")
    )
    highlights = []
    covers = current.values[0]  # every figure of the year shares what the records cover
    for group in figures.group_figures([year], today=today):
        meetings = coverage.outcome(
            getattr(group, f"noted_{year}"), getattr(group, f"past_{year}")
        )
        coverages = {figures.MEETINGS.key: meetings} | {
            key: coverage.attendance(
                getattr(group, f"sheets_{year}"),
                getattr(group, f"meetings_{year}"),
                meetings=meetings,
            )
            for key in figures.COUNTED_FROM_SHEETS
        }
        # The group's numbers by the report's own rule (report/coverage.py).
        numbers = [
            coverage.FigureValue(
                figure=f,
                year=year,
                computed=getattr(group, f"{f.key}_{year}"),
                declared=None,
                covered=covers.covered,
                recorded=covers.recorded,
                coverage=coverages.get(f.key),
                records_begin=covers.records_begin,
            )
            for f in figures.GROUP_FIGURES
        ]
        group_reports = [r for r in reports if r.project.group_id == group.pk]
        group_cooperations = [c for c in cooperations if c.group_id == group.pk]
        if any(v.shown for v in numbers) or group_reports or group_cooperations:
            highlights.append(GroupHighlights(group, numbers, group_reports, group_cooperations))
    return {
        "year": year,
        "figures": current,
        "main_rows": [row for row in rows if not row.value.figure.apart],
        "jobs_rows": [row for row in rows if row.value.figure.apart],
        "chart_years": drawn,
        "highlights": highlights,
        "reports": reports,
        "cooperations": cooperations,
        "split_reports": [r for r in reports if r.spans_new_year],
        # No further back than the first year known: the years before say nothing.
        "previous_year": year - 1 if year - 1 in drawn else None,
        "next_year": year + 1 if year + 1 <= today.year else None,
        "is_complete": year < today.year,
    }
