"""Working groups in the back-office: their leads, contacts and meetings."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from association import formats
from association.admin_pages import render_intermediate_page, require_permission
from association.identity import site_url
from groups.admin.scoping import LeadScopedAdminMixin, ScopedChoicesMixin
from groups.models import (
    GroupContact,
    GroupLead,
    Meeting,
    WorkingGroup,
)
from groups.services.participants import add_participant
from members.models import Structure

# How many of a group's meetings its page lists on each side of today: the rest is one click
# away, in the meetings list filtered on the group. A list of links, not an inline form: a
# group with hundreds of meetings opens as fast as one with three.
MEETINGS_SHOWN = 5


def color_swatch(color: str):
    # An SVG fill rather than an inline style: the Content-Security-Policy forbids the latter.
    return format_html(
        '<svg width="24" height="16" viewBox="0 0 24 16" aria-hidden="true">'
        '<rect width="24" height="16" rx="3" fill="{}"/></svg> <code>{}</code>',
        color,
        color,
    )


class GroupLeadInline(ScopedChoicesMixin, admin.TabularInline):
    model = GroupLead
    fields = ("person", "structure", "title", "order")
    autocomplete_fields = ("person", "structure")
    extra = 0


class GroupContactInline(ScopedChoicesMixin, admin.TabularInline):
    model = GroupContact
    fields = ("label", "phone", "email", "person", "order")
    autocomplete_fields = ("person",)
    extra = 0


class AddParticipantForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100)
    last_name = forms.CharField(label="Nom", max_length=100)
    email = forms.EmailField(label="E-mail", help_text="Les invitations partent à cette adresse.")
    structure = forms.ModelChoiceField(
        label="Structure",
        queryset=Structure.objects.order_by("name"),
        required=False,
        empty_label="(aucune, ou nouvelle ci-dessous)",
    )
    new_structure_name = forms.CharField(
        label="Ou nouvelle structure",
        max_length=200,
        required=False,
        help_text="Si sa structure n'est pas dans la liste\u00a0: son nom, la coordination "
        "complétera sa fiche.",
    )
    consent = forms.BooleanField(
        label="La personne a accepté d'être inscrite au fichier du PTCE et de recevoir les "
        "invitations du groupe",
        error_messages={"required": "Sans son accord, elle ne peut pas être ajoutée."},
    )
    invite = forms.BooleanField(
        label="L'inviter dès maintenant aux prochaines réunions déjà annoncées",
        required=False,
        initial=True,
    )


# What only the coordinator changes on a group: its name and address, place and colour.
COORDINATOR_ONLY_FIELDS = ("name", "slug", "order", "is_active", "accent_color")


@admin.register(WorkingGroup)
class WorkingGroupAdmin(LeadScopedAdminMixin, admin.ModelAdmin):
    group_path = "pk"
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
    readonly_fields = ("meetings_overview", "add_participant_link")
    fieldsets = (
        (None, {"fields": ("name", "slug", "order", "is_active", "accent_color")}),
        ("Présentation", {"fields": ("short_description", "description")}),
        (
            "Participants",
            {"fields": ("add_participant_link", "participant_structures", "participant_people")},
        ),
        ("Réunions", {"fields": ("meetings_overview",)}),
    )
    inlines = [GroupLeadInline, GroupContactInline]

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

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        return (*fields, *COORDINATOR_ONLY_FIELDS) if self.is_scoped(request) else fields

    def get_prepopulated_fields(self, request, obj=None):
        return {} if self.is_scoped(request) else super().get_prepopulated_fields(request, obj)

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

    @admin.display(description="réunions")
    def meetings_overview(self, group):
        """The next and the last few meetings as links, and the way to all of them: two
        queries whatever the group's history."""
        if group.pk is None:
            return "Enregistrez d'abord le groupe."
        today = timezone.localdate()
        meetings = Meeting.objects.for_group(group).select_related("venue")
        upcoming = list(meetings.upcoming(today)[:MEETINGS_SHOWN])
        past = list(meetings.past(today)[:MEETINGS_SHOWN])
        changelist = reverse("admin:groups_meeting_changelist")
        parts = [
            format_html(
                '<p><a href="{}?group__id__exact={}">Voir toutes les réunions du groupe</a> · '
                '<a href="{}?group={}">Programmer une réunion</a></p>',
                changelist,
                group.pk,
                reverse("admin:groups_meeting_add"),
                group.pk,
            )
        ]
        for title, listed, empty in (
            ("Prochaines", upcoming, "Aucune réunion à venir."),
            ("Dernières", past, "Aucune réunion passée."),
        ):
            items = format_html_join(
                "",
                '<li><a href="{}">{}</a>{}</li>',
                (
                    (
                        reverse("admin:groups_meeting_change", args=[meeting.pk]),
                        formats.when(meeting.date, meeting.start_time, meeting.end_time),
                        _meeting_note(meeting),
                    )
                    for meeting in listed
                ),
            )
            parts.append(
                format_html("<p><strong>{}</strong></p><ul>{}</ul>", title, items)
                if listed
                else format_html("<p><strong>{}</strong> — {}</p>", title, empty)
            )
        return format_html_join("", "{}", ((part,) for part in parts))

    @admin.display(description="nouveau participant")
    def add_participant_link(self, group):
        if group.pk is None:
            return "Enregistrez d'abord le groupe."
        return format_html(
            '<a href="{}" class="button">Ajouter un participant au groupe…</a>',
            reverse("admin:groups_workinggroup_add_participant", args=[group.pk]),
        )

    def get_urls(self):
        return [
            path(
                "<int:pk>/ajouter-un-participant/",
                self.admin_site.admin_view(self.add_participant_view),
                name="groups_workinggroup_add_participant",
            ),
            *super().get_urls(),
        ]

    def add_participant_view(self, request, pk):
        """A lead (or the coordinator) adds someone to the group: a person with their
        structure, their consent recorded, invited at once if they wish."""
        group = get_object_or_404(WorkingGroup, pk=pk)
        require_permission(self, request, "change", group)
        change_url = reverse("admin:groups_workinggroup_change", args=[group.pk])
        form = AddParticipantForm(request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            user = request.user
            try:
                added = add_participant(
                    group=group,
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    email=data["email"],
                    structure=data["structure"],
                    new_structure_name=data["new_structure_name"],
                    consent=data["consent"],
                    recorded_by=f"{user.get_full_name() or user.username} ({user.username})",
                    invite=data["invite"],
                    site_url=site_url(),
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                invited = ", ".join(formats.long_date(m.date) for m in added.invited_to)
                self.message_user(
                    request,
                    f"{added.person} participe désormais au groupe «\u00a0{group}\u00a0»."
                    + (f" Invitation envoyée pour\u00a0: {invited}." if invited else ""),
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(change_url)
        return render_intermediate_page(
            self,
            request,
            template="admin/groups/workinggroup/add_participant.html",
            title=f"Ajouter un participant au groupe «\u00a0{group}\u00a0»",
            breadcrumb="Ajouter un participant",
            obj=group,
            group=group,
            form=form,
            change_url=change_url,
        )


def _meeting_note(meeting: Meeting) -> str:
    notes = [meeting.venue.name] if meeting.venue else []
    if meeting.is_cancelled:
        notes.append("annulée")
    elif meeting.status == Meeting.Status.HELD:
        notes.append("tenue")
    if meeting.is_sample:
        notes.append("exemple")
    return format_html(" — {}", ", ".join(notes)) if notes else ""
