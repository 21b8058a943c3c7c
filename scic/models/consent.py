"""An associate's prior agreement to be convened by e-mail (Code de commerce, art. R. 225-63
for an SA, R. 223-20-1 for a SARL; the statutes for an SAS): when it was given, how, for which
address, and its withdrawal. A consent is recorded once; its withdrawal is a date added to it;
a new consent after a withdrawal is a new record, so the history stays readable."""

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from scic.models.register import Associate


def same_address(first: str, second: str) -> bool:
    """Two e-mail addresses are the same one, whatever their case and surrounding spaces."""
    return first.strip().casefold() == second.strip().casefold()


class ConsentQuerySet(models.QuerySet):
    def in_force(self):
        """Given and not withdrawn (a withdrawal is never dated in the future)."""
        return self.filter(withdrawn_on__isnull=True)


class ConvocationConsent(models.Model):
    """An associate's agreement to receive their convocations by e-mail at one address."""

    class Method(models.TextChoices):
        SIGNED_FORM = "signed_form", "Formulaire signé"
        EMAIL = "email", "E-mail de l'associé"
        ASSEMBLY = "assembly", "Déclaration en assemblée générale"
        OTHER = "other", "Autre (précisez)"

    associate = models.ForeignKey(
        Associate,
        verbose_name="associé",
        on_delete=models.PROTECT,
        related_name="convocation_consents",
    )
    given_on = models.DateField("accord donné le")
    method = models.CharField("forme de l'accord", max_length=20, choices=Method.choices)
    email = models.EmailField(
        "adresse couverte",
        help_text="L'adresse à laquelle l'associé accepte d'être convoqué. Un accord ne vaut "
        "que pour cette adresse\u00a0: une convocation qui partirait ailleurs part par courrier.",
    )
    note = models.TextField(
        "précisions", blank=True, help_text="La pièce qui prouve l'accord, où elle est classée."
    )
    withdrawn_on = models.DateField("retiré le", null=True, blank=True)
    withdrawal_note = models.TextField("précisions sur le retrait", blank=True)
    recorded_by = models.CharField("enregistré par", max_length=150, blank=True)
    recorded_at = models.DateTimeField("enregistré le", default=timezone.now)

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = "accord pour la convocation électronique"
        verbose_name_plural = "accords pour la convocation électronique"
        ordering = ["given_on", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["associate"],
                condition=Q(withdrawn_on__isnull=True),
                name="scic_one_consent_in_force_per_associate",
                violation_error_message="Un accord est déjà en vigueur pour cet associé\u00a0: "
                "enregistrez d'abord son retrait.",
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="scic_consent_withdrawn_after_given",
                violation_error_message="Le retrait suit l'accord.",
            ),
        ]

    def __str__(self):
        return f"Accord du {self.given_on:%d/%m/%Y} pour {self.email or 'une adresse effacée'}"
