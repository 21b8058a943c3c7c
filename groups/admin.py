"""Back-office of the working groups: leads, contacts, meetings and projects."""

import datetime

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from association import formats
from groups import services
from groups.models import (
    GroupContact,
    GroupLead,
    Meeting,
    Project,
    ProjectUpdate,
    WorkingGroup,
)

# How far back the meetings shown inline on a group go: the rest is one click away, in the
# meetings list filtered on the group.
RECENT_MEETINGS_DAYS = 90


def color_swatch(color: str):
    # An SVG fill rather than an inline style: the Content-Security-Policy forbids the latter.
    return format_html(
        '<svg width="24" height="16" viewBox="0 0 24 16" aria-hidden="true">'
        '<rect width="24" height="16" rx="3" fill="{}"/></svg> <code>{}</code>',
        color,
        color,
    )


class GroupLeadInline(admin.TabularInline):
    model = GroupLead
    fields = ("person", "structure", "title", "order")
    autocomplete_fields = ("person", "structure")
    extra = 0


class GroupContactInline(admin.TabularInline):
    model = GroupContact
    fields = ("label", "phone", "email", "person", "order")
    autocomplete_fields = ("person",)
    extra = 0


class MeetingInline(admin.TabularInline):
    model = Meeting
    fields = (
        "date",
        "start_time",
        "end_time",
        "venue",
        "status",
        "is_cancelled",
        "minutes_published",
    )
    autocomplete_fields = ("venue",)
    extra = 0
    show_change_link = True
    verbose_name_plural = f"réunions récentes et à venir (depuis {RECENT_MEETINGS_DAYS} jours)"

    def get_queryset(self, request):
        since = timezone.localdate() - datetime.timedelta(days=RECENT_MEETINGS_DAYS)
        return super().get_queryset(request).filter(date__gte=since).select_related("venue")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "swatch",
        "order",
        "is_active",
        "lead_names",
        "upcoming_meeting_count",
        "project_count",
    )
    list_filter = ("is_active",)
    search_fields = ("name", "short_description", "description")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("participant_people", "participant_structures")
    readonly_fields = ("all_meetings_link",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "order", "is_active", "accent_color")}),
        ("Présentation", {"fields": ("short_description", "description")}),
        ("Participants", {"fields": ("participant_structures", "participant_people")}),
        ("Réunions", {"fields": ("all_meetings_link",)}),
    )
    inlines = [GroupLeadInline, GroupContactInline, MeetingInline]

    def get_queryset(self, request):
        today = timezone.localdate()
        return (
            super()
            .get_queryset(request)
            .annotate(
                upcoming_meeting_count=Count(
                    "meetings",
                    filter=Q(meetings__date__gte=today) & Q(meetings__is_cancelled=False),
                    distinct=True,
                ),
                project_count=Count("projects", distinct=True),
            )
            .prefetch_related(
                Prefetch("leads", queryset=GroupLead.objects.select_related("person", "structure"))
            )
        )

    @admin.display(description="couleur", ordering="accent_color")
    def swatch(self, group):
        return color_swatch(group.accent_color)

    @admin.display(description="chef·fe·s de file")
    def lead_names(self, group):
        return ", ".join(
            f"{lead.person} ({lead.structure.acronym or lead.structure.name})"
            if lead.structure
            else str(lead.person)
            for lead in group.leads.all()
        )

    @admin.display(description="réunions à venir", ordering="upcoming_meeting_count")
    def upcoming_meeting_count(self, group):
        return group.upcoming_meeting_count

    @admin.display(description="projets", ordering="project_count")
    def project_count(self, group):
        return group.project_count

    @admin.display(description="toutes les réunions")
    def all_meetings_link(self, group):
        if group.pk is None:
            return "Enregistrez d'abord le groupe."
        url = reverse("admin:groups_meeting_changelist")
        return format_html(
            '<a href="{}?group__id__exact={}">Voir toutes les réunions du groupe</a>',
            url,
            group.pk,
        )


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "hours",
        "group",
        "venue",
        "status",
        "is_cancelled",
        "minutes_published",
        "is_sample",
    )
    list_display_links = ("date",)
    list_filter = ("group", "status", "is_cancelled", "minutes_published", "is_sample")
    list_select_related = ("group", "venue")
    date_hierarchy = "date"
    search_fields = ("agenda", "group__name", "venue__name", "venue__town")
    autocomplete_fields = ("venue",)
    ordering = ("-date", "start_time")
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "group",
                    "date",
                    "start_time",
                    "end_time",
                    "venue",
                    ("status", "is_cancelled"),
                )
            },
        ),
        ("Ordre du jour et compte rendu", {"fields": ("agenda", "minutes", "minutes_published")}),
        ("Démonstration", {"classes": ("collapse",), "fields": ("is_sample",)}),
    )
    actions = ["mark_cancelled", "mark_held"]

    @admin.display(description="horaire", ordering="start_time")
    def hours(self, meeting):
        return formats.hours(meeting.start_time, meeting.end_time) or None

    def _apply(self, request, queryset, service, done_message):
        done = 0
        for meeting in queryset:
            try:
                service(meeting=meeting)
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
            else:
                done += 1
        if done:
            self.message_user(request, done_message(done), messages.SUCCESS)

    @admin.action(description="Marquer comme annulée", permissions=["change"])
    def mark_cancelled(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.cancel_meeting,
            lambda n: f"{n} réunion annulée." if n == 1 else f"{n} réunions annulées.",
        )

    @admin.action(description="Marquer comme tenue", permissions=["change"])
    def mark_held(self, request, queryset):
        self._apply(
            request,
            queryset,
            services.mark_meeting_held,
            lambda n: (
                f"{n} réunion marquée comme tenue."
                if n == 1
                else f"{n} réunions marquées comme tenues."
            ),
        )


class ProjectUpdateInline(admin.TabularInline):
    model = ProjectUpdate
    fields = ("date", "precision", "text")
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "group",
        "status",
        "carriers",
        "update_count",
        "is_published",
    )
    list_filter = ("group", "status", "is_published")
    list_select_related = ("group",)
    search_fields = ("name", "summary", "description", "structures__name", "structures__acronym")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("structures",)
    fieldsets = (
        (None, {"fields": ("name", "slug", "group", "status", "is_published")}),
        ("Structures porteuses", {"fields": ("structures",)}),
        ("Présentation", {"fields": ("summary", "description")}),
    )
    inlines = [ProjectUpdateInline]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(update_count=Count("updates"))
            .prefetch_related("structures")
        )

    @admin.display(description="structures porteuses")
    def carriers(self, project):
        return format_html_join(", ", "{}", ((s.name,) for s in project.structures.all())) or "—"

    @admin.display(description="avancées", ordering="update_count")
    def update_count(self, project):
        return project.update_count
