"""Events (seminars, general assemblies, breakfasts) and their programme."""

import datetime
import re

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Count, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils import timezone

from association.models import Scheduled, ScheduledQuerySet
from members.models import Person, Structure
from outbox.models import OutgoingMail, register_mail_kinds


class EventMailKind(models.TextChoices):
    """The mails registrations send (see `outbox`)."""

    REGISTRATION_CONFIRMATION = (
        "event_registration_confirmation",
        "Inscription à un événement\u00a0: lien de confirmation",
    )
    REGISTRATION_PROMOTED = (
        "event_registration_promoted",
        "Inscription à un événement\u00a0: place libérée",
    )
    EVENT_MOVED = "event_moved", "Événement déplacé\u00a0: avis aux inscrits"
    EVENT_CANCELLED = "event_cancelled", "Événement annulé\u00a0: avis aux inscrits"


register_mail_kinds(
    EventMailKind,
    templates={
        EventMailKind.REGISTRATION_CONFIRMATION: "events/emails/registration_confirmation",
        EventMailKind.REGISTRATION_PROMOTED: "events/emails/registration_promoted",
        EventMailKind.EVENT_MOVED: "events/emails/event_moved",
        EventMailKind.EVENT_CANCELLED: "events/emails/event_cancelled",
    },
)


