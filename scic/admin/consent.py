"""The associate's agreement to be convened by e-mail, in the back-office: recorded and
withdrawn from the associate's page (each a dated record, kept with its history), shown and
filtered on the register's list."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Subquery
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone

from association.admin_pages import render_intermediate_page, require_permission
from scic.models import Associate, ConvocationConsent
from scic.services import consent as services

DATE_INPUT = forms.DateInput(attrs={"type": "date"})


def in_force_for_row():
    return ConvocationConsent.objects.in_force().filter(associate=OuterRef("pk"))


class ConsentFilter(admin.SimpleListFilter):
    title = "accord pour la convocation électronique"
    parameter_name = "accord_email"

    def lookups(self, request, model_admin):
        return [("yes", "Accord en vigueur"), ("no", "Sans accord (convocation par courrier)")]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.filter(Exists(in_force_for_row()))
        if self.value() == "no":
            return queryset.filter(~Exists(in_force_for_row()))
        return queryset


class ConsentInline(admin.TabularInline):
    model = ConvocationConsent
    fields = [
        "given_on",
        "method",
        "email",
        "note",
        "withdrawn_on",
        "withdrawal_note",
        "recorded_by",
        "recorded_at",
    ]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # « Enregistrer un accord », a page of its own.

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ConsentForm(forms.Form):
    given_on = forms.DateField(label="accord donné le", widget=DATE_INPUT)
    method = forms.ChoiceField(
        label="forme de l'accord", choices=ConvocationConsent.Method.choices
    )
    email = forms.EmailField(
        label="adresse couverte",
        help_text="L'adresse à laquelle l'associé accepte d'être convoqué. Proposée\u00a0: "
        "celle où partirait aujourd'hui sa convocation.",
    )
    note = forms.CharField(
        label="précisions",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text="La pièce qui prouve l'accord et où elle est classée.",
    )


class WithdrawalForm(forms.Form):
    withdrawn_on = forms.DateField(label="retiré le", widget=DATE_INPUT)
    note = forms.CharField(
        label="précisions sur le retrait",
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )


class ConsentAdminMixin:
    """What `AssociateAdmin` gets: the column, the filter's subquery and the two pages."""

    def with_consent(self, queryset):
        return queryset.annotate(consent_email=Subquery(in_force_for_row().values("email")[:1]))

    @admin.display(description="accord convocation par e-mail", ordering="consent_email")
    def consent_display(self, associate):
        return f"Oui, {associate.consent_email}" if associate.consent_email else "Non"

    @admin.display(description="prochaine convocation")
    def convocation_display(self, associate):
        if associate.exit_date and associate.exit_date <= timezone.localdate():
            return "Aucune\u00a0: sorti du registre."
        return services.convocation_route(associate)

    def consent_urls(self):
        return [
            path(
                "<int:pk>/accord-convocation-electronique/",
                self.admin_site.admin_view(self.consent_view),
                name="scic_associate_consent",
            ),
            path(
                "<int:pk>/retrait-accord-convocation-electronique/",
                self.admin_site.admin_view(self.withdrawal_view),
                name="scic_associate_consent_withdrawal",
            ),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "consent_in_force": ConvocationConsent.objects.in_force()
            .filter(associate_id=object_id if str(object_id).isdigit() else None)
            .first(),
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def _associate(self, request, pk):
        associate = get_object_or_404(
            Associate.objects.select_related("structure", "person"), pk=pk
        )
        require_permission(self, request, "change", associate)
        return associate, reverse("admin:scic_associate_change", args=[pk])

    def consent_view(self, request, pk):
        associate, change_url = self._associate(request, pk)
        form = ConsentForm(
            request.POST if request.method == "POST" else None,
            initial={
                "given_on": timezone.localdate(),
                "email": associate.convocation_address()[0],
            },
        )
        if request.method == "POST" and form.is_valid():
            try:
                consent = services.record_consent(
                    associate=associate, recorded_by=request.user, **form.cleaned_data
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, associate, f"{consent} enregistré.")
                self.message_user(
                    request,
                    f"Accord pour la convocation électronique enregistré\u00a0: {consent}.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return render_intermediate_page(
            self,
            request,
            template="admin/scic/associate/consent.html",
            title=f"Accord pour la convocation électronique\u00a0: {associate}",
            breadcrumb="Accord pour la convocation électronique",
            obj=associate,
            form=form,
            change_url=change_url,
            intro="Enregistrez l'accord préalable de l'associé pour être convoqué par e-mail, "
            "avec la pièce qui le prouve. L'accord ne vaut que pour l'adresse indiquée\u00a0: "
            "si la convocation devait partir à une autre adresse, elle partirait par courrier.",
            submit_label="Enregistrer l'accord",
        )

    def withdrawal_view(self, request, pk):
        associate, change_url = self._associate(request, pk)
        form = WithdrawalForm(
            request.POST if request.method == "POST" else None,
            initial={"withdrawn_on": timezone.localdate()},
        )
        if request.method == "POST" and form.is_valid():
            try:
                consent = services.withdraw_consent(
                    associate=associate,
                    on=form.cleaned_data["withdrawn_on"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                self.log_change(request, associate, f"Retrait enregistré\u00a0: {consent}.")
                next_time = (
                    "sera convoqué par courrier aux prochaines assemblées"
                    if services.consent_required()
                    else "sera convoqué par courrier si la règle de l'accord préalable est "
                    "de nouveau appliquée"
                )
                self.message_user(
                    request,
                    f"Retrait enregistré\u00a0: {associate} {next_time}. Les convocations "
                    "déjà envoyées restent envoyées.",
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return render_intermediate_page(
            self,
            request,
            template="admin/scic/associate/consent.html",
            title=f"Retrait de l'accord pour la convocation électronique\u00a0: {associate}",
            breadcrumb="Retrait de l'accord",
            obj=associate,
            form=form,
            change_url=change_url,
            intro="Le retrait vaut pour les convocations à venir\u00a0: l'associé sera convoqué "
            "par courrier. Une convocation déjà envoyée par e-mail n'est pas annulée.",
            submit_label="Enregistrer le retrait",
        )
