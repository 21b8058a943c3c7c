"""The venues shared by meetings and events, and what meetings and events have in common:
a day, hours, a place, an order, a rule for « over »."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from association.validators import validate_single_line


class Venue(models.Model):
    """A named place, shared by group meetings and events."""

    name = models.CharField("nom du lieu", max_length=200, validators=[validate_single_line])
    address = models.CharField(
        "adresse",
        max_length=300,
        blank=True,
        help_text="Rue ou zone, sans la commune. Laissez vide si elle n'est pas connue.",
        validators=[validate_single_line],
    )
    town = models.CharField("commune", max_length=100, validators=[validate_single_line])
    directions = models.TextField("accès", blank=True)

    class Meta:
        verbose_name = "lieu"
        verbose_name_plural = "lieux"
        ordering = ["town", "name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), Lower("town"), name="unique_venue_per_town"),
        ]

    def __str__(self):
        return f"{self.name}, {self.town}"

    @property
    def full_address(self) -> str:
        """One line for a calendar's LOCATION or a page: name, street, town."""
        return ", ".join(part for part in (self.name, self.address, self.town) if part)


# Chronological order, the same on SQLite and PostgreSQL (which disagree on where NULL
# sorts): on a given day, an item without an hour (the whole day) comes before the timed ones.
CHRONOLOGICAL = (
    models.F("date").asc(),
    models.F("start_time").asc(nulls_first=True),
    models.F("pk").asc(),
)
REVERSE_CHRONOLOGICAL = (
    models.F("date").desc(),
    models.F("start_time").desc(nulls_last=True),
    models.F("pk").desc(),
)


# What the calendar feeds hold, in the words of their description.
CALENDAR_FEED_WINDOW = "des douze derniers mois et des douze mois à venir"


def over_condition(now: datetime.datetime | None) -> models.Q:
    """`Scheduled.is_over` as a condition: a past day, or today once its end hour (or, without
    one, its start hour) has passed; a day without hours is over when the day is."""
    local = timezone.localtime(now)
    time = local.time()
    return models.Q(date__lt=local.date()) | models.Q(
        models.Q(end_time__lte=time) | models.Q(end_time=None, start_time__lte=time),
        date=local.date(),
    )


class ScheduledQuerySet(models.QuerySet):
    def chronological(self):
        return self.order_by(*CHRONOLOGICAL)

    def upcoming(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(date__gte=today).chronological()

    def past(self, today: datetime.date | None = None):
        today = today or timezone.localdate()
        return self.filter(date__lt=today).order_by(*REVERSE_CHRONOLOGICAL)

    def over(self, now: datetime.datetime | None = None):
        """Those already over at `now` (see `Scheduled.is_over`)."""
        return self.filter(over_condition(now))

    def not_over(self, now: datetime.datetime | None = None):
        return self.exclude(over_condition(now))

    def cancelled(self):
        return self.filter(is_cancelled=True)

    def not_cancelled(self):
        return self.filter(is_cancelled=False)

    def in_calendar_feed(self, today: datetime.date | None = None):
        """What a subscribed calendar receives: the last twelve months and the next twelve
        (`CALENDAR_FEED_WINDOW`, stated in each feed's description), so that a feed fetched
        every few hours costs the same whatever the history or the plans. Older and later
        items stay on the site, in their own .ics file, and in the calendars that already
        received them."""
        today = today or timezone.localdate()
        return self.filter(
            date__gte=today - relativedelta(years=1), date__lte=today + relativedelta(years=1)
        )


def cancelled_field(label: str) -> models.BooleanField:
    """`Scheduled.is_cancelled`, its label agreeing with the model's name: « annulé » (an
    event), « annulée » (a meeting, an assembly: they redeclare it)."""
    return models.BooleanField(
        label,
        default=False,
        help_text="Reste affiché, barré, et les agendas abonnés reçoivent l'annulation.",
    )


class Scheduled(models.Model):
    """What a group meeting and an event share: a day, optional hours, a place, whether it is
    cancelled, and the version that subscribed calendars follow. Hours are optional: a time
    the source does not give is never invented, and without hours the item lasts the day."""

    date = models.DateField("date")
    start_time = models.TimeField("heure de début", null=True, blank=True)
    end_time = models.TimeField("heure de fin", null=True, blank=True)
    venue = models.ForeignKey(
        Venue,
        verbose_name="lieu",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
    )
    is_cancelled = cancelled_field("annulé")
    sequence = models.PositiveIntegerField(
        "version",
        default=0,
        editable=False,
        help_text="Incrémentée à chaque modification, pour les agendas abonnés.",
    )
    created_at = models.DateTimeField("date de création", auto_now_add=True)
    updated_at = models.DateTimeField("dernière modification", auto_now=True)

    objects = ScheduledQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_time__isnull=True)
                | (
                    models.Q(start_time__isnull=False)
                    & models.Q(end_time__gt=models.F("start_time"))
                ),
                name="%(class)s_ends_after_it_starts",
                violation_error_message="L'heure de fin doit suivre l'heure de début.",
            ),
        ]
        indexes = [models.Index(fields=["date"], name="%(class)s_date_idx")]

    def save(self, *args, **kwargs):
        # Calendar clients only take an update whose SEQUENCE grew.
        if self.pk:
            self.sequence += 1
        super().save(*args, **kwargs)

    def starts_at(self) -> datetime.datetime:
        """When it starts, in the site's time zone: its start hour, or its day's first
        minute when it has no hours."""
        return timezone.make_aware(
            datetime.datetime.combine(self.date, self.start_time or datetime.time.min)
        )

    def has_started(self, now: datetime.datetime | None = None) -> bool:
        return self.starts_at() <= (now or timezone.now())

    def is_over(self, now: datetime.datetime | None = None) -> bool:
        """Over once its end hour has passed (its start hour without an end: no length is
        invented); without hours, once its day has."""
        local = timezone.localtime(now)
        if self.date != local.date():
            return self.date < local.date()
        last = self.end_time or self.start_time
        return last is not None and last <= local.time()
