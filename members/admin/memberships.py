"""Yearly memberships in the back-office: who is up to date, export and import of the list."""

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.models import ADDITION, CHANGE, DELETION, LogEntry
from django.template.response import TemplateResponse
from django.utils import timezone
from import_export.admin import ImportExportMixin
from import_export.forms import ImportForm, SelectableFieldsExportForm
from import_export.results import RowResult

from members.models import Membership
from members.resources import (
    DEFAULT_EXPORT_FORMAT,
    EXPORT_FORMATS,
    FORMAT_LABELS,
    IMPORT_FORMATS,
    ImportPreviewStorage,
    MembershipResource,
)

# What each kind of imported line writes in the admin's history.
IMPORT_LOG = {
    RowResult.IMPORT_TYPE_NEW: (ADDITION, "Ajoutée par import d'un fichier."),
    RowResult.IMPORT_TYPE_UPDATE: (CHANGE, "Modifiée par import d'un fichier."),
    RowResult.IMPORT_TYPE_DELETE: (DELETION, "Supprimée par import d'un fichier."),
}


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number}\u00a0{singular if number <= 1 else plural}"


class FrenchExportForm(SelectableFieldsExportForm):
    """The columns to export, named as in the file (« Cotisation (€) »), not by the field's
    English name (« Fee (Cotisation (€)) »); the formats by their French names, Excel's chosen
    (import-export offered « --- », « csv », « xlsx », « ods »)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        field = self.fields["format"]
        field.label = "Format du fichier"
        field.choices = [(str(i), FORMAT_LABELS[format_]) for i, format_ in enumerate(formats)]
        field.initial = str(formats.index(DEFAULT_EXPORT_FORMAT))
        for resource_class in resources:
            for name, field in resource_class().fields.items():
                box = self.fields.get(self.create_boolean_field_name(resource_class, name))
                if box is not None:
                    box.label = field.column_name


class MembershipImportForm(ImportForm):
    """The import form, refusing a file bigger than MEMBERSHIP_IMPORT_MAX_BYTES before anything
    reads it. The format is the file's, read from its extension: no list of « csv », « xlsx »
    to choose from (a format posted all the same is kept)."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["import_file"].widget.attrs.pop("class", None)
        self.fields["import_file"].label = "Fichier à importer"

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("import_file")
        if upload and not cleaned.get("format"):
            extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
            extensions = [format_().get_extension() for format_ in self.formats]
            if extension in extensions:
                cleaned["format"] = str(extensions.index(extension))
            else:
                choices = " ou ".join(f".{e}" for e in extensions)
                self.add_error("import_file", f"Choisissez un fichier {choices}.")
        return cleaned

    def clean_import_file(self):
        import_file = self.cleaned_data["import_file"]
        limit = settings.MEMBERSHIP_IMPORT_MAX_BYTES
        if import_file.size > limit:
            megabytes = f"{limit / 1024 / 1024:.1f}".removesuffix(".0").replace(".", ",")
            raise forms.ValidationError(
                f"Le fichier est trop gros (plus de {megabytes}\u00a0Mo)\u00a0: découpez-le.",
                code="too_big",
            )
        return import_file


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
    autocomplete_fields = ["structure", "person"]
    resource_classes = [MembershipResource]
    import_form_class = MembershipImportForm
    tmp_storage_class = ImportPreviewStorage
    export_form_class = FrenchExportForm
    import_error_display = ("message", "row")
    # Its history entries read « new through import_export »: ours are written in French by
    # process_result.
    skip_admin_log = True
    # import-export's own pages speak English in places, and their breadcrumbs predate the
    # admin's current markup: ours say it in French, in the admin's bar.
    import_template_name = "admin/members/membership/import.html"
    export_template_name = "admin/members/membership/export.html"

    @property
    def export_formats(self):
        return EXPORT_FORMATS

    @property
    def import_formats(self):
        return IMPORT_FORMATS

    def has_import_permission(self, request):
        return request.user.has_perm("members.import_membership")

    def has_export_permission(self, request):
        return request.user.has_perm("members.export_membership")

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        # A preview that cannot be confirmed (wrong lines, unreadable file) will never be
        # imported: its stored copy goes now rather than when it expires.
        stored = getattr(request.FILES.get("import_file"), "preview_storage", None)
        if (
            stored is not None
            and isinstance(response, TemplateResponse)
            and not response.context_data.get("confirm_form")
        ):
            stored.remove()
        return response

    def write_to_tmp_storage(self, import_file, input_format):
        # Where the preview's copy went, for import_action to remove it.
        stored = super().write_to_tmp_storage(import_file, input_format)
        import_file.preview_storage = stored
        return stored

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["import_columns"] = MembershipResource().describe_import_columns()
        return context

    def add_success_message(self, result, request):
        totals = result.totals
        self.message_user(
            request,
            "Import terminé\u00a0: "
            + ", ".join(
                _count(totals[kind], singular, plural)
                for kind, singular, plural in (
                    (RowResult.IMPORT_TYPE_NEW, "adhésion ajoutée", "adhésions ajoutées"),
                    (RowResult.IMPORT_TYPE_UPDATE, "modifiée", "modifiées"),
                    (RowResult.IMPORT_TYPE_SKIP, "inchangée", "inchangées"),
                )
            )
            + ".",
            messages.SUCCESS,
        )

    def get_import_data_kwargs(self, **kwargs):
        # A file with one invalid line imports nothing, even past the preview.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_result(self, result, request):
        # The history says what the import did in French, one entry per membership.
        for import_type, (action_flag, message) in IMPORT_LOG.items():
            instances = [row.instance for row in result if row.import_type == import_type]
            if instances:
                LogEntry.objects.log_actions(
                    request.user.pk, instances, action_flag, change_message=message
                )
        return super().process_result(result, request)

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
