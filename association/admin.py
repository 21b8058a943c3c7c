"""Back-office of the site-wide records: login accounts, the association's identity and the
shared venues."""

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.urls import reverse

from association.models import LegalStatus, SiteIdentity, User, Venue


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts are the technical administrator's business: the coordinator's group has no
    permission on them (see `association/roles.py`)."""

    list_display = (
        "username",
        "email",
        "first_name",
        "last_name",
        "is_staff",
        "is_superuser",
        "is_active",
        "last_login",
    )
    list_filter = ("is_staff", "is_superuser", "is_active", "groups")
    date_hierarchy = "date_joined"


@admin.register(LegalStatus)
class LegalStatusAdmin(admin.ModelAdmin):
    """The successive legal forms: statutory documents print the one in force on their date,
    so a form once recorded is neither changed nor deleted; a transformation adds one."""

    list_display = ["form", "since", "capital", "registration"]
    fields = ["form", "since", "capital", "registration"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        obj.identity = SiteIdentity.load()
        super().save_model(request, obj, form, change)


@admin.register(SiteIdentity)
class SiteIdentityAdmin(admin.ModelAdmin):
    """One record: the list goes straight to it, and it can be neither added twice nor
    deleted."""

    fieldsets = (
        ("Association", {"fields": ("name", "short_name", "legal_form", "territory", "tagline")}),
        ("Présentation", {"fields": ("about", "join_call")}),
        (
            "Local et coordonnées",
            {
                "fields": (
                    "office_name",
                    "office_address",
                    "office_town",
                    "phone",
                    "email",
                    "website",
                    "notification_email",
                )
            },
        ),
        ("Apparence", {"fields": ("accent_color", "logo")}),
        (
            "Mentions légales",
            {
                "description": "Laissez vide ce que vous ne savez pas : le site affiche alors "
                "« à compléter » plutôt qu'une information inventée.",
                "fields": ("siret", "publication_director", "host_details"),
            },
        ),
        (None, {"fields": ("calendar_uid_domain", "updated_at")}),
    )
    readonly_fields = ("calendar_uid_domain", "updated_at")

    def has_add_permission(self, request):
        # The list creates the record when missing (`SiteIdentity.load()`), so adding is never
        # needed; answering without a query also spares one on every admin page.
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if not self.has_view_or_change_permission(request):
            return super().changelist_view(request, extra_context)  # answers 403
        identity = SiteIdentity.load()
        return HttpResponseRedirect(
            reverse("admin:association_siteidentity_change", args=[identity.pk])
        )

    def view_on_site(self, obj):
        return reverse("site:home")


@admin.register(Venue)
class VenueAdmin(admin.ModelAdmin):
    list_display = ("name", "address", "town", "meeting_count", "event_count")
    list_filter = ("town",)
    search_fields = ("name", "address", "town")
    fields = ("name", "address", "town", "directions")
    # Explicit: the counts below group the query, and a grouped query drops Meta.ordering, so
    # the meeting form's venue autocomplete came back in no particular order.
    ordering = ("town", "name")

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                meeting_count=Count("meetings", distinct=True),
                event_count=Count("events", distinct=True),
            )
        )

    @admin.display(description="réunions", ordering="meeting_count")
    def meeting_count(self, venue):
        return venue.meeting_count

    @admin.display(description="événements", ordering="event_count")
    def event_count(self, venue):
        return venue.event_count
