"""Join requests: what a visitor sent through the join-us form, and what the coordinator
decided."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.utils import timezone

from groups.models import WorkingGroup
from members.models import Person, Structure
from outbox.models import OutgoingMail, register_mail_kinds


class JoinMailKind(models.TextChoices):
    """The mails a join request sends (see `outbox`)."""

    COORDINATOR_NOTIFICATION = "notification", "Notification à la coordination"
    APPLICANT_ACKNOWLEDGEMENT = "acknowledgement", "Accusé de réception au demandeur"
    APPLICANT_WELCOME = "join-welcome", "Bienvenue au demandeur accepté"
    APPLICANT_DECLINED = "join-declined", "Réponse au demandeur non retenu"


register_mail_kinds(
    JoinMailKind,
    templates={
        JoinMailKind.COORDINATOR_NOTIFICATION: "joining/emails/join_notification",
        JoinMailKind.APPLICANT_ACKNOWLEDGEMENT: "joining/emails/join_acknowledgement",
        JoinMailKind.APPLICANT_WELCOME: "joining/emails/join_welcome",
        JoinMailKind.APPLICANT_DECLINED: "joining/emails/join_declined",
    },
)


class JoinRequestQuerySet(models.QuerySet):
    def open(self):
        """Requests still waiting for a decision."""
        return self.filter(status__in=[JoinRequest.Status.NEW, JoinRequest.Status.IN_PROGRESS])


class JoinRequest(models.Model):
    """What a visitor sent through the join-us form, and what the coordinator decided.

    The client address is never stored: the rate limit keeps only a keyed hash of it in the
    cache, for the length of its window."""

    class Status(models.TextChoices):
        NEW = "new", "Nouvelle"
        IN_PROGRESS = "in_progress", "En cours de traitement"
        ACCEPTED = "accepted", "Acceptée"
        DECLINED = "declined", "Refusée"

    class ApplicantKind(models.TextChoices):
        PERSON = "person", "Un particulier"
        STRUCTURE = "structure", "Une structure (association, entreprise, collectivité…)"

    wants_membership = models.BooleanField("souhaite devenir membre", default=False)
    wants_groups = models.BooleanField("souhaite participer à des groupes", default=False)
    wants_project = models.BooleanField("propose un projet ou une idée", default=False)
    wants_associate = models.BooleanField(
        "souhaite devenir associée de la SCIC",
        default=False,
        help_text="Une structure peut demander à entrer au capital de la coopérative.",
    )
    applicant_kind = models.CharField(
        "demandeur", max_length=20, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("e-mail", max_length=254)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    structure_name = models.CharField("nom de la structure", max_length=200, blank=True)
    structure_kind = models.CharField(
        "type de structure", max_length=20, choices=Structure.Kind.choices, blank=True
    )
    town = models.CharField("commune", max_length=100, blank=True)
    groups = models.ManyToManyField(
        WorkingGroup,
        verbose_name="groupes de travail souhaités",
        blank=True,
        related_name="join_requests",
        limit_choices_to={"is_active": True},
    )
    message = models.TextField("message", max_length=5000, blank=True)
    consent_given_at = models.DateTimeField(
        "consentement donné le",
        help_text="Moment où la case de consentement a été cochée et la demande envoyée.",
    )
    privacy_notice_version = models.CharField(
        "version de la notice de confidentialité",
        max_length=20,
        help_text="Version de la page «\u00a0Données personnelles\u00a0» acceptée par le "
        "demandeur.",
    )
    form_token = models.CharField(
        "jeton du formulaire",
        max_length=128,
        unique=True,
        editable=False,
        help_text="Jeton à usage unique\u00a0: un double envoi ne crée pas deux demandes.",
    )
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.NEW, db_index=True
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="traitée par",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="handled_join_requests",
    )
    handled_at = models.DateTimeField("traitée le", null=True, blank=True)
    decline_reason = models.TextField("motif du refus", blank=True)
    person = models.ForeignKey(
        Person,
        verbose_name="personne créée ou liée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure créée ou liée",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="join_requests",
    )
    created_at = models.DateTimeField("reçue le", default=timezone.now, db_index=True)
    outgoing_mails = GenericRelation(OutgoingMail, related_query_name="join_request")
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = JoinRequestQuerySet.as_manager()

    class Meta:
        verbose_name = "demande d'adhésion"
        verbose_name_plural = "demandes d'adhésion"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(wants_membership=True)
                | models.Q(wants_groups=True)
                | models.Q(wants_project=True),
                name="join_request_asks_something",
                violation_error_message="Indiquez au moins une demande\u00a0: adhérer, participer "
                "à un groupe ou proposer un projet.",
            ),
            models.CheckConstraint(
                condition=~models.Q(applicant_kind="structure") | ~models.Q(structure_name=""),
                name="join_request_structure_has_name",
                violation_error_message="Indiquez le nom de la structure.",
            ),
            models.CheckConstraint(
                condition=models.Q(status__in=["new", "in_progress"])
                | models.Q(handled_at__isnull=False),
                name="join_request_decision_is_dated",
                violation_error_message="Une demande acceptée ou refusée a une date de "
                "traitement.",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="declined") | ~models.Q(decline_reason=""),
                name="join_request_decline_has_reason",
                violation_error_message="Indiquez le motif du refus.",
            ),
            models.CheckConstraint(
                condition=~models.Q(privacy_notice_version=""),
                name="join_request_consent_has_version",
            ),
        ]

    def __str__(self):
        who = f"{self.first_name} {self.last_name.upper()}".strip()
        if self.applicant_kind == self.ApplicantKind.STRUCTURE and self.structure_name:
            return f"{who} ({self.structure_name})"
        return who

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name.upper()}".strip()

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.NEW, self.Status.IN_PROGRESS)

    @property
    def is_structure(self) -> bool:
        return self.applicant_kind == self.ApplicantKind.STRUCTURE

    @property
    def wishes(self) -> list[str]:
        """What the applicant asked for, in words, in the form's order."""
        labels = []
        if self.wants_membership:
            labels.append("devenir membre de l'association")
        if self.wants_groups:
            labels.append("participer à des groupes de travail")
        if self.wants_project:
            labels.append("proposer un projet ou une idée")
        if self.wants_associate:
            labels.append("devenir associée de la SCIC")
        return labels
