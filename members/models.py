"""The member file: structures, the people in them, and yearly memberships."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


def has_active_membership(member_field: str, year: int | None = None) -> models.Exists:
    """True for a structure or person (`member_field`) with a validated membership for `year`
    (default: the current year). One subquery, so lists annotate it without a query per row."""
    year = year or timezone.localdate().year
    return models.Exists(
        Membership.objects.filter(
            **{member_field: models.OuterRef("pk")}, year=year, status=Membership.Status.ACTIVE
        )
    )


class MemberQuerySet(models.QuerySet):
    """Membership is not a flag: it is derived from the yearly memberships."""

    member_field: str  # the Membership field pointing at this model

    def members(self, year: int | None = None):
        """Those with a validated membership for `year` (default: the current year)."""
        return self.filter(has_active_membership(self.member_field, year))

    def with_is_member(self, year: int | None = None):
        """Annotate `is_member` for `year` in the same query (for lists)."""
        return self.annotate(is_member=has_active_membership(self.member_field, year))


class StructureQuerySet(MemberQuerySet):
    member_field = "structure"


class Structure(models.Model):
    """An organisation: member or partner of the PTCE."""

    class Kind(models.TextChoices):
        ASSOCIATION = "association", "Association"
        COOPERATIVE = "cooperative", "Coopérative (SCOP, SCIC)"
        COMPANY = "company", "Entreprise"
        LOCAL_AUTHORITY = "local_authority", "Collectivité territoriale"
        NETWORK = "network", "Réseau ou fédération"
        INTEGRATION = "integration", "Structure d'insertion (SIAE)"
        SCHOOL = "school", "Établissement scolaire ou de formation"
        OTHER = "other", "Autre"

    name = models.CharField("nom", max_length=200)
    slug = models.SlugField("identifiant d'URL", max_length=200, unique=True)
    acronym = models.CharField("sigle", max_length=50, blank=True)
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField("présentation", blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    town = models.CharField("commune", max_length=100, blank=True)
    website = models.URLField("site internet", blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    is_founding_member = models.BooleanField(
        "membre fondateur",
        default=False,
        help_text="Fait partie du noyau de structures à l'origine du PTCE.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = StructureQuerySet.as_manager()

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="unique_structure_name_ci"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("site:structure_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The name, with the acronym when it says something the name does not."""
        if self.acronym and self.acronym.lower() != self.name.lower():
            return f"{self.name} ({self.acronym})"
        return self.name


class PersonQuerySet(MemberQuerySet):
    member_field = "person"


class Person(models.Model):
    """Someone in the member file. Not a login: most people here never sign in."""

    class TeamRole(models.TextChoices):
        PRESIDENT = "president", "Président·e"
        DEVELOPMENT_OFFICER = "development_officer", "Chargé·e de développement"
        CONSULTANT = "consultant", "Consultant·e"

    first_name = models.CharField("prénom", max_length=100)
    last_name = models.CharField("nom", max_length=100)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField("téléphone", max_length=30, blank=True)
    title = models.CharField(
        "fonction",
        max_length=200,
        blank=True,
        help_text="Par exemple : chargée de mission ESS, vice-président de la CAHC.",
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="people",
    )
    team_role = models.CharField(
        "rôle dans l'équipe de l'association",
        max_length=30,
        choices=TeamRole.choices,
        blank=True,
    )
    team_since = models.DateField("dans l'équipe depuis", null=True, blank=True)
    show_contact_publicly = models.BooleanField(
        "coordonnées visibles sur le site",
        default=False,
        help_text="Cochez seulement si la personne a accepté que son e-mail et son téléphone "
        "soient publiés.",
    )
    anonymised_at = models.DateTimeField(
        "anonymisée le",
        null=True,
        blank=True,
        editable=False,
        help_text="Date de l'effacement de ses données personnelles, à sa demande\u00a0: la "
        "fiche ne reste que pour les adhésions qu'elle porte.",
    )
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = PersonQuerySet.as_manager()

    class Meta:
        verbose_name = "personne"
        verbose_name_plural = "personnes"
        ordering = ["last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="unique_person_email_ci",
                violation_error_message="Une personne avec cet e-mail existe déjà.",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.email = self.email.strip().lower()
        super().save(*args, **kwargs)

    @property
    def full_name(self) -> str:
        """French usage in a member file: « Fabrice TAUPIN »; « Personne anonymisée n° 14 »
        once erased (not « Personne ANONYMISÉE N° 14 »)."""
        if self.anonymised_at:
            return f"Personne anonymisée n°\u00a0{self.pk}"
        return f"{self.first_name} {self.last_name.upper()}".strip()


class MembershipQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)

    def reference_year(self, today: datetime.date | None = None) -> int:
        """The year the public site calls « membre »: the latest year up to `today`'s that has
        at least one validated membership, or `today`'s year when there is none. In January,
        before the first renewal is validated, members stay members of last year rather than
        all turning into partners. One query.

        The calendar year stays the rule where the coordinator checks who is up to date (the
        admin)."""
        today = today or timezone.localdate()
        latest = (self.active().filter(year__lte=today.year).aggregate(latest=models.Max("year")))[
            "latest"
        ]
        return latest or today.year


