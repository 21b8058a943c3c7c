"""What meetings and events share (`Scheduled`): one vocabulary for cancellation, one order."""

import datetime

import pytest
from django.db import IntegrityError

from events.models import Event
from groups.models import Meeting
from tests.factories import EventFactory, MeetingFactory

DAY = datetime.date(2025, 10, 7)


@pytest.mark.django_db
@pytest.mark.parametrize("model, factory", [(Meeting, MeetingFactory), (Event, EventFactory)])
def test_an_item_without_hours_comes_first_on_its_day_on_every_database(model, factory):
    """SQLite sorts NULL first and PostgreSQL last: the queryset says which, so the agenda reads
    the same on both."""
    afternoon = factory(date=DAY, start_time=datetime.time(14))
    whole_day = factory(date=DAY, start_time=None)
    morning = factory(date=DAY, start_time=datetime.time(9))
    previous_day = factory(date=DAY - datetime.timedelta(days=1), start_time=datetime.time(18))

    upcoming = list(model.objects.upcoming(today=DAY - datetime.timedelta(days=1)))
    assert upcoming == [previous_day, whole_day, morning, afternoon]
    past = list(model.objects.past(today=DAY + datetime.timedelta(days=1)))
    assert past == [afternoon, morning, whole_day, previous_day]


@pytest.mark.django_db
@pytest.mark.parametrize("model, factory", [(Meeting, MeetingFactory), (Event, EventFactory)])
def test_meetings_and_events_are_cancelled_the_same_way(model, factory):
    kept = factory(date=DAY)
    cancelled = factory(date=DAY, is_cancelled=True)
    assert list(model.objects.not_cancelled()) == [kept]
    assert list(model.objects.cancelled()) == [cancelled]
    assert cancelled.is_cancelled and not kept.is_cancelled


@pytest.mark.django_db
def test_a_held_meeting_cannot_be_cancelled_in_the_database():
    with pytest.raises(IntegrityError):
        MeetingFactory(date=DAY, status=Meeting.Status.HELD, is_cancelled=True)


@pytest.mark.django_db
def test_the_calendar_feed_window_on_29_february_goes_back_to_28_february():
    leap_day = datetime.date(2028, 2, 29)
    inside = MeetingFactory(date=datetime.date(2027, 2, 28))
    MeetingFactory(date=datetime.date(2027, 2, 27))
    assert list(Meeting.objects.in_calendar_feed(today=leap_day)) == [inside]
