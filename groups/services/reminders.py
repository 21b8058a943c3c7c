"""Reminders of upcoming meetings, queued by `manage.py send_reminders` (cron)."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from groups.models import Meeting, MeetingMailKind, MeetingReminder
from groups.models.groups import parse_reminder_days
from groups.services.invitations import _mail_context, _personal_links
from outbox.services import queue_templated_mail


@dataclass(frozen=True)
class ReminderOutcome:
    sent: int
    already_sent: int


def send_due_reminders(*, site_url: str, today: datetime.date | None = None) -> ReminderOutcome:
    """Queue the reminders due today: for each invited meeting still to come, each delay of
    its group (default 7 and 1 days before) that has come, to those who said yes or maybe and
    those who have not answered. A reminder is recorded in the same transaction as its mail,
    under a unique constraint: two runs, even at the same moment, never send it twice (the
    second one's insert is refused and its mail rolled back with it). A delay missed by a day
    (cron down) is caught up as long as the meeting is to come."""
    today = today or timezone.localdate()
    sent = already = 0
    meetings = (
        Meeting.objects.filter(date__gt=today, invitations_sent_at__isnull=False)
        .not_cancelled()
        .select_related("group", "venue")
    )
    for meeting in meetings:
        due = [
            days
            for days in parse_reminder_days(meeting.group.reminder_days)
            if meeting.date - datetime.timedelta(days=days) <= today
        ]
        if not due:
            continue
        # Only the closest delay: a meeting planned 3 days ahead gets its « J-1 », not J-7 too.
        days = min(due)
        context = {**_mail_context(meeting, site_url), "in_days": _in_days(meeting.date - today)}
        answers = (
            meeting.answers.expected()
            .exclude(reminders__days_before=days)
            # Who stopped the group's invitations (the link in each mail, or the mail
            # client's unsubscribe) gets no reminder either.
            .exclude(person__invitation_opt_outs__group=meeting.group_id)
            .select_related("person")
        )
        for answer in answers:
            links = _personal_links(answer, site_url)
            try:
                with transaction.atomic():
                    MeetingReminder.objects.create(answer=answer, days_before=days)
                    queue_templated_mail(
                        about=meeting,
                        kind=MeetingMailKind.REMINDER,
                        recipient=answer.email,
                        context={**context, "answer": answer, "name": answer.name, **links},
                        unsubscribe_url=links.get("opt_out_url", ""),
                    )
            except IntegrityError:
                already += 1  # another run sent it a moment ago
            else:
                sent += 1
    return ReminderOutcome(sent=sent, already_sent=already)


def _in_days(delta: datetime.timedelta) -> str:
    return "demain" if delta.days == 1 else f"dans {delta.days} jours"
