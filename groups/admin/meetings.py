"""Meetings in the back-office: cancel, held, invitations, answers, sign-in sheet, closing."""

from functools import partial

from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils.html import format_html, format_html_join

from association import formats
from association.identity import site_url
from groups.admin import attendance
from groups.admin.documents import DocumentInline
from groups.admin.scoping import LeadScopedAdminMixin
from groups.models import Meeting, MeetingAnswer
from groups.services import meetings as services
from groups.services.invitations import notify_meeting_change, send_invitations
from groups.services.series import mark_edited_by_hand

# What, changed after the invitations, makes those who answered yes or maybe be told.
NOTIFIED_CHANGES = {"date", "start_time", "end_time", "venue"}


@admin.register(Meeting)
class MeetingAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "date",
        "hours",
        "group",
        "venue",
        "status",
        "is_cancelled",
        "minutes_visibility",
        "is_sample",
    )
    list_display_links = ("date",)
    list_filter = ("group", "status", "is_cancelled", "minutes_visibility", "is_sample")
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
        ("Ordre du jour et compte rendu", {"fields": ("agenda", "minutes", "minutes_visibility")}),
        (
            "Série et invitations",
            {
                "fields": (
                    "series",
                    "edited_by_hand",
                    "invitations_sent_at",
                    "answers_summary",
                    "answers_table",
                )
            },
        ),
        ("Démonstration", {"classes": ("collapse",), "fields": ("is_sample",)}),
    )
    readonly_fields = (
        "attendance_links",
        "series",
        "invitations_sent_at",
        "answers_summary",
        "answers_table",
    )
    actions = ["send_invitation", "mark_cancelled", "mark_held"]
    inlines = [DocumentInline]

    @admin.display(description="réponses")
    def answers_summary(self, meeting):
        if meeting.pk is None:
            return "—"
        counts = dict(
            meeting.answers.counted()
            .order_by()
            .values_list("response")
            .annotate(n=Count("pk"))
            .values_list("response", "n")
        )
        labels = dict(MeetingAnswer.Response.choices)
        parts = [f"{labels[key]}\u00a0: {counts.get(key, 0)}" for key in labels]
        parts.append(f"sans réponse\u00a0: {counts.get('', 0)}")
        return " · ".join(parts)

    @admin.display(description="invités et réponses")
    def answers_table(self, meeting):
        """Who is invited, what they answered, whether they came: read-only (answers come
        from the participants' links, presence from closing the meeting). One query."""
        if meeting.pk is None:
            return "—"
        answers = meeting.answers.select_related("person__structure").order_by(
            "response", "person__last_name", "guest_name", "pk"
        )
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    answer.name,
                    answer.person.structure or "—" if answer.person_id else "invité·e",
                    answer.email
                    + ("" if answer.person_id or answer.confirmed_at else " (non confirmée)"),
                    answer.get_response_display() or "sans réponse",
                    {True: "présent·e", False: "absent·e"}.get(answer.present, "—"),
                )
                for answer in answers
            ),
        )
        if not rows:
            return "Personne n'est encore invité."
        return format_html(
            "<table><thead><tr><th>Nom</th><th>Structure</th><th>E-mail</th><th>Réponse</th>"
            "<th>Présence</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    def save_model(self, request, obj, form, change):
        if change:
            mark_edited_by_hand(meeting=obj, changed_fields=form.changed_data)
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            moved = (
                change and obj.invitations_sent_at and NOTIFIED_CHANGES & set(form.changed_data)
            )
            cancelled = change and "is_cancelled" in form.changed_data and obj.is_cancelled
            if obj.invitations_sent_at and (moved or cancelled):
                told = notify_meeting_change(
                    meeting=obj,
                    site_url=site_url(),
                    what="annulée" if obj.is_cancelled else "déplacée",
                )
                if told:
                    self.message_user(
                        request,
                        f"Prévenu{'s' if told > 1 else ''} par e-mail\u00a0: {told}.",
                        messages.INFO,
                    )

    @admin.action(description="Envoyer l'invitation aux participants", permissions=["change"])
    def send_invitation(self, request, queryset):
        for meeting in queryset.select_related("group"):
            try:
                invited = send_invitations(meeting=meeting, site_url=site_url())
            except ValidationError as error:
                self.message_user(request, " ".join(error.messages), messages.WARNING)
                continue
            day = formats.long_date(meeting.date)
            if invited:
                self.message_user(
                    request,
                    f"Réunion « {meeting.group} » du {day}\u00a0: "
                    f"{invited} invitation{'s' if invited > 1 else ''} dans la file d'envoi.",
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request,
                    f"Réunion « {meeting.group} » du {day}\u00a0: tous les participants "
                    "ont déjà été invités (ou le groupe n'a aucun participant avec un e-mail).",
                    messages.WARNING,
                )

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
            partial(services.cancel_meeting, site_url=site_url()),
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
