"""What a computed figure knows: how much of what it counts was recorded, and where the line
is between a figure that means something and one that is « non renseigné ».

A figure computed from records counts only what was recorded. Where the records were not kept,
it comes out as 0, and a 0 beside a year that declared 113 reads as a collapse, while the truth
is that nobody entered the sign-in sheets. So each computed figure carries its coverage:

- the year: before the portal's first record (`records_begin`, its first real meeting), the
  portal knows nothing of the year, and no computed figure of it means anything;
- the meetings are counted when noted held: their coverage is the share of the year's past
  meetings (samples aside) noted held or cancelled; a meeting whose day went by and that
  nobody noted is a record not kept, not a meeting that did not happen;
- the people and structures present are counted from the sign-in sheets: their coverage is the
  share of the year's held meetings whose sheet was entered (someone marked present, or a
  number of unrecorded attendees);
- the jobs and beneficiaries are summed from the projects' activity reports: their coverage is
  the share of the year's supported projects that handed in a report covering part of it;
- the association's own staff is summed from its positions (`StaffContract`): while none is
  recorded at all, the figure says nothing (the development officer may be employed by a
  member); once one is, a year no position covers is a true zero.

The line: a figure is shown when its records cover at least half of what it counts over
(`MIN_SHARE`). Why half: the people of a working group come back from meeting to meeting, so
with half the sheets most of them are counted, and the figure is a fair « at least »; below
half, it would mostly measure how many sheets were typed in, and reads as a fall that did not
happen. Between half and all, the figure is shown as « au moins » with its coverage. Nothing to
cover (no meeting gone by, none held, no project supported) is a true zero, in a year the
portal records."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from association import formats

MIN_SHARE = Fraction(1, 2)


@dataclass(frozen=True)
class Coverage:
    """`recorded` of `total` things were recorded: « émargement saisi pour 3 des 9 réunions »."""

    recorded: int
    total: int
    # The sentence, with {recorded} and {total}; for a total of one, the sentences for none
    # recorded and for it recorded.
    sentence: str
    sentences_one: tuple[str, str]
    # What it counts over is itself counted from records: the sheets of the meetings noted
    # held. No meeting noted held is no sheet to enter (0 of 0), not a true zero.
    within: "Coverage | None" = None

    def __str__(self) -> str:
        said = [str(self.within)] if self.within is not None and not self.within.complete else []
        if self.total or not said:
            if self.total == 1:
                said.append(self.sentences_one[min(self.recorded, 1)])
            else:
                said.append(self.sentence.format(recorded=self.recorded, total=self.total))
        return ", ".join(said)

    @property
    def meaningful(self) -> bool:
        if self.within is not None and not self.within.meaningful:
            return False
        return self.total == 0 or Fraction(self.recorded, self.total) >= MIN_SHARE

    @property
    def complete(self) -> bool:
        return self.recorded >= self.total and (self.within is None or self.within.complete)


def outcome(recorded: int, total: int) -> Coverage:
    return Coverage(
        recorded,
        total,
        "tenue ou annulation notée pour {recorded} des {total} réunions passées",
        (
            "tenue ou annulation non notée pour la réunion passée",
            "tenue ou annulation notée pour la réunion passée",
        ),
    )


def attendance(recorded: int, total: int, *, meetings: Coverage | None = None) -> Coverage:
    """The sign-in sheets entered of the held meetings, those being `meetings` (`outcome`)."""
    return Coverage(
        recorded,
        total,
        "émargement saisi pour {recorded} des {total} réunions tenues",
        ("émargement non saisi pour la réunion tenue", "émargement saisi pour la réunion tenue"),
        within=meetings,
    )


def activity(recorded: int, total: int) -> Coverage:
    return Coverage(
        recorded,
        total,
        "bilan d'activité saisi pour {recorded} des {total} projets accompagnés",
        (
            "pas de bilan d'activité pour le projet accompagné",
            "bilan d'activité saisi pour le projet accompagné",
        ),
    )


def staff(positions: int) -> Coverage:
    """The association's positions recorded, of any year: none is « non renseigné »."""
    return Coverage(
        min(positions, 1),
        1,
        "",
        ("aucun poste salarié de l'association n'est saisi sur le portail", ""),
    )


def before_records(records_begin: datetime.date | None) -> str:
    """Why a year before the portal's first record has no computed figure."""
    if records_begin is None:
        return "le portail n'enregistre encore aucune réunion"
    return f"le portail enregistre depuis le {formats.day_month_year(records_begin)}"


@dataclass(frozen=True)
class Figure:
    """What a figure of the report is: its name, how it is calculated, how it is shown.
    Each one is defined once in report/figures.py, with the queries that compute it."""

    key: str
    label: str
    explanation: str
    # The label for a value under two (French: « 1 réunion organisée », « 0,5 emploi créé »).
    label_one: str = ""
    declared_field: str = ""  # the matching field of YearlyFigures, if the association declares it
    decimals: int = 0
    records_label: str = ""  # what the admin's link to the records behind it shows
    # Shown apart from the association's headline figures (the report's jobs section), not on
    # the home page.
    apart: bool = False

    def label_for(self, value) -> str:
        return self.label_one if self.label_one and value is not None and value < 2 else self.label


