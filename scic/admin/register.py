"""The register of associates and its movements in the back-office. An associate is entered
with their first subscription (`admit_associate`); movements are only added, through the
services; nothing in the register is deleted."""

from decimal import Decimal

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.utils import timezone

from association.admin_pages import render_intermediate_page, require_permission
from association.formats import euros, number
from association.models import SiteIdentity
from audit.registry import update_logged
from scic.admin.consent import ConsentAdminMixin, ConsentFilter, ConsentInline
from scic.exports import register_csv
from scic.models import Associate, Category, College, Placement, ShareMovement
from scic.services import register as services
from scic.services.checks import paid_up_warning
from scic.services.reading import register_on

Kind = ShareMovement.Kind


class _DryRun(Exception):
    pass


def dry_run(write) -> None:
    """Run a service and undo what it wrote: a form shows the service's refusal beside the
    fields typed, before the real call in `save_model`."""
    try:
        with transaction.atomic():
            write()
            raise _DryRun
    except _DryRun:
        pass
    except ValidationError as error:
        raise forms.ValidationError(error.messages) from None


class AdmissionForm(forms.ModelForm):
    """Entering an associate: who, which category and college, and the first subscription."""

    shares = forms.IntegerField(label="parts souscrites", min_value=1)
    share_value = forms.DecimalField(
        label="valeur d'une part (€)", min_value=Decimal("0.01"), decimal_places=2
    )
    paid_amount = forms.DecimalField(
        label="montant libéré à la souscription (€)", min_value=0, decimal_places=2
    )

    class Meta:
        model = Associate
        fields = [
            "structure",
            "person",
            "category",
            "college",
            "convocation_recipient",
            "entry_date",
            "notes",
        ]

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            dry_run(lambda: admit(cleaned, user=None))
        return cleaned


def admit(data: dict, *, user) -> Associate:
    return services.admit_associate(
        structure=data["structure"],
        person=data["person"],
        category=data["category"],
        college=data["college"],
        entry_date=data["entry_date"],
        shares=data["shares"],
        share_value=data["share_value"],
        paid_amount=data["paid_amount"],
        note=data.get("notes", ""),
        recorded_by=user,
    )


class AssociateStatusFilter(admin.SimpleListFilter):
    title = "présence au registre"
    parameter_name = "present"

    def lookups(self, request, model_admin):
        return [("yes", "Associés présents"), ("no", "Sortis")]

    def queryset(self, request, queryset):
        # As the printed register of the day: an exit dated later is not an exit yet.
        if self.value() == "yes":
            return queryset.current()
        if self.value() == "no":
            return queryset.filter(exit_date__lte=timezone.localdate())
        return queryset


class MovementInline(admin.TabularInline):
    model = ShareMovement
    fk_name = "associate"
    fields = ["date", "kind", "shares", "share_value", "paid_amount", "counterparty", "note"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("counterparty__structure", "counterparty__person")
        )


