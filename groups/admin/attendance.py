"""A meeting's sign-in sheet and its closing page in the back-office, plugged into
`MeetingAdmin` (its `get_urls` and the `attendance_links` field)."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from association import formats
from association.admin_pages import render_intermediate_page, require_permission
from association.identity import get_site_identity
from groups.admin.scoping import people_in_scope, structures_in_scope
from groups.models import Meeting, MeetingAnswer
from groups.services.attendance import (
    BLANK_LINES,
    NewPerson,
    check_can_close,
    close_meeting,
    sign_in_sheet_answers,
)
from members.models import Person, Structure
from members.services.matching import find_people_like

NEW = "new"
# Rows for people met on the spot and typed by hand; more can be added by closing again.
NEW_PEOPLE_ROWS = 5


def _person_label(person: Person) -> str:
    structure = f" — {person.structure.display_name}" if person.structure_id else ""
    email = f" ({person.email})" if person.email else ""
    return f"{person.full_name}{structure}{email}"


class CloseMeetingForm(forms.Form):
    present = forms.TypedMultipleChoiceField(
        label="Présent·es",
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    added_people = forms.ModelMultipleChoiceField(
        label="Autres personnes du fichier venues",
        queryset=Person.objects.filter(anonymised_at__isnull=True),
        required=False,
        widget=AutocompleteSelectMultiple(MeetingAnswer._meta.get_field("person"), admin.site),
        help_text="Tapez quelques lettres du nom, de l'e-mail ou de la structure.",
    )
    unrecorded = forms.IntegerField(
        label="Autres présents non enregistrés (nombre)",
        min_value=0,
        max_value=32767,
        help_text="Personnes venues que vous n'ajoutez pas au fichier.",
    )
    minutes = forms.CharField(
        label="Compte rendu",
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="Il n'est publié que si vous le choisissez («\u00a0publication du compte "
        "rendu\u00a0») sur la fiche de la réunion.",
    )
    decisions = forms.CharField(
        label="Décisions", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args, meeting: Meeting, answers: list[MeetingAnswer], **kwargs):
        # Pre-filled from the « yes » answers, or from what was recorded when closed before.
        if meeting.status == Meeting.Status.HELD:
            present = [a.pk for a in answers if a.present]
        else:
            present = [a.pk for a in answers if a.response == MeetingAnswer.Response.YES]
        kwargs["initial"] = {
            "present": present,
            "unrecorded": meeting.unrecorded_attendees,
            "minutes": meeting.minutes,
            "decisions": meeting.decisions,
        }
        super().__init__(*args, **kwargs)
        self.fields["present"].choices = [(a.pk, a.name) for a in answers]


class NewPersonForm(forms.Form):
    first_name = forms.CharField(label="Prénom", max_length=100, required=False)
    last_name = forms.CharField(label="Nom", max_length=100, required=False)
    email = forms.EmailField(label="E-mail (facultatif)", required=False)
    structure = forms.ModelChoiceField(
        label="Structure (facultatif)",
        queryset=Structure.objects.all(),
        required=False,
        widget=AutocompleteSelect(Person._meta.get_field("structure"), admin.site),
    )
    choice = forms.ChoiceField(label="Fiche", required=False, widget=forms.RadioSelect)

    def __init__(self, *args, people=None, structures=None, **kwargs):
        super().__init__(*args, **kwargs)
        if structures is not None:
            self.fields["structure"].queryset = structures
        # The look-alikes of what was typed, found before validation so that the choice
        # between them (or a new person) is offered on the page sent back.
        typed = {
            name: self.data.get(self.add_prefix(name), "").strip()
            for name in ("first_name", "last_name", "email")
        }
        self.look_alikes: list[Person] = []
        if self.is_bound and typed["first_name"] and typed["last_name"]:
            self.look_alikes = find_people_like(**typed)
            if people is not None:  # a lead sees only the people of their groups
                allowed = set(people.values_list("pk", flat=True))
                self.look_alikes = [p for p in self.look_alikes if p.pk in allowed]
        choices = [(str(person.pk), _person_label(person)) for person in self.look_alikes]
        # The e-mail of someone in the file is theirs: no second person with it.
        if not any(p.email and p.email == typed["email"].lower() for p in self.look_alikes):
            choices.append((NEW, "Aucune de ces fiches\u00a0: créer une nouvelle personne"))
        self.fields["choice"].choices = choices

    def clean(self):
        data = super().clean()
        if not data.get("first_name") and not data.get("last_name"):
            return data
        if not data.get("first_name") or not data.get("last_name"):
            raise ValidationError("Indiquez le prénom et le nom.")
        if self.look_alikes and not data.get("choice"):
            self.add_error(
                "choice",
                "Des fiches du fichier ressemblent à cette personne\u00a0: choisissez la bonne, "
                "ou confirmez qu'il s'agit d'une nouvelle personne.",
            )
        return data

    def chosen_person(self) -> Person | None:
        choice = self.cleaned_data.get("choice")
        if choice and choice != NEW:
            return next(p for p in self.look_alikes if str(p.pk) == choice)
        return None

    def new_person(self) -> NewPerson | None:
        data = self.cleaned_data
        if not data.get("first_name") or self.chosen_person():
            return None
        return NewPerson(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            structure=data["structure"],
            confirmed=data.get("choice") == NEW,
        )


NewPeopleFormSet = forms.formset_factory(NewPersonForm, extra=NEW_PEOPLE_ROWS, max_num=20)


# --- Views -------------------------------------------------------------------------------------


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("group", "venue"), pk=pk)


def sign_in_sheet_view(model_admin, request, pk):
    """The sign-in sheet, a page of its own made to be printed on A4."""
    meeting = _meeting(pk)
    if not model_admin.has_view_permission(request, meeting):
        raise PermissionDenied
    return TemplateResponse(
        request,
        "admin/groups/meeting/sign_in_sheet.html",
        {
            "site": get_site_identity(request),
            "meeting": meeting,
            "when": formats.when(meeting.date, meeting.start_time, meeting.end_time),
            "answers": sign_in_sheet_answers(meeting),
            "blank_lines": range(BLANK_LINES),
            "change_url": reverse("admin:groups_meeting_change", args=[meeting.pk]),
        },
    )


def close_view(model_admin, request, pk):
    """Close a meeting: who came, who was met on the spot, the minutes and decisions."""
    meeting = _meeting(pk)
    require_permission(model_admin, request, "change", meeting)
    change_url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    try:
        check_can_close(meeting)
    except ValidationError as error:
        model_admin.message_user(request, " ".join(error.messages), messages.WARNING)
        return HttpResponseRedirect(change_url)
    answers = list(sign_in_sheet_answers(meeting))
    data = request.POST if request.method == "POST" else None
    form = CloseMeetingForm(data, meeting=meeting, answers=answers)
    scope = {}
    if model_admin.is_scoped(request):
        scope = {
            "people": Person.objects.filter(pk__in=people_in_scope(request.user)),
            "structures": Structure.objects.filter(pk__in=structures_in_scope(request.user)),
        }
        form.fields["added_people"].queryset = scope["people"]
    formset = NewPeopleFormSet(data, prefix="nouveaux", form_kwargs=scope)
    if data is not None and form.is_valid() and formset.is_valid():
        rows = [row for row in formset if row.has_changed() and row.cleaned_data]
        picked = [row.chosen_person() for row in rows if row.chosen_person()]
        try:
            closed = close_meeting(
                meeting=meeting,
                present_answer_ids=form.cleaned_data["present"],
                added_people=[*form.cleaned_data["added_people"], *picked],
                new_people=[new for row in rows if (new := row.new_person())],
                may_create_people=not scope,
                unrecorded=form.cleaned_data["unrecorded"],
                minutes=form.cleaned_data["minutes"],
                decisions=form.cleaned_data["decisions"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            model_admin.log_change(request, closed, "Réunion close (présences enregistrées).")
            model_admin.message_user(
                request,
                "Réunion close\u00a0: les présences sont enregistrées.",
                messages.SUCCESS,
            )
            return HttpResponseRedirect(change_url)
    return render_intermediate_page(
        model_admin,
        request,
        template="admin/groups/meeting/close.html",
        title=f"Clore la réunion du {formats.long_date(meeting.date)}",
        breadcrumb="Clore",
        obj=meeting,
        media=model_admin.media + form.media + formset.media,
        meeting=meeting,
        form=form,
        rows=list(zip(answers, form["present"], strict=True)),
        summary_fields=[form["unrecorded"], form["minutes"], form["decisions"]],
        formset=formset,
        # A lead adds only people of their groups: no look-alike search of the whole file
        # (it would tell them who is in it), no creation.
        can_create_people=not scope,
        change_url=change_url,
        sheet_url=reverse("admin:groups_meeting_sign_in_sheet", args=[meeting.pk]),
    )


def urls(model_admin) -> list:
    """The sign-in sheet and closing pages, for `MeetingAdmin.get_urls`."""
    site = model_admin.admin_site
    return [
        path(
            "<int:pk>/emargement/",
            site.admin_view(lambda request, pk: sign_in_sheet_view(model_admin, request, pk)),
            name="groups_meeting_sign_in_sheet",
        ),
        path(
            "<int:pk>/cloture/",
            site.admin_view(lambda request, pk: close_view(model_admin, request, pk)),
            name="groups_meeting_close",
        ),
    ]


@admin.display(description="émargement et présences")
def attendance_links(model_admin, meeting: Meeting):
    """Links from a meeting's admin page to its sign-in sheet and, once it can be closed (held
    or due today, not cancelled), its closing page."""
    if meeting.pk is None:
        return "Enregistrez la réunion pour imprimer sa feuille d'émargement."
    sheet = format_html(
        '<a href="{}">Feuille d\'émargement (à imprimer)</a>',
        reverse("admin:groups_meeting_sign_in_sheet", args=[meeting.pk]),
    )
    try:
        check_can_close(meeting)
    except ValidationError:
        return sheet
    return format_html(
        '{} · <a href="{}">{}</a>',
        sheet,
        reverse("admin:groups_meeting_close", args=[meeting.pk]),
        "Corriger les présences"
        if meeting.status == Meeting.Status.HELD
        else "Clore la réunion (présences, compte rendu)",
    )