@dataclass(frozen=True)
class FigureValue:
    """One figure for one year: what the records give, what was declared, which is shown, and
    what the records cover."""

    figure: Figure
    year: int
    computed: int | Decimal
    declared: int | Decimal | None
    # The portal's records cover the whole year: they began before its first day.
    covered: bool = False
    # The portal has records for the year, or part of it: it began before the year ended.
    recorded: bool = True
    coverage: Coverage | None = None
    records_begin: datetime.date | None = None

    @property
    def computed_known(self) -> bool:
        """The computed figure means something: the portal recorded the year, and the
        records the figure counts cover enough of it (`MIN_SHARE`). A zero from records
        that cover only part of what it counts says nothing (« au moins 0 »): not known."""
        if not self.recorded or (self.coverage is not None and not self.coverage.meaningful):
            return False
        return bool(self.computed) or (
            self.covered and (self.coverage is None or self.coverage.complete)
        )

    @property
    def is_declared(self) -> bool:
        """Shown as declared: the association published a figure for a year the portal's
        records do not cover (before the portal, or the year it began and only partly
        recorded), or whose computed figure is « non renseigné »; a covered year shows what
        the records give (issue 12: « computed when there is data, declared otherwise »)."""
        return self.declared is not None and not (self.covered and self.computed_known)

    @property
    def shown(self) -> int | Decimal | None:
        """The figure the report shows; None for « non renseigné »."""
        if self.is_declared:
            return self.declared
        return self.computed if self.computed_known else None

    @property
    def is_known(self) -> bool:
        return self.shown is not None

    @property
    def computed_partial(self) -> bool:
        """The computed figure counts records that cover only part of what it counts, or only
        part of the year (the portal began during it): « au moins », shown or beside the
        declared one."""
        if not self.computed_known:
            return False
        return not self.covered or (self.coverage is not None and not self.coverage.complete)

    @property
    def is_partial(self) -> bool:
        """The figure shown is computed and « au moins »."""
        return not self.is_declared and self.computed_partial

    @property
    def coverage_text(self) -> str:
        """« émargement saisi pour 0 des 9 réunions tenues », or why the year has none, or
        only part of its records."""
        said = [str(self.coverage)] if self.coverage is not None and self.recorded else []
        if not self.covered:
            said.insert(0, before_records(self.records_begin))
        return ", ".join(part for part in said if part)

    @property
    def label(self) -> str:
        return self.figure.label_for(self.shown)

    @property
    def differs(self) -> bool:
        """A declared and a meaningful computed figure for the same year: the report shows
        both, and the gap between them."""
        return self.declared is not None and self.computed_known

    @property
    def gap(self) -> int | Decimal | None:
        """Computed minus declared, where both are shown."""
        return self.computed - self.declared if self.differs else None

    @property
    def gap_text(self) -> str:
        """« +12 », « \u221233,5 », « 0 »: the gap with its sign (a true minus sign).

        When the computed figure is only « au moins » c, the true figure is c or more, so the
        true gap (computed minus declared) is c - d or more: « au moins +12 ». A shortfall
        read « au moins -33 » is right but easily misread as « 33 missing, or more », when it
        means the opposite: so it also says it plainly, « au plus 33 de moins »."""
        gap = self.gap
        if gap is None:
            return ""
        sign = "+" if gap > 0 else "\u2212" if gap < 0 else ""
        text = sign + formats.number(abs(gap), self.figure.decimals)
        if not self.computed_partial:
            return text
        if gap < 0:
            return (
                f"au moins {text} (le chiffre calculé, incomplet, compte au plus "
                f"{formats.number(abs(gap), self.figure.decimals)} de moins que le déclaré)"
            )
        return f"au moins {text}"


@dataclass(frozen=True)
class YearFigures:
    year: int
    values: list[FigureValue]
    declared_source: str

    @property
    def main(self) -> list[FigureValue]:
        """The figures the association publishes first (on the home page too)."""
        return [value for value in self.values if not value.figure.apart]

    @property
    def main_shown(self) -> list[FigureValue]:
        """The published figures the home page shows: the known ones but zeros, and the
        « non renseigné » ones, said so."""
        return [value for value in self.main if value.shown or not value.is_known]

    @property
    def jobs_apart(self) -> list[FigureValue]:
        return [value for value in self.values if value.figure.apart]

    @property
    def is_empty(self) -> bool:
        """Nothing to show: every figure zero or « non renseigné »."""
        return not any(value.shown for value in self.values)

    @property
    def is_known(self) -> bool:
        """The portal or a declaration knows something of the year: the charts start at the
        first such year, rather than drawing the years before as zeros."""
        return any(value.recorded or value.declared is not None for value in self.values)
