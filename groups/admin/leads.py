"""The leads in the back-office: who leads which group, and the coordinator's action that gives
a lead a back-office account (a mail with a link to choose a password)."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from association.admin_pages import ON_LIST_AND_PAGE
from association.identity import site_url
from groups.admin.scoping import LeadScopedAdminMixin
from groups.models import GroupLead
from groups.services.leads import give_lead_account


@admin.register(GroupLead)
class GroupLeadAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    list_display = ("person", "group", "structure", "title", "account")
    list_filter = ("group",)
    list_select_related = ("person", "group", "structure", "user")
    search_fields = ("person__first_name", "person__last_name", "group__name")
    autocomplete_fields = ("person", "structure")
    fields = ("group", "person", "structure", "title", "order", "user")
    readonly_fields = ("user",)
    actions = ["give_account"]

    @admin.display(description="compte du back-office")
    def account(self, lead):
        if lead.user is None:
            return "—"
        return lead.user.username if lead.user.has_usable_password() else "lien envoyé"

    @admin.action(
        description="Donner un compte du back-office (lien par e-mail)",
        permissions=["change"],
        location=ON_LIST_AND_PAGE,
    )
    def give_account(self, request, queryset):
        for lead in queryset.select_related("person", "group"):
            try:
                user = give_lead_account(lead=lead, site_url=site_url())
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
                continue
            self.log_change(request, lead, "Compte du back-office donné (lien envoyé).")
            self.message_user(
                request,
                f"{lead.person}\u00a0: compte «\u00a0{user.username}"
                f"\u00a0», le lien pour choisir un mot de passe est dans la file "
                "d'envoi.",
                messages.SUCCESS,
            )
