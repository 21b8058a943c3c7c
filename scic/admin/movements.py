"""The movements of the register in the back-office: added through the services (a form of
positive numbers, the sign given by the kind), never changed nor deleted."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from association.admin_french import FrenchDecimalField
from association.formats import euros
from scic.admin.register import dry_run
from scic.exports import movements_csv
from scic.models import ShareMovement
from scic.services import register as services
from scic.services.checks import paid_up_warning

Kind = ShareMovement.Kind


class MovementForm(forms.ModelForm):
    """A movement typed by the coordinator: positive numbers; the service gives the sign."""

    TYPED_KINDS = [
        (Kind.SUBSCRIPTION, "Souscription de nouvelles parts"),
        (Kind.PAYMENT, "Libération (versement sur des parts souscrites)"),
        (Kind.TRANSFER_OUT, "Cession de parts à un autre associé"),
        (Kind.REPAYMENT, "Remboursement de parts"),
        (Kind.CORRECTION, "Correction d'un mouvement"),
    ]

    kind = forms.ChoiceField(label="mouvement", choices=TYPED_KINDS)
    shares = forms.IntegerField(
        label="parts",
        required=False,
        help_text="Nombre de parts souscrites, cédées ou remboursées. Pour une correction, la "
        "différence à ajouter (négative pour retirer).",
    )
    # Declared here, so typed in French by the same field as every admin decimal.
    share_value = FrenchDecimalField(
        label="valeur d'une part (€)", required=False, decimal_places=2, help_text="Souscription."
    )
    paid_amount = FrenchDecimalField(
        label="montant (€)",
        required=False,
        decimal_places=2,
        help_text="Montant libéré (souscription, libération) ; pour une correction, la "
        "différence de capital libéré.",
    )

    class Meta:
        model = ShareMovement
        fields = [
            "associate",
            "kind",
            "date",
            "shares",
            "share_value",
            "paid_amount",
            "counterparty",
            "corrects",
            "note",
        ]
        help_texts = {"counterparty": "Pour une cession\u00a0: l'associé qui reçoit."}

    def _post_clean(self):
        # The service builds the movement (its sign, its value): no model validation of the
        # instance as typed.
        pass

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            dry_run(lambda: record_typed_movement(cleaned, user=None))
        return cleaned


def record_typed_movement(data: dict, *, user) -> ShareMovement:
    """The movement the coordinator typed, through the service of its kind."""
    kind, associate, on = data["kind"], data["associate"], data["date"]
    shares, amount, note = data.get("shares") or 0, data.get("paid_amount"), data.get("note", "")
    amount = amount or Decimal(0)
    if kind == Kind.SUBSCRIPTION:
        return services.subscribe_shares(
            associate=associate,
            on=on,
            shares=shares,
            share_value=data.get("share_value") or Decimal(0),
            paid_amount=amount,
            note=note,
            recorded_by=user,
        )
    if kind == Kind.PAYMENT:
        return services.pay_up(
            associate=associate, on=on, amount=amount, note=note, recorded_by=user
        )
    if kind == Kind.TRANSFER_OUT:
        if data.get("counterparty") is None:
            raise ValidationError("Choisissez l'associé qui reçoit les parts.")
        movement, _received = services.transfer_shares(
            source=associate,
            target=data["counterparty"],
            on=on,
            shares=shares,
            note=note,
            recorded_by=user,
        )
        return movement
    if kind == Kind.REPAYMENT:
        return services.repay_shares(
            associate=associate, on=on, shares=shares, note=note, recorded_by=user
        )
    if data.get("corrects") is None:
        raise ValidationError("Choisissez le mouvement à corriger.")
    return services.correct_movement(
        movement=data["corrects"],
        on=on,
        shares=shares,
        paid_amount=amount,
        note=note,
        recorded_by=user,
    )


@admin.register(ShareMovement)
class ShareMovementAdmin(admin.ModelAdmin):
    form = MovementForm
    list_display = [
        "number",
        "date",
        "associate",
        "kind",
        "shares",
        "share_value_display",
        "paid_amount_display",
        "counterparty",
        "corrects",
        "recorded_by",
    ]
    list_filter = ["kind", "date"]
    search_fields = [
        "associate__structure__name",
        "associate__person__last_name",
        "note",
        "=associate__number",
    ]
    list_select_related = [
        "associate__structure",
        "associate__person",
        "counterparty__structure",
        "counterparty__person",
    ]
    autocomplete_fields = ["associate", "counterparty", "corrects"]
    date_hierarchy = "date"
    actions = ["export_csv"]

    def has_change_permission(self, request, obj=None):
        return False  # Append-only: a correction is a new movement.

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return [f.name for f in ShareMovement._meta.fields]

    def save_model(self, request, obj, form, change):
        movement = record_typed_movement(form.cleaned_data, user=request.user)
        for field in ShareMovement._meta.concrete_fields:
            setattr(obj, field.attname, getattr(movement, field.attname))
        obj._state.adding = False
        if movement.kind == Kind.SUBSCRIPTION:
            warning = paid_up_warning(amount=movement.amount, paid=movement.paid_amount)
            if warning:
                self.message_user(request, warning, messages.WARNING)

    @admin.display(description="n°", ordering="pk")
    def number(self, movement):
        return movement.pk

    @admin.display(description="valeur d'une part")
    def share_value_display(self, movement):
        return euros(movement.share_value)

    @admin.display(description="capital libéré")
    def paid_amount_display(self, movement):
        return euros(movement.paid_amount)

    @admin.action(description="Exporter les mouvements (CSV pour Excel)", permissions=["view"])
    def export_csv(self, request, queryset):
        return movements_csv(ShareMovement.objects.filter(pk__in=queryset.values("pk")))
