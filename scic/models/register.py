"""The register of associates (*registre des associés*): colleges of vote, categories of
associates, each associate (a structure or a person of the member file) and the movements of
their shares, which are written once and never changed: a correction is a new movement."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone

from members.models import Person, Structure, StructureKindsField

ZERO = Decimal("0.00")
APPEND_ONLY_MESSAGE = (
    "Le registre des mouvements de parts s'écrit en ajout seul\u00a0: un mouvement enregistré "
    "ne se modifie ni ne se supprime. Enregistrez une correction."
)
PLACEMENT_APPEND_ONLY_MESSAGE = (
    "Un changement de catégorie ou de collège est inscrit au registre en ajout seul\u00a0: "
    "enregistrez un nouveau changement daté."
)


def structure_kinds_field(label: str) -> StructureKindsField:
    return StructureKindsField(
        label,
        default=list,
        blank=True,
        help_text="Types de structure (ceux du fichier des membres) pour lesquels la "
        "coordination se voit suggérer ce choix quand une demande d'adhésion est acceptée.",
    )


class College(models.Model):
    """A college of vote, defined by the statutes, with its share of the votes."""

    name = models.CharField("nom", max_length=120, unique=True)
    vote_share = models.DecimalField(
        "part des voix (%)",
        max_digits=5,
        decimal_places=2,
        help_text="Pourcentage des droits de vote du collège en assemblée générale (entre 10 "
        "et 50 % selon la loi quand les statuts prévoient des collèges).",
    )
    description = models.TextField("qui en fait partie", blank=True)
    position = models.PositiveSmallIntegerField("ordre", default=0)
    suggested_structure_kinds = structure_kinds_field("suggéré pour les structures de type")

    class Meta:
        verbose_name = "collège de vote"
        verbose_name_plural = "collèges de vote"
        ordering = ["position", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vote_share__gt=0) & Q(vote_share__lte=100),
                name="scic_college_share_is_a_percentage",
                violation_error_message="La part des voix est un pourcentage entre 0 et 100.",
            ),
        ]

    def __str__(self):
        return self.name


class Category(models.Model):
    """A category of associates in the law's sense (employees, habitual beneficiaries, public
    authorities, others…). Not a college: an associate has one of each."""

    class LegalKind(models.TextChoices):
        EMPLOYEES = "employees", "Salariés de la coopérative"
        PRODUCERS = "producers", "Producteurs de biens ou de services de la coopérative"
        BENEFICIARIES = "beneficiaries", "Bénéficiaires habituels des activités"
        PUBLIC_AUTHORITIES = (
            "public_authorities",
            "Collectivités territoriales, leurs groupements et établissements publics",
        )
        OTHERS = "others", "Autres (bénévoles, partenaires, financeurs…)"

    name = models.CharField("nom", max_length=120, unique=True)
    legal_kind = models.CharField(
        "catégorie au sens de la loi",
        max_length=30,
        choices=LegalKind.choices,
        help_text="Ce que mesurent les contrôles (catégories obligatoires, part des "
        "collectivités).",
    )
    position = models.PositiveSmallIntegerField("ordre", default=0)
    suggested_structure_kinds = structure_kinds_field("suggérée pour les structures de type")

    class Meta:
        verbose_name = "catégorie d'associés"
        verbose_name_plural = "catégories d'associés"
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


class AssociateQuerySet(models.QuerySet):
    def current(self, on: datetime.date | None = None):
        """Associates on `on` (default: today): entered, not yet gone."""
        on = on or timezone.localdate()
        return self.filter(entry_date__lte=on).filter(
            Q(exit_date__isnull=True) | Q(exit_date__gt=on)
        )

    def with_holdings(self, on: datetime.date | None = None):
        """Annotate `shares`, `capital` (subscribed, in euros), `paid_up` and `last_paid_on`
        from the movements dated by the end of `on` (default today: what the printed register
        of the day says; `datetime.date.max` for every movement recorded), in the same query."""
        dated = Q(movements__date__lte=on or timezone.localdate())
        return self.annotate(
            shares=Coalesce(Sum("movements__shares", filter=dated), 0),
            capital=Coalesce(
                Sum(
                    F("movements__shares") * F("movements__share_value"),
                    filter=dated,
                    output_field=models.DecimalField(max_digits=14, decimal_places=2),
                ),
                ZERO,
                output_field=models.DecimalField(max_digits=14, decimal_places=2),
            ),
            paid_up=Coalesce(Sum("movements__paid_amount", filter=dated), ZERO),
            last_paid_on=models.Max(
                "movements__date", filter=dated & Q(movements__paid_amount__gt=0)
            ),
        )

    def for_member(self, *, structure: Structure | None = None, person: Person | None = None):
        return self.filter(structure=structure) if structure else self.filter(person=person)


class Associate(models.Model):
    """One line of the register: a structure or a person of the member file, its category, its
    college, its dates of entry and exit. Shares and payments are its movements."""

    class ExitReason(models.TextChoices):
        RESIGNATION = "resignation", "Démission"
        EXCLUSION = "exclusion", "Exclusion"
        LOSS_OF_QUALITY = "loss_of_quality", "Perte de la qualité (fin du contrat, départ…)"
        DEATH_OR_DISSOLUTION = "death_or_dissolution", "Décès ou dissolution de la structure"
        FULL_TRANSFER = "full_transfer", "Cession de toutes ses parts"
        OTHER = "other", "Autre"

    number = models.PositiveIntegerField(
        "n° d'inscription", unique=True, help_text="Attribué à l'inscription, jamais réutilisé."
    )
    structure = models.ForeignKey(
        Structure,
        verbose_name="structure",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scic_associates",
    )
    person = models.ForeignKey(
        Person,
        verbose_name="personne",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="scic_associates",
    )
    category = models.ForeignKey(
        Category, verbose_name="catégorie", on_delete=models.PROTECT, related_name="associates"
    )
    college = models.ForeignKey(
        College,
        verbose_name="collège",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="associates",
        help_text="Obligatoire dès que les statuts prévoient des collèges.",
    )
    convocation_recipient = models.ForeignKey(
        Person,
        verbose_name="destinataire des convocations",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Pour une structure sans e-mail\u00a0: son représentant ou la personne à "
        "contacter, qui reçoit la convocation. Vide\u00a0: une personne de la structure "
        "ayant un e-mail.",
    )
    entry_date = models.DateField("date d'entrée")
    exit_date = models.DateField("date de sortie", null=True, blank=True)
    exit_reason = models.CharField(
        "motif de sortie", max_length=30, choices=ExitReason.choices, blank=True
    )
    exit_note = models.TextField("précisions sur la sortie", blank=True)
    notes = models.TextField("notes", blank=True)
    created_at = models.DateTimeField("inscrit le", auto_now_add=True)

    objects = AssociateQuerySet.as_manager()

    class Meta:
        verbose_name = "associé"
        verbose_name_plural = "associés"
        ordering = ["number"]
        constraints = [
            models.CheckConstraint(
                condition=Q(structure__isnull=False, person__isnull=True)
                | Q(structure__isnull=True, person__isnull=False),
                name="scic_associate_structure_xor_person",
                violation_error_message="Un associé est soit une structure, soit une personne.",
            ),
            models.UniqueConstraint(
                fields=["structure"],
                condition=Q(exit_date__isnull=True, structure__isnull=False),
                name="scic_one_open_entry_per_structure",
                violation_error_message="Cette structure est déjà inscrite au registre.",
            ),
            models.UniqueConstraint(
                fields=["person"],
                condition=Q(exit_date__isnull=True, person__isnull=False),
                name="scic_one_open_entry_per_person",
                violation_error_message="Cette personne est déjà inscrite au registre.",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True) | Q(exit_date__gte=F("entry_date")),
                name="scic_associate_exits_after_entry",
                violation_error_message="La date de sortie suit la date d'entrée.",
            ),
            models.CheckConstraint(
                condition=Q(exit_date__isnull=True, exit_reason="")
                | (Q(exit_date__isnull=False) & ~Q(exit_reason="")),
                name="scic_associate_exit_has_reason",
                violation_error_message="Une sortie a une date et un motif.",
            ),
        ]

    def __str__(self):
        return f"n°\u00a0{self.number} — {self.name}"

    def clean(self):
        if bool(self.structure_id) == bool(self.person_id):
            raise ValidationError("Choisissez une structure ou une personne (une seule des deux).")
        if self.college_id is None and College.objects.exists():
            raise ValidationError(
                {"college": "Les statuts prévoient des collèges\u00a0: choisissez-en un."}
            )

    @property
    def member(self) -> Structure | Person:
        return self.structure or self.person

    @property
    def name(self) -> str:
        if self.structure_id:
            return self.structure.display_name
        return self.person.full_name

    def convocation_address(self) -> tuple[str, str]:
        """Where the convocation goes and who receives it: a person's own e-mail; for a
        structure, its e-mail, else its named representative's, else the e-mail of one of its
        people (by name). ("", "") when the portal knows none: by post."""
        if self.person_id:
            return (self.person.email, self.person.full_name) if self.person.email else ("", "")
        structure = self.structure
        if structure.email:
            return structure.email, structure.display_name
        recipient = self.convocation_recipient
        if recipient is not None and recipient.email and recipient.anonymised_at is None:
            return recipient.email, f"{recipient.full_name} pour {structure.display_name}"
        contact = (
            structure.people.exclude(email="")
            .filter(anonymised_at__isnull=True)
            .order_by("last_name", "first_name", "pk")
            .first()
        )
        if contact is not None:
            return contact.email, f"{contact.full_name} pour {structure.display_name}"
        return "", ""

    @property
    def postal_address(self) -> str:
        """The structure's address for a convocation by post (a person of the member file has
        none: empty)."""
        if not self.structure_id:
            return ""
        return ", ".join(part for part in (self.structure.address, self.structure.town) if part)


class PlacementQuerySet(models.QuerySet):
    """Append-only: no bulk update or delete (the database refuses them too)."""

    def update(self, **kwargs):
        raise ValidationError(PLACEMENT_APPEND_ONLY_MESSAGE)

    def delete(self):
        raise ValidationError(PLACEMENT_APPEND_ONLY_MESSAGE)

    def on(self, day: datetime.date):
        """The entries in force by `day`, latest first for each associate."""
        return self.filter(date__lte=day).order_by("associate_id", "-date", "-pk")


class Placement(models.Model):
    """An associate's category and college from a date: written at the entry, then one more
    for each change, never edited, so the register can be printed as it stood on any date.
    `Associate.category` and `.college` repeat the latest entry, for lists and forms."""

    associate = models.ForeignKey(
        Associate, verbose_name="associé", on_delete=models.PROTECT, related_name="placements"
    )
    date = models.DateField("à compter du")
    category = models.ForeignKey(
        Category, verbose_name="catégorie", on_delete=models.PROTECT, related_name="+"
    )
    college = models.ForeignKey(
        College,
        verbose_name="collège",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.TextField("motif ou pièce", blank=True)
    recorded_by = models.CharField("enregistré par", max_length=150, blank=True)
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    objects = PlacementQuerySet.as_manager()

    class Meta:
        verbose_name = "changement de catégorie ou de collège"
        verbose_name_plural = "changements de catégorie ou de collège"
        ordering = ["date", "pk"]

    def __str__(self):
        college = f", collège {self.college}" if self.college_id else ""
        return f"{self.associate.name}\u00a0: {self.category}{college} au {self.date:%d/%m/%Y}"

    def save(self, *args, **kwargs):
        # The register's invariant, not a workflow: an entry is written once.
        if not self._state.adding:
            raise ValidationError(PLACEMENT_APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(PLACEMENT_APPEND_ONLY_MESSAGE)


class ShareMovementQuerySet(models.QuerySet):
    """Append-only: no bulk update or delete (the database refuses them too)."""

    def update(self, **kwargs):
        raise ValidationError(APPEND_ONLY_MESSAGE)

    def delete(self):
        raise ValidationError(APPEND_ONLY_MESSAGE)

    def subscriptions(self):
        return self.filter(kind=ShareMovement.Kind.SUBSCRIPTION)


class ShareMovement(models.Model):
    """A movement of an associate's shares or of their paid-up capital: written once.

    `shares` and `paid_amount` are signed changes: a subscription adds shares (and what was
    paid at once), a payment adds to the paid-up capital, a transfer moves shares between two
    associates, a repayment takes them out; a correction undoes or fixes an earlier movement
    by adding the difference."""

    class Kind(models.TextChoices):
        SUBSCRIPTION = "subscription", "Souscription"
        PAYMENT = "payment", "Libération (versement)"
        TRANSFER_OUT = "transfer_out", "Cession (parts cédées)"
        TRANSFER_IN = "transfer_in", "Cession (parts reçues)"
        REPAYMENT = "repayment", "Remboursement"
        CORRECTION = "correction", "Correction"

    associate = models.ForeignKey(
        Associate, verbose_name="associé", on_delete=models.PROTECT, related_name="movements"
    )
    kind = models.CharField("mouvement", max_length=20, choices=Kind.choices)
    date = models.DateField("date")
    shares = models.IntegerField(
        "parts", help_text="Variation du nombre de parts (négative quand des parts sortent)."
    )
    share_value = models.DecimalField("valeur d'une part (€)", max_digits=10, decimal_places=2)
    paid_amount = models.DecimalField(
        "montant libéré (€)",
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        help_text="Variation du capital libéré (versé) par l'associé.",
    )
    counterparty = models.ForeignKey(
        Associate,
        verbose_name="autre associé de la cession",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    corrects = models.ForeignKey(
        "self",
        verbose_name="corrige le mouvement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    note = models.TextField("motif ou pièce", blank=True)
    recorded_by = models.CharField("enregistré par", max_length=150, blank=True)
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    objects = ShareMovementQuerySet.as_manager()

    class Meta:
        verbose_name = "mouvement de parts"
        verbose_name_plural = "mouvements de parts"
        ordering = ["date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share_value__gt=0),
                name="scic_movement_share_value_positive",
                violation_error_message="La valeur d'une part est positive.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="subscription") | Q(shares__gt=0, paid_amount__gte=0),
                name="scic_subscription_adds_shares",
                violation_error_message="Une souscription porte sur au moins une part.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="payment") | Q(shares=0, paid_amount__gt=0),
                name="scic_payment_adds_money_only",
                violation_error_message="Une libération verse un montant, sans nouvelles parts.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer_out")
                | Q(shares__lt=0, paid_amount__lte=0, counterparty__isnull=False),
                name="scic_transfer_out_removes_shares",
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer_in")
                | Q(shares__gt=0, paid_amount__gte=0, counterparty__isnull=False),
                name="scic_transfer_in_adds_shares",
            ),
            models.CheckConstraint(
                condition=~Q(kind="repayment")
                | (Q(shares__lte=0, paid_amount__lte=0) & ~Q(shares=0, paid_amount=0)),
                name="scic_repayment_removes",
            ),
            models.CheckConstraint(
                condition=(Q(kind="correction") & Q(corrects__isnull=False))
                | (~Q(kind="correction") & Q(corrects__isnull=True)),
                name="scic_correction_names_its_movement",
                violation_error_message="Une correction indique le mouvement qu'elle corrige.",
            ),
            models.CheckConstraint(
                condition=~Q(kind="correction") | ~Q(shares=0, paid_amount=0),
                name="scic_correction_changes_something",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} du {self.date:%d/%m/%Y} — {self.associate.name}"

    def save(self, *args, **kwargs):
        # The register's invariant, not a workflow: a movement is written once.
        if not self._state.adding:
            raise ValidationError(APPEND_ONLY_MESSAGE)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(APPEND_ONLY_MESSAGE)

    @property
    def amount(self) -> Decimal:
        """The change in subscribed capital: shares times their value."""
        return self.shares * self.share_value
