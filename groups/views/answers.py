"""Answers to meetings, from the personal link of an invitation (or of a guest's confirmation
mail), and opting out of a group's invitations.

Opening a link (GET) never changes anything — mail scanners open links: the page shows the
meeting and buttons that POST. A forged link, an expired one (the meeting is over) or one of a
cancelled meeting gets a clear French page and changes nothing."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from association.formats import typography
from association.identity import site_url
from association.ratelimit import refuse_public_form
from association.signed_links import invalid_link_page
from groups.forms import GuestAnswerForm
from groups.models import Meeting, MeetingAnswer
from groups.services.invitations import (
    ask_guest_answer,
    meeting_is_over,
    read_answer_token,
    read_opt_out_token,
    record_answer,
    stop_invitations,
)


def _invalid(request, message: str, status: int = 400):
    return invalid_link_page(
        request,
        heading="Ce lien ne peut pas servir",
        message=message,
        back_url=reverse("groups:group_list"),
        back_label="Voir les groupes de travail et leurs contacts",
        status=status,
    )


@require_http_methods(["GET", "HEAD", "POST"])
def answer(request, token):
    """The personal answer page of an invitation: the meeting, the current answer, and three
    buttons (« Je viens », « Je ne viens pas », « Peut-être »)."""
    found = read_answer_token(token)
    if found is None:
        return _invalid(
            request,
            "Ce lien n'est pas valable : il a peut-être été coupé en deux par votre messagerie. "
            "Copiez-le en entier depuis l'e-mail reçu.",
        )
    meeting = found.meeting
    if meeting.is_cancelled:
        return _invalid(
            request, "Cette réunion est annulée : il n'y a pas de réponse à donner.", 410
        )
    if meeting_is_over(meeting):
        return _invalid(request, "Cette réunion a eu lieu : ce lien n'est plus valable.", 410)
    if request.method == "POST":
        try:
            found = record_answer(answer=found, response=request.POST.get("response", ""))
        except ValidationError as error:
            messages.error(request, typography(" ".join(error.messages)))
        else:
            messages.success(
                request,
                typography(f"Votre réponse est enregistrée : « {found.get_response_display()} »."),
            )
        return redirect("groups:answer", token=token)
    return render(
        request,
        "groups/answer.html",
        {
            "answer": found,
            "meeting": meeting,
            "group": meeting.group,
            "responses": MeetingAnswer.Response.choices,
        },
    )


@require_POST
def guest_answer(request, slug, pk):
    """A guest's answer from the public meeting page: saved unconfirmed, and a confirmation
    link mailed to them."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("group", "venue"), group__slug=slug, pk=pk
    )
    if refused := refuse_public_form(request, "groups:guest-answer"):
        return refused
    form = GuestAnswerForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        # A robot filled the honeypot: it reads the same answer, nothing is saved nor sent.
        return _guest_answer_sent(request, meeting, form.cleaned_data["email"])
    if form.is_valid():
        try:
            ask_guest_answer(
                meeting=meeting,
                name=form.cleaned_data["name"],
                email=form.cleaned_data["email"],
                response=form.cleaned_data["response"],
                site_url=site_url(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return _guest_answer_sent(request, meeting, form.cleaned_data["email"])
    return render(
        request,
        "groups/guest_answer_form.html",
        {"meeting": meeting, "group": meeting.group, "form": form},
        status=400,
    )


def _guest_answer_sent(request, meeting: Meeting, email: str):
    return render(
        request,
        "groups/guest_answer_sent.html",
        {"meeting": meeting, "group": meeting.group, "email": email},
    )


@csrf_exempt  # RFC 8058: the mail client POSTs « List-Unsubscribe=One-Click » without a token
@require_http_methods(["GET", "HEAD", "POST"])
def opt_out(request, token):
    """Stop a group's invitations: GET shows a button, POST (the button, or the mail client's
    one-click unsubscribe) records it. The signed link is the only credential needed."""
    found = read_opt_out_token(token)
    if found is None:
        return _invalid(request, "Ce lien de désinscription n'est pas valable.")
    group, person = found
    if request.method == "POST":
        stop_invitations(group=group, person=person)
        return render(request, "groups/opt_out.html", {"group": group, "done": True})
    return render(request, "groups/opt_out.html", {"group": group, "done": False})
