"""Series of meetings in the back-office: « le 2e mardi, un mois sur deux, à 14 h » planned in
one step, each occurrence a real meeting."""

import datetime

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from association import formats
from association.identity import site_url
from groups.admin.scoping import LeadScopedAdminMixin
from groups.models import MeetingSeries
from groups.models.series import ICAL_WEEKDAYS, MAX_OCCURRENCES, build_rule
from groups.services.series import plan_series

WEEK_OF_MONTH = [
    ("", "— (même quantième que la première date)"),
    ("1", "1er"),
    ("2", "2e"),
    ("3", "3e"),
    ("4", "4e"),
    ("-1", "dernier"),
]


class MeetingSeriesForm(forms.ModelForm):
    """The rule in words, stored as an RRULE."""

    frequency = forms.ChoiceField(label="Rythme", choices=MeetingSeries.Frequency.choices)
    interval = forms.IntegerField(
        label="Tous les… (N)",
        min_value=1,
        max_value=12,
        initial=1,
        help_text="Par exemple 2 avec « tous les N mois » : un mois sur deux.",
    )
    weekday = forms.TypedChoiceField(
        label="Jour de la semaine",
        coerce=int,
        choices=[(i, day.capitalize()) for i, day in enumerate(formats.WEEKDAYS)],
    )
    week_of_month = forms.ChoiceField(
        label="Quel jour du mois (rythme mensuel)", choices=WEEK_OF_MONTH, required=False
    )
    until = forms.DateField(label="Jusqu'au (inclus)", required=False)
    count = forms.IntegerField(
        label="Ou nombre de réunions", min_value=1, max_value=MAX_OCCURRENCES, required=False
    )

    class Meta:
        model = MeetingSeries
        fields = ["group", "first_date", "start_time", "end_time", "venue", "agenda", "is_sample"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            parts = self.instance.parts()
            byday = parts.get("BYDAY", "")
            code = byday[-2:]
            self.initial.update(
                frequency=parts.get("FREQ", "MONTHLY"),
                interval=int(parts.get("INTERVAL", "1")),
                weekday=ICAL_WEEKDAYS.index(code) if code in ICAL_WEEKDAYS else None,
                week_of_month=byday[:-2],
                count=int(parts["COUNT"]) if "COUNT" in parts else None,
                until=_until(parts.get("UNTIL", "")),
            )

    def clean(self):
        data = super().clean()
        if not data.get("until") and not data.get("count"):
            raise ValidationError("Indiquez une date de fin ou un nombre de réunions.")
        if data.get("until") and data.get("count"):
            raise ValidationError(
                "Indiquez une date de fin ou un nombre de réunions, pas les deux."
            )
        first = data.get("first_date")
        weekly = data.get("frequency") == MeetingSeries.Frequency.WEEKLY
        if first and weekly and data.get("weekday") not in (None, first.weekday()):
            self.add_error(
                "first_date", "La première date doit tomber le jour de la semaine choisi."
            )
        if self.errors:
            return data
        week = data.get("week_of_month")
        self.instance.rule = build_rule(
            frequency=data["frequency"],
            interval=data["interval"],
            weekday=data["weekday"] if (week or data["frequency"] == "WEEKLY") else None,
            week_of_month=int(week) if week else None,
            until=data.get("until"),
            count=data.get("count"),
        )
        return data


def _until(value: str) -> datetime.date | None:
    """The day of an RRULE's UNTIL (« 20260630T235959 »)."""
    try:
        return datetime.date(int(value[:4]), int(value[4:6]), int(value[6:8]))
    except ValueError:
        return None


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    form = MeetingSeriesForm
    list_display = ("group", "described", "first_date", "venue", "meeting_count", "is_sample")
    list_filter = ("group", "is_sample")
    list_select_related = ("group", "venue")
    autocomplete_fields = ("venue",)
    readonly_fields = ("rule", "meetings_link")
    fieldsets = (
        (None, {"fields": ("group", "first_date", ("start_time", "end_time"), "venue")}),
        (
            "Rythme",
            {
                "description": "Jamais de réunion les 24, 25 et 31 décembre ni le 1er janvier.",
                "fields": (
                    ("frequency", "interval"),
                    ("weekday", "week_of_month"),
                    ("until", "count"),
                    "rule",
                ),
            },
        ),
        ("Ordre du jour", {"fields": ("agenda",)}),
        ("Réunions", {"fields": ("meetings_link",)}),
        ("Démonstration", {"classes": ("collapse",), "fields": ("is_sample",)}),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_meetings=Count("meetings"))

    def get_readonly_fields(self, request, obj=None):
        # Its meetings belong to the group: another group's year is another series.
        if obj is not None:
            return ("group", *self.readonly_fields)
        return self.readonly_fields

    @admin.display(description="rythme")
    def described(self, series):
        return series.describe()

    @admin.display(description="réunions", ordering="_meetings")
    def meeting_count(self, series):
        return series._meetings

    @admin.display(description="réunions de la série")
    def meetings_link(self, series):
        if series.pk is None:
            return "Les réunions sont créées à l'enregistrement."
        url = reverse("admin:groups_meeting_changelist")
        return format_html(
            '<a href="{}?series__id__exact={}">Voir les réunions de la série</a>', url, series.pk
        )

    def save_model(self, request, obj, form, change):
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            outcome = plan_series(series=obj, site_url=site_url())
        self.message_user(request, outcome.message(), messages.SUCCESS)
