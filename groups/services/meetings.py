"""Workflows of the working groups, called by the admin (and later by views)."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format

from groups.models import Meeting
from groups.services.invitations import notify_meeting_change


def _describe(meeting: Meeting) -> str:
    return f"La réunion « {meeting.group} » du {date_format(meeting.date, 'l j F Y')}"


@transaction.atomic
def cancel_meeting(*, meeting: Meeting, site_url: str = "") -> Meeting:
    """Mark a meeting as cancelled. It is saved (not updated in bulk) so that its version
    grows and subscribed calendars show the cancellation; those who said they would come (or
    might) are told at once, by e-mail (links to `site_url`)."""
    if meeting.is_cancelled:
        return meeting
    if meeting.status == Meeting.Status.HELD:
        raise ValidationError(
            f"{_describe(meeting)} a eu lieu\u00a0: elle ne peut pas être annulée.",
            code="already_held",
        )
    meeting.is_cancelled = True
    if meeting.series_id:
        meeting.edited_by_hand = True
    meeting.save()
    if meeting.invitations_sent_at and site_url:
        notify_meeting_change(meeting=meeting, site_url=site_url, what="annulée")
    return meeting


@transaction.atomic
def mark_meeting_held(*, meeting: Meeting, now: datetime.datetime | None = None) -> Meeting:
    """Record that a meeting took place; a meeting not started yet cannot have been held."""
    if meeting.status == Meeting.Status.HELD:
        return meeting
    if not meeting.has_started(now):
        raise ValidationError(
            f"{_describe(meeting)} n'a pas encore commencé\u00a0: elle ne peut pas encore être "
            "marquée comme tenue.",
            code="not_yet_held",
        )
    meeting.status = Meeting.Status.HELD
    meeting.save()
    return meeting
