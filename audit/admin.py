"""The trail in the back-office: read only, for everyone (the superuser too), filtered by
account, origin, record type and date; each entry's changes field by field; a CSV export of the
filtered list for an auditor. A lead sees only their groups' records (`register_scope`)."""

import itertools

import tablib
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import path
from django.utils import timezone

from association.admin_listing import ListRowsChangeList
from association.spreadsheets import csv_download, spreadsheet_cell
from audit.display import RelatedNames, changes_rows
from audit.models import AuditEntry
from audit.registry import visible_entries
from audit.services import action_label


class AccountFilter(admin.SimpleListFilter):
    title = "compte"
    parameter_name = "actor"

    def lookups(self, request, model_admin):
        accounts = (
            get_user_model()
            .objects.filter(
                pk__in=visible_entries(request, AuditEntry.objects.all()).values("actor")
            )
            .order_by("username")
        )
        return [(account.pk, str(account)) for account in accounts]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(actor_id=self.value())
        return queryset


class EntriesChangeList(ListRowsChangeList):
    """The page's entries, with the names of the records their foreign keys point to, read
    once for the page (one query per related model); its rows written as every list's
    (association/admin_listing.py)."""

    def get_results(self, request):
        super().get_results(request)
        names = RelatedNames(self.result_list, request)
        for entry in self.result_list:
            entry.related_names = names


class AuditEntryAdmin(admin.ModelAdmin):
    list_display = (
        "timestamp",
        "action_name",
        "record_type",
        "object_repr",
        "changes_summary",
        "origin",
        "actor_label",
    )
    list_filter = ("origin", AccountFilter, "action", "content_type", "timestamp")
    date_hierarchy = "timestamp"
    search_fields = ("object_repr", "actor_label", "object_pk")
    list_select_related = ("content_type",)
    show_full_result_count = False
    fields = (
        "timestamp",
        "action_name",
        "record_type",
        "object_repr",
        "object_pk",
        "origin",
        "actor_label",
        "changes_table",
    )
    readonly_fields = fields
    change_list_template = "admin/audit/auditentry/change_list.html"

    @admin.display(description="action", ordering="action")
    def action_name(self, entry):
        return action_label(entry.action)

    @admin.display(description="type d'enregistrement", ordering="content_type")
    def record_type(self, entry):
        return entry.content_type.name

    @admin.display(description="champs modifiés")
    def changes_summary(self, entry):
        """Each field before → after, shortened: a record's history reads in the list."""
        text = " ; ".join(
            f"{field} : {before} → {after}" if before else f"{field} : {after}"
            for field, before, after in changes_rows(entry, getattr(entry, "related_names", None))
        )
        return text if len(text) <= 160 else text[:159] + "…"

    @admin.display(description="modifications")
    def changes_table(self, entry):
        from django.template.loader import render_to_string

        rows = changes_rows(entry, getattr(entry, "related_names", None))
        return render_to_string("audit/changes_table.html", {"rows": rows})

    def get_changelist(self, request, **kwargs):
        return EntriesChangeList

    def get_object(self, request, object_id, from_field=None):
        entry = super().get_object(request, object_id, from_field)
        if entry is not None:
            entry.related_names = RelatedNames([entry], request)
        return entry

    def lookup_allowed(self, lookup, value, request=None):
        # The link from a record's own history page (templates/admin/object_history.html).
        if lookup in ("content_type__app_label", "content_type__model", "object_pk"):
            return True
        return super().lookup_allowed(lookup, value, request)

    def get_queryset(self, request):
        return visible_entries(request, super().get_queryset(request))

    # Append-only, for everyone: the database refuses the rest too (audit/models.py).
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path(
                "export/",
                self.admin_site.admin_view(self.export_view),
                name="audit_auditentry_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "can_export": request.user.has_perm("audit.export_auditentry"),
        }
        return super().changelist_view(request, extra_context)

    def export_view(self, request):
        """The list as filtered on screen, every row, as CSV for French Excel (formulas
        defused: an author's or a record's name is typed by visitors)."""
        if not (
            self.has_view_permission(request) and request.user.has_perm("audit.export_auditentry")
        ):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        entries = changelist.get_queryset(request).select_related("content_type")
        dataset = tablib.Dataset(
            headers=[
                "date",
                "action",
                "type d'enregistrement",
                "enregistrement",
                "numéro",
                "origine",
                "auteur",
                "champ",
                "avant",
                "après",
            ]
        )
        for chunk in itertools.batched(entries.iterator(chunk_size=2000), 2000):
            # The related records' names, one query per related model for each chunk.
            names = RelatedNames(chunk, request)
            for entry in chunk:
                self._export_rows(dataset, entry, names)
        return csv_download(dataset, f"journal-audit-{timezone.localdate():%Y-%m-%d}.csv")

    def _export_rows(self, dataset, entry, names):
        head = [
            spreadsheet_cell(entry.timestamp),
            action_label(entry.action),
            entry.content_type.name,
            entry.object_repr,
            entry.object_pk,
            entry.get_origin_display(),
            entry.actor_label,
        ]
        for row in changes_rows(entry, names) or [("", "", "")]:
            dataset.append([*head, *row])


# django-auditlog's admin (loaded first, see INSTALLED_APPS) registered the entry model.
if admin.site.is_registered(AuditEntry):
    admin.site.unregister(AuditEntry)
admin.site.register(AuditEntry, AuditEntryAdmin)
