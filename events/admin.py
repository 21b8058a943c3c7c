"""Back-office of the events and their programme.

Inlines do not nest: an event lists its programme inline, and each session opens (« Modifier »)
on its own page, where its speakers are edited inline.

Registrations are shown inline, read only: they change through their services (the person's
link, or « Annuler les inscriptions » in their list), which free and give places in order.
Saving an event (or a session) tells the people registered what changed, through
`announce_event_changes`, within the same transaction.
"""

import tablib
from django.contrib import admin, messages
from django.db.models import Prefetch
from django.utils import timezone

from association import formats
from association.identity import site_url
from association.spreadsheets import csv_download, spreadsheet_cell
from events import services
from events.models import Event, Registration, RegistrationNotice, Session, SessionSpeaker


class RegistrationInline(admin.TabularInline):
    """The registrations, with their state; read only (see the module's docstring)."""

    model = Registration
    fields = ("name", "email", "session", "status", "created_at", "confirmed_at", "promoted_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False
    verbose_name_plural = "inscriptions (annulez-les depuis la liste des inscriptions)"

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("event", "session")
            .order_by("created_at", "pk")
        )


class SessionRegistrationInline(RegistrationInline):
    fields = ("name", "email", "status", "created_at", "confirmed_at", "promoted_at")
    readonly_fields = fields


class RegistrationNoticeInline(admin.TabularInline):
    model = RegistrationNotice
    fields = ("created_at", "kind", "session", "summary", "recipients")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("session")


class AnnouncesChanges:
    """Save an event or a session, then tell its people what changed (same transaction: the
    admin's change view is atomic)."""

    def _event_id(self, obj) -> int:
        raise NotImplementedError

    def save_model(self, request, obj, form, change):
        # Read from the database before the save: what the people registered were told.
        form.snapshot_before = services.EventSnapshot.of(self._event_id(obj)) if change else None
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if form.snapshot_before is None:
            return
        event = Event.objects.get(pk=self._event_id(form.instance))
        outcome = services.announce_event_changes(
            event=event, before=form.snapshot_before, site_url=site_url()
        )
        if text := outcome.message():
            self.message_user(request, text, messages.INFO)


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
        "registration_open",
        "capacity",
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
class EventAdmin(AnnouncesChanges, admin.ModelAdmin):
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
        (
            "Inscriptions",
            {
                "description": "Les inscrits et la liste d'attente sont prévenus par e-mail "
                "dès l'enregistrement si l'événement est déplacé ou annulé. Chaque séquence du "
                "programme peut aussi prendre ses propres inscriptions (ateliers).",
                "fields": ("registration_open", "capacity"),
            },
        ),
        ("Présentation", {"fields": ("summary", "body")}),
    )
    inlines = [SessionInline, RegistrationInline, RegistrationNoticeInline]

    def _event_id(self, obj) -> int:
        return obj.pk

    @admin.display(description="horaire", ordering="start_time")
    def hours(self, event):
        return formats.hours(event.start_time, event.end_time) or "journée"


class SessionSpeakerInline(admin.TabularInline):
    model = SessionSpeaker
    fields = ("person", "structure", "role", "order")
    autocomplete_fields = ("person", "structure")
    extra = 0


@admin.register(Session)
class SessionAdmin(AnnouncesChanges, admin.ModelAdmin):
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
        "registration_open",
        "capacity",
    )
    inlines = [SessionSpeakerInline, SessionRegistrationInline]

    def _event_id(self, obj) -> int:
        return obj.event_id

    def get_queryset(self, request):
        # The changelist ignores list_select_related once the queryset has a select_related.
        return _sessions_with_speakers(super().get_queryset(request)).select_related("event")

    @admin.display(description="intervenant·e·s")
    def speaker_names(self, session):
        return _speaker_names(session)


EXPORT_COLUMNS = (
    "Événement",
    "Date",
    "Séquence",
    "Nom",
    "E-mail",
    "État",
    "Inscrit·e le",
    "Confirmée le",
    "Annulée le",
)


@admin.register(Registration)
class RegistrationAdmin(admin.ModelAdmin):
    list_display = ("name", "email", "event", "session", "status", "created_at", "confirmed_at")
    list_filter = ("status", ("session", admin.EmptyFieldListFilter), "event")
    list_select_related = ("event", "session")
    search_fields = ("name", "email", "event__title", "session__title")
    date_hierarchy = "created_at"
    actions = ["cancel_registrations", "export_csv"]
    readonly_fields = (
        "event",
        "session",
        "status",
        "created_at",
        "confirmed_at",
        "promoted_at",
        "cancelled_at",
    )
    fields = ("name", "email", *readonly_fields)

    def has_add_permission(self, request):
        # Registrations come from the public page: the address has to be confirmed.
        return False

    @admin.action(description="Annuler les inscriptions sélectionnées", permissions=["change"])
    def cancel_registrations(self, request, queryset):
        cancelled = 0
        for registration in queryset.exclude(status=Registration.Status.CANCELLED):
            services.cancel_registration(registration=registration, site_url=site_url())
            cancelled += 1
        self.message_user(
            request,
            f"Inscriptions annulées\u00a0: {cancelled}. Les places libérées sont allées à la "
            "liste d'attente, dans l'ordre, avec un e-mail.",
            messages.SUCCESS,
        )

    @admin.action(description="Exporter en CSV (Excel)", permissions=["view"])
    def export_csv(self, request, queryset):
        """For French Excel (association/spreadsheets.py): names come from a public form, so
        a cell that would run as a formula starts with a quote."""
        dataset = tablib.Dataset(headers=EXPORT_COLUMNS)
        for registration in queryset.select_related("event", "session").order_by(
            "event__date", "event", "session", "confirmed_at", "pk"
        ):
            dataset.append(
                [
                    spreadsheet_cell(value)
                    for value in (
                        registration.event.title,
                        registration.event.date,
                        registration.session.title if registration.session else "",
                        registration.name,
                        registration.email,
                        registration.get_status_display(),
                        registration.created_at,
                        registration.confirmed_at,
                        registration.cancelled_at,
                    )
                ]
            )
        return csv_download(dataset, f"inscriptions-{timezone.localdate():%Y-%m-%d}.csv")
