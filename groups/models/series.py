"""A series of meetings: one recurrence rule (RFC 5545 RRULE), materialised as real meetings."""

import datetime

from dateutil.rrule import rrulestr
from django.core.exceptions import ValidationError
from django.db import models

from association import formats
from association.models import Venue
from groups.models.groups import WorkingGroup

# Never a meeting on these days (month, day), whatever the rule: Christmas Eve and Day, New
# Year's Eve and Day.
HOLIDAYS = {(12, 24), (12, 25), (12, 31), (1, 1)}
# The longest a series may run, and the most meetings it may make: a rule without an end (or a
# typo) must not fill the database.
MAX_OCCURRENCES = 60
MAX_YEARS = 3

ICAL_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class MeetingSeries(models.Model):
    """« Le 2e mardi, un mois sur deux, de 14 h à 16 h, à l'APEI, du 7 octobre 2025 à juin
    2026 »: the rule is stored as an RRULE (RFC 5545, read with python-dateutil), and each
    occurrence becomes a real `Meeting` (see `groups.services.series`), which can then be
    moved, re-placed or cancelled on its own."""

    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", "Toutes les N semaines"
        MONTHLY = "MONTHLY", "Tous les N mois"

    group = models.ForeignKey(
        WorkingGroup, verbose_name="groupe", on_delete=models.CASCADE, related_name="series"
    )
    rule = models.CharField(
        "règle de récurrence (RRULE)",
        max_length=200,
        help_text="Au format iCalendar, par exemple FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6. "
        "Composée par le formulaire.",
    )
    first_date = models.DateField("première date")
    start_time = models.TimeField("heure de début")
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name="lieu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meeting_series",
    )
    agenda = models.TextField("ordre du jour habituel", blank=True)
    is_sample = models.BooleanField(
        "exemple",
        default=False,
        help_text="Série d'exemple générée pour la démonstration, pas de vraies dates.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    class Meta:
        verbose_name = "série de réunions"
        verbose_name_plural = "séries de réunions"
        ordering = ["group", "first_date"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | models.Q(end_time__gt=models.F("start_time")),
                name="meeting_series_ends_after_it_starts",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
        ]

    def __str__(self):
        return f"{self.group} — {self.describe()}"

    def clean(self):
        if not self.rule:
            return  # the form composes it, once its own fields are valid
        try:
            self.dates()
        except (ValueError, TypeError) as error:
            raise ValidationError(f"Règle de récurrence illisible ({error}).") from None

    def rrule(self):
        return rrulestr(
            self.rule, dtstart=datetime.datetime.combine(self.first_date, datetime.time())
        )

    def dates(self) -> list[datetime.date]:
        """The days of the series, holidays left out, at most `MAX_OCCURRENCES` and within
        `MAX_YEARS` of the first date."""
        limit = datetime.datetime.combine(
            self.first_date.replace(year=self.first_date.year + MAX_YEARS), datetime.time()
        )
        days = []
        for moment in self.rrule():
            if moment > limit or len(days) >= MAX_OCCURRENCES:
                break
            if (moment.month, moment.day) not in HOLIDAYS:
                days.append(moment.date())
        return days

    def parts(self) -> dict[str, str]:
        """The rule's parts: {"FREQ": "MONTHLY", "INTERVAL": "2", "BYDAY": "2TU", …}."""
        return dict(part.split("=", 1) for part in self.rule.upper().split(";") if "=" in part)

    def describe(self) -> str:
        """The rule in French: « le 2e mardi, un mois sur deux, à 14 h »."""
        parts = self.parts()
        interval = int(parts.get("INTERVAL", "1"))
        byday = parts.get("BYDAY", "")
        weekday = next((i for i, code in enumerate(ICAL_WEEKDAYS) if byday.endswith(code)), None)
        day_name = formats.WEEKDAYS[weekday] if weekday is not None else ""
        if parts.get("FREQ") == "WEEKLY":
            every = "chaque semaine" if interval == 1 else f"toutes les {interval} semaines"
            text = f"le {day_name}, {every}" if day_name else every
        else:
            ordinal = byday[: -len(ICAL_WEEKDAYS[0])] if weekday is not None else ""
            if ordinal == "-1":
                which = f"le dernier {day_name}"
            elif ordinal:
                which = f"le {'1er' if ordinal == '1' else ordinal + 'e'} {day_name}"
            else:
                which = f"le {formats.day_number(self.first_date.day)} du mois"
            every = {1: "chaque mois", 2: "un mois sur deux", 3: "un mois sur trois"}.get(
                interval, f"tous les {interval} mois"
            )
            text = f"{which}, {every}"
        return f"{text}, {formats.time_range(self.start_time, self.end_time)}"


def build_rule(
    *,
    frequency: str,
    interval: int,
    weekday: int | None = None,
    week_of_month: int | None = None,
    until: datetime.date | None = None,
    count: int | None = None,
) -> str:
    """An RRULE from the form's answers: « le 2e mardi, un mois sur deux, 6 fois » is
    FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6."""
    parts = [f"FREQ={frequency}", f"INTERVAL={interval}"]
    if weekday is not None:
        prefix = str(week_of_month) if frequency == "MONTHLY" and week_of_month else ""
        parts.append(f"BYDAY={prefix}{ICAL_WEEKDAYS[weekday]}")
    if count:
        parts.append(f"COUNT={count}")
    elif until:
        parts.append(f"UNTIL={until:%Y%m%d}T235959")
    return ";".join(parts)
