"""The member file: structures, the people in them, and yearly memberships."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone


class StructureQuerySet(models.QuerySet):
    def members(self, year: int | None = None):
        """Structures with a valid membership for `year` (default: the current year)."""
        year = year or timezone.localdate().year
        return self.filter(
            memberships__year=year, memberships__status=Membership.Status.ACTIVE
        ).distinct()

    def with_is_member(self, year: int | None = None):
        """Annotate `is_member` for `year` in the same query (for lists)."""
        year = year or timezone.localdate().year
        return self.annotate(
            is_member=models.Exists(
                Membership.objects.filter(
                    structure=models.OuterRef("pk"), year=year, status=Membership.Status.ACTIVE
                )
            )
        )


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
        return reverse("members:structure_detail", kwargs={"slug": self.slug})

    @property
    def display_name(self) -> str:
        """The name, with the acronym when it says something the name does not."""
        if self.acronym and self.acronym.lower() != self.name.lower():
            return f"{self.name} ({self.acronym})"
        return self.name


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
    created_at = models.DateTimeField("créée le", auto_now_add=True)
    updated_at = models.DateTimeField("modifiée le", auto_now=True)

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
        """French usage in a member file: « Fabrice TAUPIN »."""
        return f"{self.first_name} {self.last_name.upper()}".strip()


class MembershipQuerySet(models.QuerySet):
    def for_year(self, year: int):
        return self.filter(year=year)

    def active(self):
        return self.filter(status=Membership.Status.ACTIVE)


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

    def __str__(self):
        return f"Adhésion {self.year} — {self.member}"

    def clean(self):
        if bool(self.structure_id) == bool(self.person_id):
            raise ValidationError("Choisissez une structure ou une personne (une seule des deux).")

    @property
    def member(self):
        return self.structure or self.person
