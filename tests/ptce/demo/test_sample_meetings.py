"""make_sample_meetings: upcoming demo meetings in each group's rhythm, replaced on each run,
refused outside DEBUG."""

import datetime
import io
import itertools

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import CommandError, call_command

from groups.models import Meeting
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
def test_samples_every_eight_weeks_on_the_last_meetings_weekday_hour_and_place(debug, mobility):
    out = io.StringIO()
    call_command("make_sample_meetings", stdout=out)
    assert "3 réunion(s) d'exemple créée(s) pour 1 groupe(s)" in out.getvalue()

    last = Meeting.objects.filter(is_sample=False).order_by("date").last()
    samples = list(Meeting.objects.samples().order_by("date"))
    assert samples, "samples are created"
    assert all(s.group == mobility for s in samples)
    assert all(s.date.weekday() == last.date.weekday() == 4 for s in samples)  # Fridays
    assert all(
        s.start_time == datetime.time(9) and s.end_time == datetime.time(11) for s in samples
    )
    assert all(s.venue == last.venue for s in samples)
    assert all((s.date - last.date).days % 56 == 0 for s in samples)
    gaps = {(b.date - a.date).days for a, b in itertools.pairwise(samples)}
    assert gaps == {56}
    # All upcoming, none beyond six months.
    assert samples[0].date > TODAY
    assert samples[0].date - TODAY <= datetime.timedelta(weeks=8)
    assert samples[-1].date <= TODAY + relativedelta(months=6)
    assert TODAY + relativedelta(months=6) - samples[-1].date < datetime.timedelta(weeks=8)
    assert len(samples) == 3
    assert all(s.status == Meeting.Status.PLANNED for s in samples)


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
