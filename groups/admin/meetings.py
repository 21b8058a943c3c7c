"""Meetings in the back-office: cancel, held, invitations, answers, sign-in sheet, closing."""

from django.contrib import admin, messages
from django.core.exceptions import ValidationError

from association import formats
from groups.admin import attendance
from groups.models import (
    Meeting,
)
from groups.services import meetings as services

# How far back the meetings shown inline on a group go: the rest is one click away, in the
# meetings list filtered on the group.
RECENT_MEETINGS_DAYS = 90


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
                    "attendance_links",
                )
            },
        ),
        ("Ordre du jour et compte rendu", {"fields": ("agenda", "minutes", "minutes_published")}),
        ("Démonstration", {"classes": ("collapse",), "fields": ("is_sample",)}),
    )
    readonly_fields = ("attendance_links",)
    actions = ["mark_cancelled", "mark_held"]

    attendance_links = attendance.attendance_links

    def get_urls(self):
        return [*attendance.urls(self), *super().get_urls()]

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