class Membership(models.Model):
    """A yearly membership (*adhésion*) of a structure or of a person."""

    class Status(models.TextChoices):
        PENDING = "pending", "En attente"
        ACTIVE = "active", "Validée"
        CANCELLED = "cancelled", "Annulée"

    class PaymentMethod(models.TextChoices):
        TRANSFER = "transfer", "Virement"
        CHEQUE = "cheque", "Chèque"
        CASH = "cash", "Espèces"
        CARD = "card", "Carte bancaire"
        WAIVED = "waived", "Exonération"
        OTHER = "other", "Autre"

    structure = models.ForeignKey(
        Structure,
        verbose_name="structure",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="memberships",
    )
    year = models.PositiveSmallIntegerField("année")
    status = models.CharField(
        "statut", max_length=20, choices=Status.choices, default=Status.PENDING
    )
    fee = models.DecimalField(
        "cotisation (€)", max_digits=8, decimal_places=2, null=True, blank=True
    )
    paid_on = models.DateField("payée le", null=True, blank=True)
    payment_method = models.CharField(
        "moyen de paiement", max_length=20, choices=PaymentMethod.choices, blank=True
    )
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "adhésion"
        verbose_name_plural = "adhésions"
        ordering = ["-year", "structure__name", "person__last_name"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(structure__isnull=False, person__isnull=True)
                    | models.Q(structure__isnull=True, person__isnull=False)
                ),
                name="membership_structure_xor_person",
                violation_error_message="Une adhésion concerne soit une structure, soit une "
                "personne, pas les deux.",
            ),
            models.UniqueConstraint(
                fields=["structure", "year"],
                name="unique_structure_membership_per_year",
                violation_error_message="Cette structure a déjà une adhésion pour cette année.",
            ),
            models.UniqueConstraint(
                fields=["person", "year"],
                name="unique_person_membership_per_year",
                violation_error_message="Cette personne a déjà une adhésion pour cette année.",
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000) & models.Q(year__lte=2100),
                name="membership_year_plausible",
            ),
            models.CheckConstraint(
                condition=models.Q(fee__isnull=True) | models.Q(fee__gte=0),
                name="membership_fee_not_negative",
            ),
        ]
        permissions = [
            ("import_membership", "Peut importer des adhésions"),
            ("export_membership", "Peut exporter des adhésions"),
        ]

    def __str__(self):
        return f"Adhésion {self.year} — {self.member}"

    def clean(self):
        if bool(self.structure_id) == bool(self.person_id):
            raise ValidationError(
                "Choisissez une structure ou une personne (une seule des deux).",
                code="member_choice",
            )

    @property
    def member(self):
        return self.structure or self.person


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
        "groups.WorkingGroup",
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
        return labels


def outgoing_mail_claim_timeout() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTGOING_MAIL_CLAIM_TIMEOUT)


