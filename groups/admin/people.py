"""The member file's people and structures as a group lead sees them: only those taking part
in their groups, read-only, and nothing beyond name, structure and e-mail (no phone, no
membership, no personal-data action). The coordinator keeps the member file's own admins
unchanged: these subclass them, registered in their place from this floor, above the file."""

from django.contrib import admin
from django.contrib.admin.options import ActionLocation
from django.db.models import Q

from groups.admin.scoping import LeadScopedAdminMixin, people_in_scope, structures_in_scope
from members.admin.directory import PersonAdmin, StructureAdmin
from members.models import Person, Structure

admin.site.unregister(Person)
admin.site.unregister(Structure)


class ReadOnlyForLeadsMixin(LeadScopedAdminMixin):
    lead_fields: tuple[str, ...] = ()
    lead_list_display: tuple[str, ...] = ()

    def get_fieldsets(self, request, obj=None):
        if self.is_scoped(request):
            return [(None, {"fields": self.lead_fields})]
        return super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        if self.is_scoped(request):
            return self.lead_fields
        return super().get_readonly_fields(request, obj)

    def get_inlines(self, request, obj):
        return [] if self.is_scoped(request) else super().get_inlines(request, obj)

    def get_list_display(self, request):
        if self.is_scoped(request):
            return self.lead_list_display
        return super().get_list_display(request)

    def get_list_filter(self, request):
        return () if self.is_scoped(request) else super().get_list_filter(request)

    def get_actions(self, request, action_location=ActionLocation.CHANGE_LIST):
        # The personal-data export is the coordinator's (and the person's, from their space).
        if self.is_scoped(request):
            return {}
        return super().get_actions(request, action_location=action_location)

    def has_add_permission(self, request):
        return not self.is_scoped(request) and super().has_add_permission(request)


@admin.register(Person)
class GroupScopedPersonAdmin(ReadOnlyForLeadsMixin, PersonAdmin):
    lead_fields = ("first_name", "last_name", "structure", "email")
    lead_list_display = ("full_name", "structure", "email")

    def lead_scope(self, request):
        return Q(pk__in=people_in_scope(request.user))


@admin.register(Structure)
class GroupScopedStructureAdmin(ReadOnlyForLeadsMixin, StructureAdmin):
    lead_fields = ("name", "acronym", "email")
    lead_list_display = ("name", "acronym", "email")

    def lead_scope(self, request):
        return Q(pk__in=structures_in_scope(request.user))