class PlacementInline(admin.TabularInline):
    model = Placement
    fields = ["date", "category", "college", "note", "recorded_by", "recorded_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "catégorie et collège, changements datés"

    def has_add_permission(self, request, obj=None):
        return False  # « Changer de catégorie ou de collège », a dated entry.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("category", "college")


class PlacementForm(forms.Form):
    date = forms.DateField(label="à compter du", widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ModelChoiceField(label="catégorie", queryset=Category.objects.all())
    college = forms.ModelChoiceField(
        label="collège", queryset=College.objects.all(), required=False
    )
    note = forms.CharField(
        label="motif ou pièce",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="La décision qui fonde le changement (assemblée, conseil, courrier…).",
    )


class RegisterDateForm(forms.Form):
    date = forms.DateField(
        label="Registre au",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ExitForm(forms.Form):
    date = forms.DateField(label="date de sortie", widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.ChoiceField(label="motif", choices=Associate.ExitReason.choices)
    note = forms.CharField(
        label="précisions", widget=forms.Textarea(attrs={"rows": 3}), required=False
    )
    repay = forms.BooleanField(
        label="rembourser les parts restantes", required=False, initial=True
    )


@admin.register(Associate)
class AssociateAdmin(ConsentAdminMixin, admin.ModelAdmin):
    list_display = [
        "number",
        "name_display",
        "category",
        "college",
        "entry_date",
        "shares_display",
        "capital_display",
        "paid_up_display",
        "last_paid_on_display",
        "consent_display",
        "exit_date",
    ]
    list_display_links = ["number", "name_display"]
    list_filter = [AssociateStatusFilter, ConsentFilter, "category", "college", "entry_date"]
    search_fields = [
        "=number",
        "structure__name",
        "structure__acronym",
        "person__first_name",
        "person__last_name",
    ]
    list_select_related = ["structure", "person", "category", "college"]
    autocomplete_fields = ["structure", "person"]
    inlines = [PlacementInline, MovementInline, ConsentInline]
    actions = ["export_csv"]

    def get_queryset(self, request):
        return self.with_consent(super().get_queryset(request).with_holdings())

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            kwargs["form"] = AdmissionForm
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fields(self, request, obj=None):
        if obj is None:
            return [
                ("structure", "person"),
                ("category", "college"),
                "convocation_recipient",
                "entry_date",
                ("shares", "share_value", "paid_amount"),
                "notes",
            ]
        return [
            "number",
            ("structure", "person"),
            ("category", "college"),
            "convocation_recipient",
            "convocation_display",
            ("entry_date", "exit_date"),
            ("exit_reason", "exit_note"),
            "holdings_display",
            "notes",
        ]

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        # Who and when are the register's facts; an exit goes through « Enregistrer la sortie ».
        # Category and college change by a dated entry (« Changer de catégorie ou de collège »).
        return [
            "number",
            "structure",
            "person",
            "category",
            "college",
            "entry_date",
            "exit_date",
            "exit_reason",
            "exit_note",
            "holdings_display",
            "convocation_display",
        ]

    def get_inlines(self, request, obj):
        return [PlacementInline, MovementInline, ConsentInline] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False  # A register line stays: an associate leaves with a dated exit.

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        data = form.cleaned_data
        admitted = admit(data, user=request.user)
        if data.get("notes"):
            update_logged(Associate.objects.filter(pk=admitted.pk), notes=data["notes"])
        obj.pk, obj.number = admitted.pk, admitted.number
        obj._state.adding = False
        warning = paid_up_warning(
            amount=data["shares"] * data["share_value"], paid=data["paid_amount"]
        )
        if warning:
            self.message_user(request, warning, messages.WARNING)

    @admin.display(description="associé", ordering="structure__name")
    def name_display(self, associate):
        return associate.name

    @admin.display(description="parts", ordering="shares")
    def shares_display(self, associate):
        return number(associate.shares)

    @admin.display(description="capital souscrit", ordering="capital")
    def capital_display(self, associate):
        return euros(associate.capital)

    @admin.display(description="capital libéré", ordering="paid_up")
    def paid_up_display(self, associate):
        return euros(associate.paid_up)

    @admin.display(description="dernier versement", ordering="last_paid_on")
    def last_paid_on_display(self, associate):
        return associate.last_paid_on.strftime("%d/%m/%Y") if associate.last_paid_on else "—"

    @admin.display(description="parts détenues")
    def holdings_display(self, associate):
        """Today's, as the printed register of the day; movements dated later are named, not
        counted (the list's columns say the same)."""
        held = services.holdings(associate)
        text = (
            f"{number(held.shares)} part(s), capital souscrit {euros(held.capital)}, "
            f"libéré {euros(held.paid_up)}"
        )
        later = associate.movements.filter(date__gt=timezone.localdate()).order_by("date")
        dates = [f"{date:%d/%m/%Y}" for date in later.values_list("date", flat=True)]
        if dates:
            s = "s" if len(dates) > 1 else ""
            on = " et du ".join(dict.fromkeys(dates))
            text += (
                f" à ce jour\u00a0; {len(dates)}\u00a0mouvement{s} daté{s} du {on}, "
                f"pas encore compté{s}"
            )
        return text

    @admin.action(description="Exporter le registre (CSV pour Excel)", permissions=["view"])
    def export_csv(self, request, queryset):
        return register_csv(Associate.objects.filter(pk__in=queryset.values("pk")))

    # --- pages ---------------------------------------------------------------------------------

    def get_urls(self):
        return [
            path(
                "imprimer/",
                self.admin_site.admin_view(self.print_view),
                name="scic_associate_print",
            ),
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_view),
                name="scic_associate_export",
            ),
            path(
                "<int:pk>/categorie-college/",
                self.admin_site.admin_view(self.placement_view),
                name="scic_associate_placement",
            ),
            path(
                "<int:pk>/sortie/",
                self.admin_site.admin_view(self.exit_view),
                name="scic_associate_exit",
            ),
            *self.consent_urls(),
            *super().get_urls(),
        ]

    def export_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        return register_csv()

    def print_view(self, request):
        if not self.has_view_permission(request):
            raise PermissionDenied
        form = RegisterDateForm(request.GET or None)
        on = form.cleaned_data["date"] if form.is_valid() and form.cleaned_data["date"] else None
        statement = register_on(on)
        site = SiteIdentity.load()
        return render(
            request,
            "scic/print/register.html",
            {
                "site": site,
                "legal_statement": site.legal_statement_on(statement.on),
                "today": statement.on,
                "statement": statement,
                "associates": statement.lines,
                "movements": statement.movements,
                "totals": statement.totals,
                "date_form": form,
                "back_url": reverse("admin:scic_associate_changelist"),
            },
        )

    def placement_view(self, request, pk):
        associate = get_object_or_404(
            Associate.objects.select_related("structure", "person", "category", "college"), pk=pk
        )
        require_permission(self, request, "change", associate)
        change_url = reverse("admin:scic_associate_change", args=[pk])
        form = PlacementForm(
            request.POST if request.method == "POST" else None,
            initial={
                "date": timezone.localdate(),
                "category": associate.category_id,
                "college": associate.college_id,
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.change_placement(
                    associate=associate,
                    on=form.cleaned_data["date"],
                    category=form.cleaned_data["category"],
                    college=form.cleaned_data["college"],
                    note=form.cleaned_data["note"],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, associate, "Changement de catégorie ou de collège.")
                self.message_user(
                    request,
                    f"Changement inscrit au registre\u00a0: {associate}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return render_intermediate_page(
            self,
            request,
            template="admin/scic/associate/placement.html",
            title=f"Changer de catégorie ou de collège\u00a0: {associate}",
            breadcrumb="Catégorie et collège",
            obj=associate,
            form=form,
            change_url=change_url,
        )

    def exit_view(self, request, pk):
        associate = get_object_or_404(
            Associate.objects.select_related("structure", "person"), pk=pk
        )
        require_permission(self, request, "change", associate)
        change_url = reverse("admin:scic_associate_change", args=[pk])
        form = ExitForm(
            request.POST if request.method == "POST" else None,
            initial={"date": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                services.record_exit(
                    associate=associate,
                    on=form.cleaned_data["date"],
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                    repay=form.cleaned_data["repay"],
                    recorded_by=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, associate, "Sortie du registre enregistrée.")
                self.message_user(
                    request, f"Sortie enregistrée\u00a0: {associate}.", messages.SUCCESS
                )
                return HttpResponseRedirect(change_url)
        return render_intermediate_page(
            self,
            request,
            template="admin/scic/associate/exit.html",
            title=f"Sortie du registre\u00a0: {associate}",
            breadcrumb="Sortie",
            obj=associate,
            form=form,
            change_url=change_url,
        )