def stale_claim(now: datetime.datetime) -> Q:
    """The condition of a claim older than `OUTGOING_MAIL_CLAIM_TIMEOUT` at `now`. Without a
    date, the claim predates the recording of claims: stale too."""
    return Q(status="sending") & (
        Q(claimed_at__lt=now - outgoing_mail_claim_timeout()) | Q(claimed_at__isnull=True)
    )


class OutgoingMailQuerySet(models.QuerySet):
    def stale_claims(self, *, now: datetime.datetime):
        """Mails a worker started sending longer ago than `OUTGOING_MAIL_CLAIM_TIMEOUT`: that
        worker stopped (or hangs) and will not record the outcome."""
        return self.filter(stale_claim(now))

    def claimable(self, *, now: datetime.datetime):
        """Mails a worker may start sending now: pending and due, or left by a stopped worker."""
        due = Q(status="pending") & (Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        return self.filter(due | stale_claim(now))

    def claim(self, *, now: datetime.datetime) -> int:
        """Mark these mails as being sent from `now`, counting the attempt; the number claimed.

        One conditional UPDATE, whose WHERE re-reads the state and the claim date: of two
        workers racing for a mail, the second finds it claimed (fresh) and updates nothing."""
        return self.claimable(now=now).update(
            status="sending", claimed_at=now, attempts=F("attempts") + 1
        )


class OutgoingMail(models.Model):
    """One e-mail to send, written in the same transaction as what caused it, so that nothing
    is lost when the mail server is down: the worker sends it and records how it went.

    A worker claims a mail (« envoi en cours », with the time) before sending it. A claim
    older than `OUTGOING_MAIL_CLAIM_TIMEOUT` was left by a worker that stopped: the mail is
    shown « envoi interrompu » and claimed again by the next task for it (queued by
    `manage.py requeue_stale_mails` or « Renvoyer »)."""

    class Kind(models.TextChoices):
        COORDINATOR_NOTIFICATION = "notification", "Notification à la coordination"
        APPLICANT_ACKNOWLEDGEMENT = "acknowledgement", "Accusé de réception au demandeur"

    class Status(models.TextChoices):
        PENDING = "pending", "En attente d'envoi"
        SENDING = "sending", "Envoi en cours"
        SENT = "sent", "Envoyé"
        FAILED = "failed", "Échec"

    join_request = models.ForeignKey(
        JoinRequest,
        verbose_name="demande d'adhésion",
        on_delete=models.CASCADE,
        related_name="outgoing_mails",
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices)
    recipient = models.EmailField("destinataire", max_length=254)
    reply_to = models.EmailField("répondre à", max_length=254, blank=True)
    subject = models.CharField("objet", max_length=300)
    body_text = models.TextField("texte")
    body_html = models.TextField("texte HTML", blank=True)
    status = models.CharField(
        "état", max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempts = models.PositiveSmallIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    next_attempt_at = models.DateTimeField("prochaine tentative", null=True, blank=True)
    sent_at = models.DateTimeField("envoyé le", null=True, blank=True)
    claimed_at = models.DateTimeField(
        "dernier envoi commencé le",
        null=True,
        blank=True,
        help_text="Un envoi commencé depuis plusieurs minutes sans résultat a été interrompu "
        "(processus d'envoi arrêté)\u00a0: il est relancé automatiquement.",
    )
    created_at = models.DateTimeField("créé le", default=timezone.now)

    objects = OutgoingMailQuerySet.as_manager()

    class Meta:
        # Not « e-mails envoyés »: many are waiting, or failed.
        verbose_name = "e-mail du site"
        verbose_name_plural = "e-mails du site"
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["join_request", "kind"], name="unique_outgoing_mail_per_request_kind"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="sent") | models.Q(sent_at__isnull=False),
                name="outgoing_mail_sent_is_dated",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"

    @property
    def is_interrupted(self) -> bool:
        """Claimed by a worker so long ago that it must have stopped."""
        return self.status == self.Status.SENDING and (
            self.claimed_at is None
            or self.claimed_at < timezone.now() - outgoing_mail_claim_timeout()
        )

    def get_state_display(self) -> str:
        """The state as the coordinator reads it: the status, or « envoi interrompu »."""
        return "Envoi interrompu" if self.is_interrupted else self.get_status_display()
