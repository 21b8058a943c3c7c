"""A working group's meetings."""

import datetime

from django.db import models
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils import timezone

from association.models import (
    CHRONOLOGICAL,
    REVERSE_CHRONOLOGICAL,
    Scheduled,
    ScheduledQuerySet,
    cancelled_field,
    over_condition,
)
from groups.models.groups import WorkingGroup


class MeetingQuerySet(ScheduledQuerySet):
    def for_group(self, group: WorkingGroup):
        return self.filter(group=group)

    def samples(self):
        return self.filter(is_sample=True)

    def still_to_come(self, now: datetime.datetime | None = None):
        """Neither over (`Scheduled.is_over`) nor recorded as held: what a participant may
        still answer, soonest first."""
        return self.not_over(now).exclude(status=Meeting.Status.HELD).chronological()

    def gone_by(self, now: datetime.datetime | None = None):
        """Over, or recorded as held (its minutes may be out the same day), latest first."""
        return self.filter(over_condition(now) | models.Q(status=Meeting.Status.HELD)).order_by(
            *REVERSE_CHRONOLOGICAL
        )

    def held(self, today: datetime.date | None = None):
        """The meetings that took place, the only ones the yearly figures count: recorded as
        held (`Status.HELD`, set when the sign-in sheet is closed or the meeting is marked
        « tenue »), not a demo sample (never a real date), dated no later than `today`.

        A meeting can be recorded as held only once it has started (`has_started`, checked by
        `groups.services`) and never when cancelled (a constraint), so a cancelled meeting, a
        meeting still to come and one whose day has passed but that nobody recorded as held
        all stay out. The bound on `today` matters only for figures computed as of an earlier
        day."""
        today = today or timezone.localdate()
        return self.not_cancelled().filter(
            status=Meeting.Status.HELD, is_sample=False, date__lte=today
        )

    def next_per_group(self, today: datetime.date | None = None):
        """The next meeting of each group, cancelled ones skipped: one query for any number
        of groups (a window function ranks each group's upcoming meetings)."""
        today = today or timezone.localdate()
        return (
            self.filter(date__gte=today)
            .not_cancelled()
            .annotate(
                _rank=models.Window(
                    RowNumber(),
                    partition_by=models.F("group_id"),
                    order_by=CHRONOLOGICAL,
                )
            )
            .filter(_rank=1)
            .select_related("group", "venue")
        )


class Meeting(Scheduled):
    """A meeting of a working group (date, hours, place and calendar version: see
    `Scheduled`)."""

    class Status(models.TextChoices):
        PLANNED = "planned", "Prévue"
        HELD = "held", "Tenue"

    class Visibility(models.TextChoices):
        PUBLIC = "public", "Public"
        PARTICIPANTS = "participants", "Réservé aux participants"
        UNPUBLISHED = "unpublished", "Non publié"

    group = models.ForeignKey(
        WorkingGroup, verbose_name="groupe", on_delete=models.CASCADE, related_name="meetings"
    )
    is_cancelled = cancelled_field("annulée")
    agenda = models.TextField("ordre du jour", blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    minutes_visibility = models.CharField(
        "publication du compte rendu",
        max_length=20,
        choices=Visibility.choices,
        default=Visibility.UNPUBLISHED,
        help_text="Un compte rendu peut nommer des personnes : relisez-le avant de le publier. "
        "« Réservé aux participants » : lisible dans « Mon espace » par les participants du "
        "groupe seulement.",
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PLANNED
    )
    is_sample = models.BooleanField(
        "exemple",
        default=False,
        help_text="Réunion d'exemple générée pour la démonstration, pas une vraie date.",
    )
    series = models.ForeignKey(
        "groups.MeetingSeries",
        verbose_name="série",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="meetings",
    )
    occurrence_date = models.DateField(
        "date prévue par la série",
        null=True,
        blank=True,
        editable=False,
        help_text="La date que la règle de la série donnait, même si la réunion a été déplacée.",
    )
    edited_by_hand = models.BooleanField(
        "modifiée à la main",
        default=False,
        help_text="Déplacée, changée de lieu ou annulée seule : une modification de la série "
        "la laisse telle quelle.",
    )
    invitations_sent_at = models.DateTimeField("invitations envoyées le", null=True, blank=True)
    unrecorded_attendees = models.PositiveSmallIntegerField(
        "autres présents (nombre)",
        default=0,
        help_text="Personnes venues sans être inscrites dans le fichier.",
    )
    decisions = models.TextField("décisions", blank=True)

    objects = MeetingQuerySet.as_manager()

    class Meta(Scheduled.Meta):
        verbose_name = "réunion"
        verbose_name_plural = "réunions"
        ordering = CHRONOLOGICAL
        constraints = [
            *Scheduled.Meta.constraints,
            models.CheckConstraint(
                condition=~models.Q(status="held", is_cancelled=True),
                name="meeting_held_is_not_cancelled",
                violation_error_message="Une réunion tenue ne peut pas être annulée.",
            ),
            models.UniqueConstraint(
                fields=["series", "occurrence_date"],
                condition=models.Q(series__isnull=False),
                name="one_meeting_per_series_occurrence",
            ),
        ]

    def __str__(self):
        return f"{self.group} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("groups:meeting_detail", kwargs={"slug": self.group.slug, "pk": self.pk})

    @property
    def has_public_minutes(self) -> bool:
        return bool(self.minutes) and self.minutes_visibility == self.Visibility.PUBLIC

    @property
    def has_participants_minutes(self) -> bool:
        return bool(self.minutes) and self.minutes_visibility == self.Visibility.PARTICIPANTS
