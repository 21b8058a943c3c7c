"""The member file: structures, the people in them, and yearly memberships."""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.text import capfirst

from association.validators import validate_single_line


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

    name = models.CharField("nom", max_length=200, validators=[validate_single_line])
    slug = models.SlugField("identifiant d'URL", max_length=200, unique=True)
    acronym = models.CharField(
        "sigle", max_length=50, blank=True, validators=[validate_single_line]
    )
    kind = models.CharField("type", max_length=20, choices=Kind.choices, default=Kind.OTHER)
    description = models.TextField("présentation", blank=True)
    address = models.CharField(
        "adresse", max_length=300, blank=True, validators=[validate_single_line]
    )
    town = models.CharField(
        "commune", max_length=100, blank=True, validators=[validate_single_line]
    )
    website = models.URLField("site internet", blank=True)
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(
        "téléphone", max_length=30, blank=True, validators=[validate_single_line]
    )
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


class StructureKindsField(models.JSONField):
    """A list of `Structure.Kind` codes, stored as JSON, chosen in a form by ticking the kinds
    by their French names (not typed as « ["local_authority"] »)."""

    def formfield(self, **kwargs):
        for ignored in ("form_class", "encoder", "decoder"):
            kwargs.pop(ignored, None)
        return forms.TypedMultipleChoiceField(
            **{
                "choices": Structure.Kind.choices,
                "widget": forms.CheckboxSelectMultiple,
                "required": not self.blank,
                "label": capfirst(self.verbose_name),
                "help_text": self.help_text,
                **kwargs,
            }
        )


class PersonQuerySet(MemberQuerySet):
    member_field = "person"


class Person(models.Model):
    """Someone in the member file. Not a login: most people here never sign in."""

    class TeamRole(models.TextChoices):
        PRESIDENT = "president", "Président·e"
        DEVELOPMENT_OFFICER = "development_officer", "Chargé·e de développement"
        CONSULTANT = "consultant", "Consultant·e"

    first_name = models.CharField("prénom", max_length=100, validators=[validate_single_line])
    last_name = models.CharField("nom", max_length=100, validators=[validate_single_line])
    email = models.EmailField("e-mail", blank=True)
    phone = models.CharField(
        "téléphone", max_length=30, blank=True, validators=[validate_single_line]
    )
    title = models.CharField(
        "fonction",
        max_length=200,
        blank=True,
        help_text="Par exemple : chargée de mission ESS, vice-président de la CAHC.",
        validators=[validate_single_line],
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
    consent_given_at = models.DateTimeField(
        "consentement recueilli le",
        null=True,
        blank=True,
        editable=False,
        help_text="Quand la personne a accepté d'être inscrite au fichier et invitée, si elle "
        "a été ajoutée par un·e chef·fe de file (une demande d'adhésion garde le sien).",
    )
    consent_recorded_by = models.CharField(
        "consentement recueilli par",
        max_length=200,
        blank=True,
        editable=False,
        validators=[validate_single_line],
    )
    privacy_notice_version = models.CharField(
        "version de la notice de confidentialité", max_length=20, blank=True, editable=False
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
        indexes = [
            # The order of every list of people; with the admin's tiebreak (-id) a page of the
            # list reads its hundred rows from the index instead of sorting the whole file.
            models.Index(fields=["last_name", "first_name", "-id"], name="person_name_order"),
        ]
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


def structure_member_year(today: datetime.date | None = None) -> int:
    """The year the directory calls « membre » (see `MembershipQuerySet.reference_year`).
    Structures' memberships only: a person renewing early does not turn every structure into a
    partner."""
    return Membership.objects.filter(structure__isnull=False).reference_year(
        today or timezone.localdate()
    )
