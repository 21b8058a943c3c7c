"""make_sample_meetings: upcoming demo meetings in each group's rhythm, replaced on each run,
refused outside DEBUG."""

import datetime
import io
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command

from groups.models import Meeting, MeetingSeries
from ptce.demo.samples import make_sample_meetings
from tests.factories import MeetingFactory, VenueFactory, WorkingGroupFactory
from tests.public_site import frozen

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 11, 23)  # a Monday, long after the newsletter's meetings


@pytest.fixture
def debug(settings):
    settings.DEBUG = True


@pytest.fixture
def mobility():
    group = WorkingGroupFactory(name="Mobilité")
    garage = VenueFactory(name="Garage solidaire")
    MeetingFactory(group=group, date=datetime.date(2025, 9, 12), start_time=datetime.time(9))
    # The last real meeting sets the rhythm: a Friday at 9 h at the garage.
    MeetingFactory(
        group=group,
        date=datetime.date(2025, 11, 14),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
        venue=garage,
    )
    return group


@frozen(TODAY)
def test_one_sample_series_per_group_in_its_rhythm_weekday_hour_and_place(debug, mobility):
    out = io.StringIO()
    call_command("make_sample_meetings", stdout=out)
    assert "8 réunion(s) d'exemple créée(s) pour 1 groupe(s)" in out.getvalue()

    last = Meeting.objects.filter(is_sample=False).order_by("date").last()
    (series,) = MeetingSeries.objects.filter(is_sample=True)
    assert series.group == mobility
    assert series.rule == "FREQ=WEEKLY;INTERVAL=7;BYDAY=FR;UNTIL=20271123T235959"
    samples = list(Meeting.objects.samples().order_by("date"))
    assert all(s.series == series for s in samples)
    assert all(s.date.weekday() == last.date.weekday() == 4 for s in samples)  # Fridays
    assert all(
        s.start_time == datetime.time(9) and s.end_time == datetime.time(11) for s in samples
    )
    assert all(s.venue == last.venue for s in samples)
    assert {(b.date - a.date).days for a, b in itertools.pairwise(samples)} == {49}
    assert samples[0].date > TODAY
    assert samples[0].date - TODAY <= datetime.timedelta(weeks=7)
    within_a_year = [s for s in samples if s.date <= TODAY + relativedelta(years=1)]
    assert len(within_a_year) >= 6
    assert all(s.status == Meeting.Status.PLANNED for s in samples)


@pytest.mark.parametrize("weekday_offset", range(7))
def test_never_on_christmas_or_new_year_whatever_the_rhythm(debug, weekday_offset):
    """Over every weekday and a whole cycle of eight weeks, no sample lands on 24, 25 or
    31 December or 1 January, and each group keeps six in the coming twelve months."""
    group = WorkingGroupFactory()
    for shift in range(0, 56, 7):
        Meeting.objects.all().delete()
        MeetingFactory(
            group=group,
            date=datetime.date(2025, 11, 3) + datetime.timedelta(days=weekday_offset + shift),
            start_time=datetime.time(14),
        )
        today = datetime.date(2025, 11, 20) + datetime.timedelta(days=shift)
        make_sample_meetings(today=today)
        days = list(Meeting.objects.samples().values_list("date", flat=True))
        assert not {(d.month, d.day) for d in days} & {(12, 24), (12, 25), (12, 31), (1, 1)}
        assert len([d for d in days if d <= today + relativedelta(years=1)]) >= 6


@frozen(TODAY)
def test_running_again_replaces_the_previous_samples_and_never_touches_real_meetings(
    debug, mobility
):
    make_sample_meetings()
    first_ids = set(Meeting.objects.samples().values_list("pk", flat=True))
    real_before = set(Meeting.objects.filter(is_sample=False).values_list("pk", "date"))

    make_sample_meetings()

    assert Meeting.objects.samples().count() == len(first_ids)
    assert not first_ids & set(Meeting.objects.samples().values_list("pk", flat=True))
    assert set(Meeting.objects.filter(is_sample=False).values_list("pk", "date")) == real_before


@frozen(TODAY)
def test_groups_that_never_met_or_are_inactive_get_no_samples(debug, mobility):
    WorkingGroupFactory(name="Sans réunion")
    asleep = WorkingGroupFactory(name="En sommeil", is_active=False)
    MeetingFactory(group=asleep, date=datetime.date(2025, 10, 1))
    make_sample_meetings()
    assert set(Meeting.objects.samples().values_list("group__name", flat=True)) == {"Mobilité"}


@frozen(TODAY)
def test_a_cancelled_last_meeting_does_not_set_the_rhythm(debug, mobility):
    MeetingFactory(group=mobility, date=datetime.date(2025, 12, 2), is_cancelled=True)
    make_sample_meetings()
    assert {s.date.weekday() for s in Meeting.objects.samples()} == {4}


def test_refuses_to_run_when_debug_is_off(settings, mobility):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusé : DEBUG est désactivé"):
        call_command("make_sample_meetings")
    assert not Meeting.objects.samples().exists()
