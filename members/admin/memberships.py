"""Yearly memberships in the back-office: who is up to date, export and import of the list."""

from django.contrib import admin
from django.db import models
from django.utils import timezone
from import_export.admin import ImportExportMixin

from members.models import Membership, Person, Structure
from members.resources import EXPORT_FORMATS, IMPORT_FORMATS, MembershipResource


def up_to_date_condition(model, year: int | None = None) -> models.Exists:
    """True for a structure or a person with a validated membership for `year` (default: the
    current year)."""
    year = year or timezone.localdate().year
    member_field = {Structure: "structure", Person: "person"}[model]
    return models.Exists(
        Membership.objects.filter(
            **{member_field: models.OuterRef("pk")}, year=year, status=Membership.Status.ACTIVE
        )
    )


class UpToDateListFilter(admin.SimpleListFilter):
    """« À jour pour l'année en cours »: for the Structure and Person admins
    (`list_filter = [UpToDateListFilter, …]`)."""

    title = "à jour pour l'année en cours"
    parameter_name = "a_jour"

    def lookups(self, request, model_admin):
        year = timezone.localdate().year
        return [("oui", f"À jour (adhésion {year} validée)"), ("non", "Pas à jour")]

    def queryset(self, request, queryset):
        if self.value() not in ("oui", "non"):
            return queryset
        condition = up_to_date_condition(queryset.model)
        return queryset.filter(condition if self.value() == "oui" else ~condition)


class UpToDateAdminMixin:
    """Adds the « À jour {year} » column (in the same query as the list) and the filter to a
    Structure or Person admin: put `"up_to_date"` in its `list_display`."""

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(is_up_to_date=up_to_date_condition(self.model))
        )

    def get_list_filter(self, request):
        filters = list(super().get_list_filter(request))
        if UpToDateListFilter not in filters:
            filters.append(UpToDateListFilter)
        return filters

    @admin.display(
        boolean=True, description="à jour pour l'année en cours", ordering="is_up_to_date"
    )
    def up_to_date(self, obj):
        return getattr(obj, "is_up_to_date", None)


@admin.register(Membership)
class MembershipAdmin(ImportExportMixin, admin.ModelAdmin):
    list_display = [
        "year",
        "member",
        "member_kind",
        "status",
        "fee",
        "paid_on",
        "payment_method",
        "is_up_to_date",
    ]
    list_display_links = ["year", "member"]
    list_filter = ["year", "status", "payment_method"]
    list_select_related = ["structure", "person"]
    search_fields = [
        "structure__name",
        "structure__acronym",
        "person__first_name",
        "person__last_name",
        "person__email",
    ]
    fields = ["year", "structure", "person", "status", "fee", "paid_on", "payment_method", "notes"]
    raw_id_fields = ["structure", "person"]
    resource_classes = [MembershipResource]
    import_error_display = ("message", "row")

    @property
    def export_formats(self):
        return EXPORT_FORMATS

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    def get_autocomplete_fields(self, request):
        # The Structure and Person admins live in another module; use their search when
        # they offer one (the raw id input stays otherwise).
        return [
            name
            for name, model in (("structure", Structure), ("person", Person))
            if getattr(self.admin_site._registry.get(model), "search_fields", None)
        ]

    def has_import_permission(self, request):
        return request.user.has_perm("members.import_membership")

    def has_export_permission(self, request):
        return request.user.has_perm("members.export_membership")

    def get_import_data_kwargs(self, **kwargs):
        # A file with one invalid line imports nothing, even past the preview.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def get_export_filename(self, request, queryset, file_format):
        date = timezone.localdate().strftime("%Y-%m-%d")
        return f"adhesions-{date}.{file_format.get_extension()}"

    @admin.display(description="membre", ordering="structure__name")
    def member(self, membership):
        return membership.member

    @admin.display(description="type")
    def member_kind(self, membership):
        return "Structure" if membership.structure_id else "Personne"

    @admin.display(boolean=True, description="à jour pour l'année en cours")
    def is_up_to_date(self, membership):
        return (
            membership.year == timezone.localdate().year
            and membership.status == Membership.Status.ACTIVE
        )
