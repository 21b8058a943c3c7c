"""The general assembly: its convocation, who attends or gives a proxy, its resolutions and the
votes counted in each college."""

import datetime

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils import timezone

from association.models import Scheduled, cancelled_field
from outbox.models import OutgoingMail, register_mail_kinds
from scic.models.register import Associate, College


class ScicMailKind(models.TextChoices):
    """The mails the SCIC sends (see `outbox`)."""

    CONVOCATION = "scic_convocation", "Convocation à l'assemblée générale"


register_mail_kinds(ScicMailKind, templates={ScicMailKind.CONVOCATION: "scic/emails/convocation"})


class GeneralAssembly(Scheduled):
    """A general assembly of the associates: a day, hours, a place (the `Scheduled` base),
    its kind and agenda."""

    class Kind(models.TextChoices):
        ORDINARY = "ordinary", "Assemblée générale ordinaire"
        EXTRAORDINARY = "extraordinary", "Assemblée générale extraordinaire"

    class Call(models.TextChoices):
        FIRST = "first", "Première convocation"
        SECOND = "second", "Deuxième convocation"

    title = models.CharField("intitulé", max_length=200)
    is_cancelled = cancelled_field("annulée")
    kind = models.CharField("nature", max_length=20, choices=Kind.choices, default=Kind.ORDINARY)
    call = models.CharField(
        "convocation",
        max_length=10,
        choices=Call.choices,
        default=Call.FIRST,
        help_text="Le quorum des statuts dépend de la convocation (première ou deuxième).",
    )
    place_details = models.CharField(
        "précisions sur le lieu", max_length=300, blank=True, help_text="Salle, étage, accès…"
    )
    agenda = models.TextField("ordre du jour", help_text="Un point par ligne.")
    convened_at = models.DateTimeField("convocations envoyées le", null=True, blank=True)
    chair = models.CharField("président·e de séance", max_length=200, blank=True)
    secretary = models.CharField("secrétaire de séance", max_length=200, blank=True)
    sitting_opened_at = models.DateTimeField(
        "présences prises le",
        null=True,
        blank=True,
        editable=False,
        help_text="À la première présence ou au premier vote saisi le jour de l'assemblée\u00a0: "
        "les réponses des associés sont alors closes et les règles du jour figées.",
    )
    frozen_rules = models.JSONField(
        "règles appliquées",
        null=True,
        blank=True,
        editable=False,
        help_text="Collèges et leurs parts des voix, quorum, majorités et pouvoirs tels qu'ils "
        "étaient le jour de l'assemblée\u00a0: le procès-verbal les lit, jamais les réglages "
        "d'aujourd'hui.",
    )
    minutes_notes = models.TextField(
        "notes du procès-verbal",
        blank=True,
        help_text="Ce que le procès-verbal dit en plus des votes (débats, questions).",
    )

    class Meta(Scheduled.Meta):
        verbose_name = "assemblée générale"
        verbose_name_plural = "assemblées générales"
        ordering = ["-date"]

    def __str__(self):
        return f"{self.title} du {self.date:%d/%m/%Y}"

    @property
    def begins_at(self) -> datetime.datetime:
        """When the assembly starts (its day's first minute when it has no hour)."""
        return datetime.datetime.combine(
            self.date,
            self.start_time or datetime.time(0, 0),
            tzinfo=timezone.get_default_timezone(),
        )

    @property
    def replies_closed(self) -> bool:
        """The associates' replies close when attendance is taken, and at the start."""
        return self.sitting_opened_at is not None or timezone.now() >= self.begins_at

    @property
    def agenda_items(self) -> list[str]:
        return [line.strip() for line in self.agenda.splitlines() if line.strip()]


class Resolution(models.Model):
    """A resolution put to the vote."""

    assembly = models.ForeignKey(
        GeneralAssembly,
        verbose_name="assemblée",
        on_delete=models.CASCADE,
        related_name="resolutions",
    )
    number = models.PositiveSmallIntegerField("n°")
    title = models.CharField("intitulé", max_length=300)
    text = models.TextField("texte soumis au vote", blank=True)

    class Meta:
        verbose_name = "résolution"
        verbose_name_plural = "résolutions"
        ordering = ["assembly", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "number"],
                name="scic_unique_resolution_number",
                violation_error_message="Ce numéro de résolution existe déjà pour l'assemblée.",
            ),
        ]

    def __str__(self):
        return f"Résolution n°\u00a0{self.number}\u00a0: {self.title}"


