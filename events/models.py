"""Events (seminars, general assemblies, breakfasts) and their programme."""

import re

from django.db import models
from django.urls import reverse

from association.models import Scheduled, ScheduledQuerySet
from members.models import Person, Structure


class EventQuerySet(ScheduledQuerySet):
    def published(self):
        return self.filter(is_published=True)


class Event(Scheduled):
    """An event of the network (date, hours, place and calendar version: see `Scheduled`)."""

    class Kind(models.TextChoices):
        SEMINAR = "seminar", "Séminaire"
        GENERAL_ASSEMBLY = "general_assembly", "Assemblée générale"
        BREAKFAST = "breakfast", "Petit déjeuner"
        PUBLIC_DAY = "public_day", "Journée grand public"
        WORKSHOP = "workshop", "Atelier"
        OTHER = "other", "Autre"

    title = models.CharField("titre", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=200, unique=True)
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    organisers = models.ManyToManyField(
        Structure, verbose_name="organisateurs", blank=True, related_name="organised_events"
    )
    summary = models.CharField("résumé", max_length=300, blank=True)
    body = models.TextField(
        "présentation", blank=True, help_text="Séparez les paragraphes par une ligne vide."
    )
    is_published = models.BooleanField("publié", default=False)

    objects = EventQuerySet.as_manager()

    class Meta(Scheduled.Meta):
        verbose_name = "événement"
        verbose_name_plural = "événements"
        # Newest first; on one day, in the order of the day.
        ordering = [models.F("date").desc(), models.F("start_time").asc(nulls_first=True)]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", kwargs={"slug": self.slug})


class Session(models.Model):
    """One item of an event's programme."""

    class PartOfDay(models.TextChoices):
        MORNING = "morning", "Matin"
        AFTERNOON = "afternoon", "Après-midi"
        EVENING = "evening", "Soirée"

    class Kind(models.TextChoices):
        OPENING = "opening", "Ouverture"
        ADDRESS = "address", "Intervention"
        TESTIMONY = "testimony", "Témoignage"
        WORKSHOP = "workshop", "Atelier"
        ROUND_TABLE = "round_table", "Table ronde"
        DISCUSSION_TABLES = "discussion_tables", "Tables d'échange"
        OTHER = "other", "Autre"

    event = models.ForeignKey(
        Event, verbose_name="événement", on_delete=models.CASCADE, related_name="sessions"
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)
    part_of_day = models.CharField("moment", max_length=20, choices=PartOfDay.choices, blank=True)
    start_time = models.TimeField("heure", null=True, blank=True)
    title = models.CharField("titre", max_length=300)
    kind = models.CharField("type", max_length=30, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField("description", blank=True)
    facilitator = models.ForeignKey(
        Structure,
        verbose_name="structure animatrice",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="facilitated_sessions",
    )

    class Meta:
        verbose_name = "séquence du programme"
        verbose_name_plural = "programme"
        ordering = ["event", "order", "pk"]

    def __str__(self):
        return self.title


class SessionSpeaker(models.Model):
    """A person speaking in a session, in the role they speak in."""

    session = models.ForeignKey(
        Session, verbose_name="séquence", on_delete=models.CASCADE, related_name="speakers"
    )
    person = models.ForeignKey(
        Person, verbose_name="personne", on_delete=models.CASCADE, related_name="talks"
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="au titre de la structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    role = models.CharField(
        "qualité",
        max_length=200,
        blank=True,
        help_text="Par exemple : président du PTCE, vice-président de la CAHC.",
    )
    order = models.PositiveSmallIntegerField("ordre", default=0)

    class Meta:
        verbose_name = "intervenant·e"
        verbose_name_plural = "intervenant·e·s"
        ordering = ["session", "order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "person"], name="unique_speaker_per_session"
            ),
        ]

    def __str__(self):
        return f"{self.person} — {self.session}"

    @property
    def structure_label(self) -> str:
        """The structure to write after the role, in brackets: its acronym (or name), unless
        the role already names it (« vice-président de la CAHC », not « … (CAHC) »)."""
        if self.structure is None:
            return ""
        names = [self.structure.acronym, self.structure.name]
        if any(_names_in(name, self.role) for name in names if name):
            return ""
        return self.structure.acronym or self.structure.name


def _names_in(name: str, text: str) -> bool:
    """`name` appears in `text` as whole words, whatever the case or the apostrophe."""

    def tidy(value: str) -> str:
        return value.replace("\u2019", "'").casefold()

    return re.search(rf"(?<!\w){re.escape(tidy(name))}(?!\w)", tidy(text)) is not None
