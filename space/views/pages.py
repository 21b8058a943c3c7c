"""The pages of the partners' space: my groups and their meetings with my answers, minutes and
documents reserved to participants, my details, my invitations, my data. Every page is
personal: never cached (`person_required`)."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_POST, require_safe

from association.identity import site_url
from groups.models import Document, InvitationOptOut, Meeting, MeetingAnswer, WorkingGroup
from groups.services.invitations import (
    answer_as_participant,
    resume_invitations,
    stop_invitations,
)
from members.services.personal_data import export_person_data
from space.forms import ContactDetailsForm, ErasureRequestForm
from space.models import ErasureRequest
from space.services.erasure import ask_erasure
from space.session import person_required

UPCOMING_SHOWN = 20
MINUTES_SHOWN = 10
DOCUMENTS_SHOWN = 30
SHARED = [Meeting.Visibility.PUBLIC, Meeting.Visibility.PARTICIPANTS]


def _my_groups(person):
    return WorkingGroup.objects.taken_part_by(person).active().order_by("order", "name")


def _with_my_answers(meetings: list[Meeting], person) -> list[Meeting]:
    answers = {
        answer.meeting_id: answer
        for answer in MeetingAnswer.objects.filter(person=person, meeting__in=meetings)
    }
    for meeting in meetings:
        meeting.my_answer = answers.get(meeting.pk)
    return meetings


@require_safe
@person_required
def home(request):
    person = request.person
    groups = list(_my_groups(person))
    now = timezone.now()
    meetings = Meeting.objects.filter(group__in=groups).select_related("group", "venue")
    upcoming = _with_my_answers(list(meetings.still_to_come(now)[:UPCOMING_SHOWN]), person)
    with_minutes = list(
        meetings.gone_by(now)
        .filter(minutes_visibility__in=SHARED)
        .exclude(minutes="")[:MINUTES_SHOWN]
    )
    documents = list(
        Document.objects.filter(group__in=groups).select_related("group", "meeting")[
            :DOCUMENTS_SHOWN
        ]
    )
    opted_out = set(
        InvitationOptOut.objects.filter(person=person).values_list("group_id", flat=True)
    )
    for group in groups:
        group.invited = group.pk not in opted_out
    return render(
        request,
        "space/home.html",
        {
            "person": person,
            "groups": groups,
            "upcoming": upcoming,
            "with_minutes": with_minutes,
            "documents": documents,
            "details_form": ContactDetailsForm(instance=person),
            "erasure_asked": ErasureRequest.objects.filter(
                person=person, handled_at__isnull=True
            ).exists(),
            "responses": MeetingAnswer.Response.choices,
            "nav_section": "space",
        },
    )


def _my_meeting(request, pk: int) -> Meeting:
    """A meeting of one of my groups; any other is « not found » (never « forbidden »: its
    existence is none of my business)."""
    groups = WorkingGroup.objects.taken_part_by(request.person).values("pk")
    return get_object_or_404(
        Meeting.objects.select_related("group", "venue").prefetch_related(
            Prefetch("documents", queryset=Document.objects.order_by("title"))
        ),
        pk=pk,
        group__in=groups,
    )


@require_safe
@person_required
def meeting_detail(request, pk):
    meeting = _my_meeting(request, pk)
    _with_my_answers([meeting], request.person)
    return render(
        request,
        "space/meeting.html",
        {
            "meeting": meeting,
            "group": meeting.group,
            "shows_minutes": bool(meeting.minutes) and meeting.minutes_visibility in SHARED,
            "responses": MeetingAnswer.Response.choices,
            "is_past": meeting.status == Meeting.Status.HELD or meeting.is_over(),
            "nav_section": "space",
        },
    )


@require_POST
@person_required
def answer(request, pk):
    meeting = _my_meeting(request, pk)
    try:
        found = answer_as_participant(
            meeting=meeting, person=request.person, response=request.POST.get("response", "")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            f"Réponse enregistrée pour la réunion du {meeting.date:%d/%m/%Y}\u00a0: "
            f"«\u00a0{found.get_response_display()}\u00a0».",
        )
    if request.POST.get("retour") == "reunion":
        return redirect("space:meeting", pk)
    return redirect("space:home")


@require_POST
@person_required
def details(request):
    form = ContactDetailsForm(request.POST, instance=request.person)
    if form.is_valid():
        form.save()
        messages.success(request, "Vos coordonnées sont enregistrées.")
        return redirect("space:home")
    return render(
        request,
        "space/details_form.html",
        {"details_form": form, "nav_section": "space"},
        status=400,
    )


@require_POST
@person_required
def invitations(request, group_pk):
    group = _my_groups(request.person).filter(pk=group_pk).first()
    if group is None:
        raise Http404
    if request.POST.get("invitations") == "on":
        resume_invitations(group=group, person=request.person)
        messages.success(
            request, f"Vous recevrez les invitations du groupe «\u00a0{group}\u00a0»."
        )
    else:
        stop_invitations(group=group, person=request.person)
        messages.success(
            request, f"Vous ne recevrez plus les invitations du groupe «\u00a0{group}\u00a0»."
        )
    return redirect("space:home")


@require_safe
@person_required
def my_data(request):
    """Everything the portal holds about me, as the coordinator would export it (JSON)."""
    person = request.person
    data = export_person_data(person=person)
    response = HttpResponse(
        json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
        content_type="application/json; charset=utf-8",
    )
    name = slugify(person.full_name) or "personne"
    response["Content-Disposition"] = (
        f'attachment; filename="mes-donnees-{name}-{timezone.localdate():%Y-%m-%d}.json"'
    )
    return response


@require_POST
@person_required
def erasure(request):
    form = ErasureRequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(form.errors["message"]))
        return redirect("space:home")
    _request, created = ask_erasure(
        person=request.person, message=form.cleaned_data["message"], site_url=site_url()
    )
    messages.success(
        request,
        "Votre demande d'effacement est transmise à la coordination, qui vous répondra."
        if created
        else "Votre demande d'effacement est déjà entre les mains de la coordination.",
    )
    return redirect("space:home")