class AttendanceQuerySet(models.QuerySet):
    def counted(self):
        """Present or represented: the associates whose vote counts."""
        return self.filter(status__in=[Attendance.Status.PRESENT, Attendance.Status.REPRESENTED])


class Attendance(models.Model):
    """An associate convened to an assembly, their reply and, on the day, whether they came or
    gave a proxy. The college is the associate's when convened: the minutes do not change if
    they move college later."""

    class ByPost(models.TextChoices):
        """Why the convocation goes by post: the portal sent no mail."""

        NO_ADDRESS = "no_address", "aucune adresse e-mail connue"
        NO_CONSENT = "no_consent", "pas d'accord pour la convocation électronique"
        OTHER_ADDRESS = (
            "other_address",
            "pas d'accord pour la convocation électronique à cette adresse (l'accord porte sur "
            "une autre adresse)",
        )

    class Status(models.TextChoices):
        INVITED = "invited", "Convoqué, sans réponse"
        PRESENT = "present", "Présent"
        REPRESENTED = "represented", "Représenté (pouvoir)"
        ABSENT = "absent", "Absent ou excusé"

    assembly = models.ForeignKey(
        GeneralAssembly,
        verbose_name="assemblée",
        on_delete=models.CASCADE,
        related_name="attendances",
    )
    associate = models.ForeignKey(
        Associate, verbose_name="associé", on_delete=models.PROTECT, related_name="attendances"
    )
    college = models.ForeignKey(
        College,
        verbose_name="collège",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        "présence", max_length=20, choices=Status.choices, default=Status.INVITED
    )
    proxy_holder = models.ForeignKey(
        Associate,
        verbose_name="pouvoir donné à",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="proxies_held",
    )
    replied_at = models.DateTimeField("réponse reçue le", null=True, blank=True)
    by_post = models.CharField(
        "convocation par courrier",
        max_length=20,
        choices=ByPost.choices,
        blank=True,
        editable=False,
        help_text="Pourquoi le portail n'a pas envoyé d'e-mail, à la dernière convocation.",
    )
    outgoing_mails = GenericRelation(OutgoingMail, related_query_name="scic_attendance")

    objects = AttendanceQuerySet.as_manager()

    class Meta:
        verbose_name = "présence"
        verbose_name_plural = "présences et pouvoirs"
        ordering = ["assembly", "associate__number"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "associate"],
                name="scic_one_attendance_per_associate",
                violation_error_message="Cet associé est déjà sur la feuille de présence.",
            ),
            models.CheckConstraint(
                condition=(Q(status="represented") & Q(proxy_holder__isnull=False))
                | (~Q(status="represented") & Q(proxy_holder__isnull=True)),
                name="scic_proxy_iff_represented",
                violation_error_message="Un associé représenté a donné pouvoir à un autre "
                "associé, et lui seul.",
            ),
            models.CheckConstraint(
                condition=~Q(proxy_holder=models.F("associate")),
                name="scic_no_proxy_to_oneself",
                violation_error_message="Un associé ne se donne pas pouvoir à lui-même.",
            ),
        ]

    def __str__(self):
        return f"{self.associate.name} — {self.get_status_display()}"


class VoteCount(models.Model):
    """The votes of one college on one resolution (no college: all associates together)."""

    # PROTECT: the votes are the minutes' substance; an assembly or a resolution with votes
    # recorded is not deleted with them, from the admin, the shell or a bulk delete.
    resolution = models.ForeignKey(
        Resolution, verbose_name="résolution", on_delete=models.PROTECT, related_name="votes"
    )
    college = models.ForeignKey(
        College,
        verbose_name="collège",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    votes_for = models.PositiveIntegerField("pour", default=0)
    votes_against = models.PositiveIntegerField("contre", default=0)
    abstentions = models.PositiveIntegerField("abstentions", default=0)

    class Meta:
        verbose_name = "décompte des voix"
        verbose_name_plural = "décomptes des voix"
        constraints = [
            models.UniqueConstraint(
                fields=["resolution", "college"],
                condition=Q(college__isnull=False),
                name="scic_one_count_per_college",
            ),
            models.UniqueConstraint(
                fields=["resolution"],
                condition=Q(college__isnull=True),
                name="scic_one_count_without_college",
            ),
        ]

    def __str__(self):
        return f"{self.resolution} — {self.college or 'tous les associés'}"

    @property
    def total(self) -> int:
        return self.votes_for + self.votes_against + self.abstentions
