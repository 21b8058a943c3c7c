"""The requests for erasure sent from the partners' space, for the coordinator."""

from django.contrib import admin, messages
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html

from space.models import ErasureRequest


@admin.register(ErasureRequest)
class ErasureRequestAdmin(admin.ModelAdmin):
    list_display = ("person", "created_at", "handled_at", "person_link")
    list_filter = (("handled_at", admin.EmptyFieldListFilter),)
    list_select_related = ("person",)
    fields = ("person", "message", "created_at", "handled_at", "person_link")
    readonly_fields = ("person", "message", "created_at", "person_link")
    actions = ["mark_handled"]

    def has_add_permission(self, request):
        return False  # requests come from the space

    @admin.display(description="fiche de la personne")
    def person_link(self, request_):
        return format_html(
            '<a href="{}">Ouvrir la fiche (action «\u00a0Effacer ses données '
            "personnelles…\u00a0»)</a>",
            reverse("admin:members_person_change", args=[request_.person_id]),
        )

    @admin.action(description="Marquer comme traitée", permissions=["change"])
    def mark_handled(self, request, queryset):
        done = queryset.filter(handled_at__isnull=True).update(handled_at=timezone.now())
        self.message_user(
            request, f"Demandes marquées comme traitées\u00a0: {done}.", messages.SUCCESS
        )
