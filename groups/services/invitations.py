"""Invitations to a group's meetings, the answers (« Je viens », « Je ne viens pas »,
« Peut-être »), guests' answers confirmed by e-mail, opting out of a group's invitations, and
the notices sent when a meeting is moved or cancelled.

Every link in these mails is signed (association.signed_links, one salt per use) and personal:
opening it never changes anything, a button on the page does (mail scanners open links)."""

import datetime

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from association import calendars, formats
from association.identity import get_site_identity
from association.signed_links import sign_ids, unsign_ids
from audit.registry import log_bulk_create, update_logged
from groups.models import (
    InvitationOptOut,
    Meeting,
    MeetingAnswer,
    MeetingMailKind,
    WorkingGroup,
)
from members.models import Person
from outbox.models import OutgoingMail
from outbox.services import queue_templated_mail, queue_templated_mails

ANSWER_SALT = "groups.meeting-answer"
OPT_OUT_SALT = "groups.invitation-opt-out"


# --- Who is invited ---------------------------------------------------------------------------


def participants(group: WorkingGroup) -> QuerySet:
    """The people a group's invitations go to: its participants, directly or through a
    participant structure, with an e-mail address, not anonymised, and who did not stop them."""
    return (
        Person.objects.filter(Q(working_groups=group) | Q(structure__working_groups=group))
        .exclude(email="")
        .filter(anonymised_at__isnull=True)
        .exclude(invitation_opt_outs__group=group)
        .select_related("structure")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


# --- Signed links ----------------------------------------------------------------------------


def answer_token(answer: MeetingAnswer) -> str:
    return sign_ids(answer.pk, salt=ANSWER_SALT)


def read_answer_token(token: str) -> MeetingAnswer | None:
    """The answer a link is for, or None if the link is forged or damaged."""
    ids = unsign_ids(token, salt=ANSWER_SALT)
    if ids is None:
        return None
    (pk,) = ids
    return (
        MeetingAnswer.objects.select_related("meeting__group", "meeting__venue", "person")
        .filter(pk=pk)
        .first()
    )


def opt_out_token(*, group: WorkingGroup, person: Person) -> str:
    return sign_ids(group.pk, person.pk, salt=OPT_OUT_SALT)


def read_opt_out_token(token: str) -> tuple[WorkingGroup, Person] | None:
    ids = unsign_ids(token, salt=OPT_OUT_SALT, count=2)
    if ids is None:
        return None
    group_pk, person_pk = ids
    group = WorkingGroup.objects.filter(pk=group_pk).first()
    person = Person.objects.filter(pk=person_pk).first()
    return (group, person) if group and person else None


def meeting_is_over(meeting: Meeting, now: datetime.datetime | None = None) -> bool:
    """An answer link is valid until the meeting ends (the end of its day without an end hour)."""
    now = timezone.localtime(now or timezone.now())
    if meeting.end_time is not None:
        ends = datetime.datetime.combine(meeting.date, meeting.end_time)
    else:
        ends = datetime.datetime.combine(
            meeting.date + datetime.timedelta(days=1), datetime.time()
        )
    return now.replace(tzinfo=None) >= ends


# --- Invitations -----------------------------------------------------------------------------


def _mail_context(meeting: Meeting, site_url: str) -> dict:
    return {
        "meeting": meeting,
        "group": meeting.group,
        "when": formats.when(meeting.date, meeting.start_time, meeting.end_time),
        "site": get_site_identity(),
        "meeting_url": site_url + meeting.get_absolute_url(),
    }


def _personal_links(answer: MeetingAnswer, site_url: str) -> dict:
    links = {"answer_url": site_url + reverse("groups:answer", args=[answer_token(answer)])}
    if answer.person_id:
        token = opt_out_token(group=answer.meeting.group, person=answer.person)
        links["opt_out_url"] = site_url + reverse("groups:opt_out", args=[token])
    return links


@transaction.atomic
def send_invitations(*, meeting: Meeting, site_url: str) -> int:
    """Invite the group's participants not yet invited to `meeting`: one e-mail each, with the
    date, place, agenda, the .ics file and their personal answer link, written with the answers
    in one transaction, in a fixed number of queries whatever their number. Returns how many
    were invited. A cancelled, past or sample meeting cannot be invited to."""
    meeting = (
        Meeting.objects.select_related("group", "venue")
        .select_for_update(of=("self",))
        .get(pk=meeting.pk)
    )
    if meeting.is_cancelled:
        raise ValidationError(f"La réunion du {formats.long_date(meeting.date)} est annulée.")
    if meeting.date < timezone.localdate():
        raise ValidationError(f"La réunion du {formats.long_date(meeting.date)} est passée.")
    if meeting.is_sample:
        # A demo date on the real site: real people must not be invited to it.
        raise ValidationError(
            f"La réunion du {formats.long_date(meeting.date)} est un exemple\u00a0: "
            "décochez «\u00a0exemple\u00a0» sur sa fiche si elle a vraiment lieu, puis invitez."
        )
    now = timezone.now()
    invited = set(meeting.answers.exclude(person=None).values_list("person_id", flat=True))
    people = [p for p in participants(meeting.group) if p.pk not in invited]
    answers = MeetingAnswer.objects.bulk_create(
        [MeetingAnswer(meeting=meeting, person=person, invited_at=now) for person in people]
    )
    log_bulk_create(answers)
    # The same file as the meeting's page offers (calendars.meeting_calendar).
    calendar = calendars.meeting_calendar(meeting, origin=calendars.calendar_origin(site_url))
    ics = calendars.to_ical(calendar).decode()
    context = _mail_context(meeting, site_url)
    mails = []
    for person, answer in zip(people, answers, strict=True):
        links = _personal_links(answer, site_url)
        mails.append(
            {
                "about": meeting,
                "recipient": person.email,
                "context": {**context, "person": person, **links},
                "attachment_name": f"reunion-{meeting.date:%Y-%m-%d}.ics",
                "attachment_type": "text/calendar",
                "attachment": ics,
                "unsubscribe_url": links["opt_out_url"],
            }
        )
    queue_templated_mails(kind=MeetingMailKind.INVITATION, mails=mails)
    update_logged(Meeting.objects.filter(pk=meeting.pk), invitations_sent_at=now)
    return len(answers)


# --- Answers ---------------------------------------------------------------------------------


@transaction.atomic
def record_answer(*, answer: MeetingAnswer, response: str) -> MeetingAnswer:
    """Record (or change) an answer, until the meeting ends; never for a cancelled meeting."""
    answer = MeetingAnswer.objects.select_for_update().select_related("meeting").get(pk=answer.pk)
    if response not in MeetingAnswer.Response.values:
        raise ValidationError("Choisissez « Je viens », « Je ne viens pas » ou « Peut-être ».")
    if answer.meeting.is_cancelled:
        raise ValidationError(
            "Cette réunion est annulée\u00a0: il n'y a plus de réponse à donner."
        )
    if meeting_is_over(answer.meeting):
        raise ValidationError("Cette réunion a eu lieu\u00a0: la réponse ne peut plus changer.")
    answer.response = response
    answer.answered_at = timezone.now()
    if answer.person_id is None and answer.confirmed_at is None:
        answer.confirmed_at = answer.answered_at
    answer.save(update_fields=["response", "answered_at", "confirmed_at"])
    return answer


# Asking again with the same address mails the link again, at most this often: anyone may type
# someone else's address.
GUEST_LINK_RESEND_AFTER = datetime.timedelta(minutes=10)


@transaction.atomic
def ask_guest_answer(
    *, meeting: Meeting, name: str, email: str, response: str, site_url: str
) -> MeetingAnswer:
    """Someone who is not a participant answers from the public meeting page: the answer waits
    until they open the link mailed to them and confirm it (no account).

    Anyone may type someone else's address, so the form never changes an answer that counts:
    asking again replaces only an unconfirmed answer; a confirmed guest, or a participant
    invited to the meeting, is mailed their own link (the only way to change it), and nobody
    gets that mail more than once every `GUEST_LINK_RESEND_AFTER`. The page the form shows
    next is the same in every case: it never tells who is invited."""
    if meeting.is_cancelled or meeting_is_over(meeting):
        raise ValidationError("On ne peut plus répondre à cette réunion.")
    email = email.strip()
    answer = (
        meeting.answers.filter(
            Q(person__email__iexact=email) | Q(person=None, guest_email__iexact=email)
        )
        .select_related("person")
        .order_by(models.F("person").asc(nulls_last=True))
        .first()
    )
    if answer is None or (answer.person_id is None and answer.confirmed_at is None):
        answer, _created = MeetingAnswer.objects.update_or_create(
            meeting=meeting,
            person=None,
            guest_email__iexact=email,
            defaults={"guest_name": name, "guest_email": email, "response": response},
        )
    recently_mailed = OutgoingMail.objects.filter(
        content_type=ContentType.objects.get_for_model(Meeting),
        object_id=meeting.pk,
        kind=MeetingMailKind.ANSWER_CONFIRMATION,
        recipient__iexact=email,
        created_at__gte=timezone.now() - GUEST_LINK_RESEND_AFTER,
    )
    if recently_mailed.exists():
        return answer
    queue_templated_mail(
        about=meeting,
        kind=MeetingMailKind.ANSWER_CONFIRMATION,
        recipient=email,
        context={
            **_mail_context(meeting, site_url),
            "name": answer.name,
            "response": dict(MeetingAnswer.Response.choices).get(response, ""),
            **_personal_links(answer, site_url),
        },
    )
    return answer


def stop_invitations(*, group: WorkingGroup, person: Person) -> bool:
    """Stop a group's invitations to a person; False if they were already stopped."""
    _opt_out, created = InvitationOptOut.objects.get_or_create(group=group, person=person)
    return created


def resume_invitations(*, group: WorkingGroup, person: Person) -> bool:
    """Invitations of the group again (from the partners' space); False if they never
    stopped."""
    deleted, _ = InvitationOptOut.objects.filter(group=group, person=person).delete()
    return bool(deleted)


@transaction.atomic
def answer_as_participant(*, meeting: Meeting, person: Person, response: str) -> MeetingAnswer:
    """A participant answers from their space, invited or not yet: their answer is created if
    need be, then recorded as from an invitation's link (same rules)."""
    if not WorkingGroup.objects.taken_part_by(person).filter(pk=meeting.group_id).exists():
        raise ValidationError("Vous ne participez pas à ce groupe.")
    answer, _created = MeetingAnswer.objects.get_or_create(meeting=meeting, person=person)
    return record_answer(answer=answer, response=response)


# --- Moved or cancelled ----------------------------------------------------------------------


def notify_meeting_change(*, meeting: Meeting, site_url: str, what: str) -> int:
    """Tell those who said yes or maybe, at once, that the meeting was moved or cancelled
    (`what`: « déplacée », « annulée »…). Call it in the transaction that changed it."""
    answers = list(
        meeting.answers.filter(
            response__in=[MeetingAnswer.Response.YES, MeetingAnswer.Response.MAYBE]
        )
        .counted()
        .select_related("person")
    )
    if not answers:
        return 0
    meeting = Meeting.objects.select_related("group", "venue").get(pk=meeting.pk)
    context = {**_mail_context(meeting, site_url), "what": what}
    queue_templated_mails(
        kind=MeetingMailKind.CHANGE,
        mails=[
            {
                "about": meeting,
                "recipient": answer.email,
                "context": {**context, "name": answer.name, **_personal_links(answer, site_url)},
            }
            for answer in answers
        ],
    )
    return len(answers)
