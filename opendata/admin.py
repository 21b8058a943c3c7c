"""The portals read for the national picture, and what was read from them."""

from django.contrib import admin, messages

from opendata.harvest import read_portal
from opendata.models import HarvestedRecord, RemotePortal


@admin.register(RemotePortal)
class RemotePortalAdmin(admin.ModelAdmin):
    list_display = ("__str__", "package_url", "is_active", "last_outcome", "last_read_at")
    list_filter = ("is_active", "last_outcome")
    search_fields = ("name", "package_url")
    fields = (
        "package_url",
        "is_active",
        "name",
        "homepage",
        ("licence_name", "licence_url"),
        "data_modified_at",
        ("last_read_at", "last_outcome"),
        "last_report",
    )
    readonly_fields = (
        "homepage",
        "licence_name",
        "licence_url",
        "data_modified_at",
        "last_read_at",
        "last_outcome",
        "last_report",
    )
    actions = ["read_now"]

    @admin.action(description="Lire maintenant les paquets sélectionnés")
    def read_now(self, request, queryset):
        portals = list(queryset)
        for portal in portals:
            read_portal.enqueue(portal.pk)
        self.message_user(
            request,
            f"Lecture lancée pour {len(portals)} portail{'s' if len(portals) > 1 else ''}. "
            "Dans une minute, rechargez la page : la colonne « résultat de la dernière "
            "lecture » et la fiche de chaque portail disent ce qui a été lu ou refusé, et "
            "pourquoi.",
            messages.INFO,
        )


@admin.register(HarvestedRecord)
class HarvestedRecordAdmin(admin.ModelAdmin):
    list_display = ("identifier", "dataset", "portal", "licence", "date", "read_at")
    list_filter = ("dataset", "portal")
    list_select_related = ("portal",)
    search_fields = ("identifier",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