def _count_registrations(status: str, **target) -> Subquery:
    """A subquery counting the registrations of one status on the outer row (an event's own,
    outside its sessions, or a session's): the counts ride on the page's query."""
    registrations = (
        Registration.objects.filter(status=status, **target)
        .order_by()
        .values("status")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return Coalesce(Subquery(registrations, output_field=models.IntegerField()), 0)


class WithPlaces(models.Model):
    """What an event and a programme item share: online registration, and a number of places
    beyond which registrations go on a waiting list."""

    registration_open = models.BooleanField(
        "inscription en ligne",
        default=False,
        help_text="Les visiteurs s'inscrivent depuis la page publique (nom et e-mail, puis "
        "un lien de confirmation par e-mail).",
    )
    capacity = models.PositiveIntegerField(
        "nombre de places",
        null=True,
        blank=True,
        help_text="Laissez vide pour un nombre illimité. Au-delà, les inscriptions vont sur "
        "une liste d'attente, appelée dans l'ordre quand une place se libère.",
    )

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(capacity__gte=1),
                name="%(class)s_capacity_positive",
                violation_error_message="Indiquez au moins une place, ou laissez vide.",
            ),
        ]

    def places_left(self, confirmed: int) -> int | None:
        """Places still free with `confirmed` people in; None when there is no limit."""
        if self.capacity is None:
            return None
        return max(self.capacity - confirmed, 0)

    @property
    def availability(self) -> str:
        """What the public page says of the places, from the counts annotated by
        `with_registration_counts()`: « Plus que 3 places », « Complet — liste d'attente »."""
        left = self.places_left(self.confirmed_count)
        if left is None:
            return ""
        if left == 0:
            return "Complet — liste d'attente"
        if left <= max(10, self.capacity // 4):
            return f"Plus que {left} place{'s' if left > 1 else ''}"
        return f"{left} places disponibles"

    @property
    def registered_label(self) -> str:
        """« 12 personnes inscrites »: how many, never who."""
        count = self.confirmed_count
        if count == 0:
            return "Aucune inscription pour l'instant"
        if count == 1:
            return "1 personne inscrite"
        return f"{count} personnes inscrites"


class EventQuerySet(ScheduledQuerySet):
    def published(self):
        return self.filter(is_published=True)

    def involving(self, structure):
        """The events `structure` organises or leads a session of, each once: chosen by id
        (no join), so that an event it both organises and speaks at is not counted twice."""
        organisers = Event.organisers.through.objects.filter(structure=structure)
        return self.filter(
            Q(pk__in=organisers.values("event_id"))
            | Q(pk__in=Session.objects.filter(facilitator=structure).values("event_id"))
        )

    def with_registration_counts(self):
        """Confirmed and waiting registrations to the event itself (not to its sessions)."""
        own = {"event": OuterRef("pk"), "session__isnull": True}
        return self.annotate(
            confirmed_count=_count_registrations("confirmed", **own),
            waiting_count=_count_registrations("waiting", **own),
        )


class Event(WithPlaces, Scheduled):
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
        constraints = [*Scheduled.Meta.constraints, *WithPlaces.Meta.constraints]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("events:event_detail", kwargs={"slug": self.slug})

    def ends_at(self) -> datetime.datetime:
        """When the event is over: its end hour, or the end of its day (local time)."""
        zone = timezone.get_current_timezone()
        if self.end_time is not None:
            return datetime.datetime.combine(self.date, self.end_time, tzinfo=zone)
        next_day = self.date + datetime.timedelta(days=1)
        return datetime.datetime.combine(next_day, datetime.time(0, 0), tzinfo=zone)

    def has_ended(self) -> bool:
        return timezone.now() >= self.ends_at()

    def takes_registrations(self) -> bool:
        """Whether someone may still register, to the event or to one of its sessions."""
        return self.is_published and not self.is_cancelled and not self.has_ended()


class SessionQuerySet(models.QuerySet):
    def with_registration_counts(self):
        return self.annotate(
            confirmed_count=_count_registrations("confirmed", session=OuterRef("pk")),
            waiting_count=_count_registrations("waiting", session=OuterRef("pk")),
        )


class Session(WithPlaces, models.Model):
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

    objects = SessionQuerySet.as_manager()

    class Meta(WithPlaces.Meta):
        verbose_name = "séquence du programme"
        verbose_name_plural = "séquences du programme"
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


class RegistrationQuerySet(models.QuerySet):
    def for_target(self, *, event: Event, session: Session | None = None):
        """The registrations that share places: an event's own (outside its sessions), or
        one session's."""
        if session is not None:
            return self.filter(session=session)
        return self.filter(event=event, session__isnull=True)

    def active(self):
        """Confirmed and waiting: the people told when the event moves or is cancelled."""
        return self.filter(status__in=[Registration.Status.CONFIRMED, Registration.Status.WAITING])

    def confirmed(self):
        return self.filter(status=Registration.Status.CONFIRMED)

    def waiting_in_order(self):
        """The waiting list, first come first served (by the time each one confirmed)."""
        return self.filter(status=Registration.Status.WAITING).order_by("confirmed_at", "pk")


class Registration(models.Model):
    """Someone who registered, without an account, to an event or one of its sessions.

    A registration counts once its address is confirmed (the link in the e-mail, then a
    button): it then holds a place, or goes on the waiting list when the event (or session)
    is full. The same link lets the person cancel, which frees their place for the first on
    the waiting list. Names are never shown on a public page."""

    class Status(models.TextChoices):
        PENDING = "pending", "À confirmer"
        CONFIRMED = "confirmed", "Confirmée"
        WAITING = "waiting", "Liste d'attente"
        CANCELLED = "cancelled", "Annulée"

    event = models.ForeignKey(
        Event,
        verbose_name="événement",
        # An event with registrations is cancelled, not deleted: its people are told.
        on_delete=models.PROTECT,
        related_name="registrations",
    )
    session = models.ForeignKey(
        Session,
        verbose_name="séquence du programme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="registrations",
        help_text="Vide pour une inscription à l'événement lui-même.",
    )
    name = models.CharField("nom", max_length=200)
    email = models.EmailField("e-mail", max_length=254)
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    created_at = models.DateTimeField("inscrit·e le", default=timezone.now)
    confirmed_at = models.DateTimeField(
        "confirmée le",
        null=True,
        blank=True,
        help_text="La liste d'attente suit cet ordre.",
    )
    promoted_at = models.DateTimeField("sortie de la liste d'attente le", null=True, blank=True)
    cancelled_at = models.DateTimeField("annulée le", null=True, blank=True)
    outgoing_mails = GenericRelation(OutgoingMail, related_query_name="event_registration")

    objects = RegistrationQuerySet.as_manager()

    class Meta:
        verbose_name = "inscription"
        verbose_name_plural = "inscriptions"
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                "event",
                condition=Q(session__isnull=True) & ~Q(status="cancelled"),
                name="unique_active_registration_per_event",
                violation_error_message="Cette adresse est déjà inscrite à cet événement.",
            ),
            models.UniqueConstraint(
                Lower("email"),
                "session",
                condition=Q(session__isnull=False) & ~Q(status="cancelled"),
                name="unique_active_registration_per_session",
                violation_error_message="Cette adresse est déjà inscrite à cette séquence.",
            ),
            models.CheckConstraint(
                condition=Q(status="pending") | Q(confirmed_at__isnull=False),
                name="registration_confirmation_is_dated",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | Q(cancelled_at__isnull=False),
                name="registration_cancellation_is_dated",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "session", "status"], name="registration_places_idx"),
            models.Index(Lower("email"), name="registration_email_idx"),
        ]

    def __str__(self):
        return f"{self.name} \u2014 {self.target_title}"

    @property
    def target(self) -> WithPlaces:
        """What the places are counted on: the session, or the event itself."""
        return self.session if self.session_id else self.event

    @property
    def target_title(self) -> str:
        if self.session_id:
            return f"{self.session.title} ({self.event.title})"
        return self.event.title

    def waiting_position(self) -> int:
        """1 for the first on the waiting list."""
        ahead = (
            Registration.objects.for_target(event=self.event, session=self.session)
            .filter(status=self.Status.WAITING)
            .filter(
                Q(confirmed_at__lt=self.confirmed_at)
                | Q(confirmed_at=self.confirmed_at, pk__lt=self.pk)
            )
            .count()
        )
        return ahead + 1


class RegistrationNotice(models.Model):
    """A change of an event (or of one session) told to the people registered: one row per
    announcement, which its mails are about (one mail per address)."""

    class Kind(models.TextChoices):
        MOVED = "moved", "Déplacement"
        CANCELLED = "cancelled", "Annulation"

    event = models.ForeignKey(
        Event, verbose_name="événement", on_delete=models.CASCADE, related_name="notices"
    )
    session = models.ForeignKey(
        Session,
        verbose_name="séquence du programme",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notices",
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    summary = models.CharField("changement annoncé", max_length=500)
    recipients = models.PositiveIntegerField("personnes prévenues", default=0)
    created_at = models.DateTimeField("envoyé le", default=timezone.now)
    outgoing_mails = GenericRelation(OutgoingMail, related_query_name="registration_notice")

    class Meta:
        verbose_name = "avis aux inscrits"
        verbose_name_plural = "avis aux inscrits"
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} \u2014 {self.summary}"
