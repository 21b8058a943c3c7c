"""Back-office of the events and their programme.

Inlines do not nest: an event lists its programme inline, and each session opens (« Modifier »)
on its own page, where its speakers are edited inline.
"""

from django.contrib import admin
from django.db.models import Prefetch

from association import formats
from events.models import Event, Session, SessionSpeaker


def _speaker_names(session: Session) -> str:
    return ", ".join(str(speaker.person) for speaker in session.speakers.all())


def _sessions_with_speakers(queryset):
    return queryset.select_related("facilitator").prefetch_related(
        Prefetch("speakers", queryset=SessionSpeaker.objects.select_related("person"))
    )


class SessionInline(admin.TabularInline):
    model = Session
    fields = (
        "order",
        "part_of_day",
        "start_time",
        "kind",
        "title",
        "facilitator",
        "speakers_display",
    )
    readonly_fields = ("speakers_display",)
    autocomplete_fields = ("facilitator",)
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return _sessions_with_speakers(super().get_queryset(request))

    @admin.display(description="intervenant·e·s (via « Modifier »)")
    def speakers_display(self, session):
        if session.pk is None:  # the blank row for a new session
            return ""
        return _speaker_names(session) or "\u2014"  # em dash


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "hours",
        "title",
        "kind",
        "venue",
        "is_published",
        "is_cancelled",
    )
    list_display_links = ("date", "title")
    list_filter = ("kind", "is_published", "is_cancelled")
    list_select_related = ("venue",)
    date_hierarchy = "date"
    search_fields = ("title", "summary", "body", "venue__name", "venue__town")
    autocomplete_fields = ("venue", "organisers")
    prepopulated_fields = {"slug": ("title",)}
    fieldsets = (
        (None, {"fields": ("title", "slug", "kind", "is_published", "is_cancelled")}),
        (
            "Date et lieu",
            {
                "description": "Sans heure, l'événement est affiché sur la journée entière.",
                "fields": ("date", "start_time", "end_time", "venue"),
            },
        ),
        ("Organisation", {"fields": ("organisers",)}),
        ("Présentation", {"fields": ("summary", "body")}),
    )
    inlines = [SessionInline]

    @admin.display(description="horaire", ordering="start_time")
    def hours(self, event):
        return formats.hours(event.start_time, event.end_time) or "journée"


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    fields = ("person", "structure", "role", "order")
    autocomplete_fields = ("person", "structure")
    extra = 0


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "event",
        "order",
        "part_of_day",
        "kind",
        "facilitator",
        "speaker_names",
    )
    list_filter = ("kind", "part_of_day", "event")
    search_fields = (
        "title",
        "description",
        "event__title",
        "facilitator__name",
        "speakers__person__last_name",
    )
    autocomplete_fields = ("event", "facilitator")
    ordering = ("-event__date", "event", "order")
    fields = (
        "event",
        "order",
        "part_of_day",
        "start_time",
        "kind",
        "title",
        "facilitator",
        "description",
    )
    inlines = [SessionSpeakerInline]

    def get_queryset(self, request):
        # The changelist ignores list_select_related once the queryset has a select_related.
        return _sessions_with_speakers(super().get_queryset(request)).select_related("event")

    @admin.display(description="intervenant·e·s")
    def speaker_names(self, session):
        return _speaker_names(session)
