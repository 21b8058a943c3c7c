"""The directory in the back-office: structures and the people in them.

Memberships have their own admin (with import and export) in `members/admin/memberships.py`;
here they only appear inline, on the structure or person they belong to.
"""

from django.contrib import admin
from django.utils import timezone
from django.utils.functional import lazy

from members.admin.personal_data import PersonalDataAdminMixin
from members.models import Membership, Person, Structure


def _current_year() -> int:
    return timezone.localdate().year


# Column and filter titles follow the calendar: evaluated when the page is rendered, not when
# the server started.
_member_this_year = lazy(lambda: f"membre {_current_year()}", str)()


class CurrentMembershipFilter(admin.SimpleListFilter):
    title = _member_this_year
    parameter_name = "membre"

    def lookups(self, request, model_admin):
        return [("oui", "Oui"), ("non", "Non")]

    def queryset(self, request, queryset):
        if self.value() == "oui":
            return queryset.filter(is_member=True)
        if self.value() == "non":
            return queryset.filter(is_member=False)
        return queryset


class CurrentMembershipAdminMixin:
    """« membre {année} » column and filter for a Structure or Person admin, from the same
    query as the list (`with_is_member`)."""

    def get_queryset(self, request):
        return super().get_queryset(request).with_is_member(_current_year())

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), CurrentMembershipFilter]

    @admin.display(description=_member_this_year, boolean=True, ordering="is_member")
    def is_member_this_year(self, obj):
        return obj.is_member


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ("year", "status", "fee", "paid_on", "payment_method", "notes")
    extra = 0
    ordering = ("-year",)
    verbose_name_plural = "adhésions"


class StructureMembershipInline(MembershipInline):
    fk_name = "structure"


class PersonMembershipInline(MembershipInline):
    fk_name = "person"


class PersonInline(admin.TabularInline):
    model = Person
    fields = ("first_name", "last_name", "title", "email", "phone", "show_contact_publicly")
    extra = 0
    show_change_link = True
    verbose_name_plural = "personnes de la structure"


@admin.register(Structure)
class StructureAdmin(CurrentMembershipAdminMixin, admin.ModelAdmin):
    list_display = (
        "name",
        "acronym",
        "kind",
        "town",
        "is_founding_member",
        "is_member_this_year",
    )
    list_filter = ("kind", "is_founding_member", "town")
    search_fields = ("name", "acronym", "town", "email")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (None, {"fields": ("name", "acronym", "slug", "kind", "is_founding_member")}),
        ("Coordonnées", {"fields": ("address", "town", "website", "email", "phone")}),
        ("Présentation", {"fields": ("description",)}),
    )
    inlines = [PersonInline, StructureMembershipInline]


@admin.register(Person)
class PersonAdmin(PersonalDataAdminMixin, CurrentMembershipAdminMixin, admin.ModelAdmin):
    list_display = (
        "full_name",
        "structure",
        "title",
        "team_role",
        "email",
        "show_contact_publicly",
        "is_member_this_year",
    )
    list_filter = ("team_role", "show_contact_publicly", "structure__kind")
    list_select_related = ("structure",)
    search_fields = (
        "first_name",
        "last_name",
        "email",
        "structure__name",
        "structure__acronym",
    )
    autocomplete_fields = ("structure",)
    fieldsets = (
        (None, {"fields": ("first_name", "last_name", "structure", "title")}),
        (
            "Coordonnées",
            {"fields": ("email", "phone", "show_contact_publicly")},
        ),
        ("Équipe de l'association", {"fields": ("team_role", "team_since")}),
    )
    inlines = [PersonMembershipInline]

    @admin.display(description="nom", ordering="last_name")
    def full_name(self, person):
        return person.full_name
