"""Meeting workflows: cancelling, recording that a meeting took place."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from groups.models import Meeting
from groups.services.meetings import cancel_meeting, mark_meeting_held
from tests.factories import MeetingFactory

pytestmark = pytest.mark.django_db


def test_cancelling_a_planned_meeting_raises_its_calendar_version():
    meeting = MeetingFactory(status=Meeting.Status.PLANNED)
    cancel_meeting(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.is_cancelled
    assert meeting.sequence == 1


def test_cancelling_twice_changes_nothing_the_second_time():
    meeting = MeetingFactory(is_cancelled=True)
    cancel_meeting(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_a_held_meeting_cannot_be_cancelled():
    meeting = MeetingFactory(status=Meeting.Status.HELD, date=datetime.date(2025, 2, 27))
    with pytest.raises(ValidationError, match="jeudi 27 février 2025 a eu lieu"):
        cancel_meeting(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


@time_machine.travel("2025-10-08 10:00 +02:00", tick=False)
def test_a_past_meeting_can_be_marked_as_held():
    meeting = MeetingFactory(date=datetime.date(2025, 10, 7))
    mark_meeting_held(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD


@time_machine.travel("2025-10-07 14:00 +02:00", tick=False)
def test_a_meeting_of_today_can_be_marked_as_held_once_started():
    meeting = MeetingFactory(date=datetime.date(2025, 10, 7))
    mark_meeting_held(meeting=meeting)
    assert meeting.status == Meeting.Status.HELD


@time_machine.travel("2025-10-06 18:00 +02:00", tick=False)
def test_a_meeting_still_to_come_cannot_be_marked_as_held():
    meeting = MeetingFactory(date=datetime.date(2025, 10, 7))
    with pytest.raises(ValidationError, match="n'a pas encore commencé"):
        mark_meeting_held(meeting=meeting)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


@time_machine.travel("2025-10-07 13:59 +02:00", tick=False)
def test_a_meeting_of_today_cannot_be_marked_as_held_before_it_starts():
    meeting = MeetingFactory(date=datetime.date(2025, 10, 7), start_time=datetime.time(14))
    with pytest.raises(ValidationError, match="n'a pas encore commencé"):
        mark_meeting_held(meeting=meeting)
