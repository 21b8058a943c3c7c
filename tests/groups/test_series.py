"""Series of meetings: one RRULE, each occurrence a real meeting; the local hour kept across the
daylight-saving changes; a change of the series reaches only the occurrences nobody edited."""

import datetime
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Meeting, MeetingMailKind, MeetingSeries
from groups.models.series import build_rule
from groups.services.series import plan_series
from outbox.models import OutgoingMail
from tests.factories import (
    MeetingAnswerFactory,
    MeetingSeriesFactory,
    VenueFactory,
    WorkingGroupFactory,
)
from tests.public_site import frozen

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")
TODAY = datetime.date(2025, 9, 1)


def test_the_rule_is_built_in_icalendar_form_and_said_in_french():
    rule = build_rule(frequency="MONTHLY", interval=2, weekday=1, week_of_month=2, count=6)
    assert rule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=6"
    series = MeetingSeries(
        rule=rule,
        first_date=datetime.date(2025, 10, 14),
        start_time=datetime.time(14),
        end_time=datetime.time(16),
    )
    assert series.describe() == "le 2e mardi, un mois sur deux, de\u00a014\u00a0h à\u00a016\u00a0h"
    assert series.dates() == [
        datetime.date(2025, 10, 14),
        datetime.date(2025, 12, 9),
        datetime.date(2026, 2, 10),
        datetime.date(2026, 4, 14),
        datetime.date(2026, 6, 9),
        datetime.date(2026, 8, 11),
    ]


@frozen(TODAY)
def test_each_occurrence_is_a_real_meeting_at_the_local_hour_across_both_dst_changes(client):
    """Weekly on Mondays at 14 h from October to April: the clocks go back on 26 October 2025
    and forward on 29 March 2026; every meeting stays at 14 h, Paris time."""
    series = MeetingSeriesFactory(
        rule="FREQ=WEEKLY;INTERVAL=1;BYDAY=MO;UNTIL=20260406T235959",
        first_date=datetime.date(2025, 10, 20),
    )
    outcome = plan_series(series=series)
    meetings = list(series.meetings.order_by("date"))
    assert len(outcome.created) == len(meetings) == 25
    assert {m.start_time for m in meetings} == {datetime.time(14)}

    feed = client.get(reverse("groups:group_calendar", kwargs={"slug": series.group.slug}))
    starts = {
        component.decoded("DTSTART").date(): component.decoded("DTSTART")
        for component in icalendar.Calendar.from_ical(feed.content).walk("VEVENT")
    }
    for day, utc_hour in [
        (datetime.date(2025, 10, 20), 12),  # summer time, UTC+2
        (datetime.date(2025, 10, 27), 13),  # winter time, UTC+1
        (datetime.date(2026, 3, 23), 13),
        (datetime.date(2026, 3, 30), 12),  # summer time again
    ]:
        start = starts[day]
        assert start.astimezone(PARIS).hour == 14
        assert start.astimezone(datetime.UTC).hour == utc_hour


@frozen(TODAY)
def test_no_meeting_on_christmas_eve_christmas_new_years_eve_or_new_years_day():
    series = MeetingSeriesFactory(
        rule="FREQ=WEEKLY;INTERVAL=1;BYDAY=WE;COUNT=10", first_date=datetime.date(2025, 12, 3)
    )
    days = {m.date for m in plan_series(series=series).created}
    assert datetime.date(2025, 12, 24) not in days and datetime.date(2025, 12, 31) not in days
    assert datetime.date(2025, 12, 17) in days and datetime.date(2026, 1, 7) in days


@frozen(TODAY)
def test_changing_the_series_leaves_the_occurrences_edited_by_hand_and_says_which(
    coordinator_client,
):
    series = MeetingSeriesFactory()
    plan_series(series=series)
    first, second, *_rest = series.meetings.order_by("date")
    # The coordinator moves one occurrence and cancels another, each on its own page.
    elsewhere = VenueFactory(name="Salle des fêtes")
    url = reverse("admin:groups_meeting_change", args=[first.pk])
    page = coordinator_client.get(url)
    data = {
        "group": first.group_id,
        "date": "2025-10-16",
        "start_time": "14:00",
        "end_time": "16:00",
        "venue": elsewhere.pk,
        "status": "planned",
        "agenda": "",
        "minutes": "",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
        "minutes_visibility": "unpublished",
    }
    assert page.status_code == 200
    assert coordinator_client.post(url, data).status_code == 302
    second.is_cancelled = True
    second.edited_by_hand = True
    second.save()

    series.start_time, series.end_time = datetime.time(9, 30), datetime.time(12)
    series.save()
    outcome = plan_series(series=series)

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.date, first.start_time, first.venue) == (
        datetime.date(2025, 10, 16),
        datetime.time(14),
        elsewhere,
    )
    assert second.is_cancelled and second.start_time == datetime.time(14)
    others = series.meetings.exclude(pk__in=[first.pk, second.pk])
    assert {m.start_time for m in others} == {datetime.time(9, 30)}
    assert len(outcome.updated) == 4
    assert outcome.left_alone == [first, second]
    message = outcome.message()
    assert "4 réunions mises à jour" in message
    assert "modifiées à la main" in message and "jeudi 16\u00a0octobre 2025" in message


@frozen(TODAY)
def test_who_said_yes_or_maybe_to_an_invited_occurrence_is_told_when_the_series_moves_it():
    series = MeetingSeriesFactory()
    plan_series(series=series)
    invited, *_rest = series.meetings.order_by("date")
    invited.invitations_sent_at = timezone.now()
    invited.save()
    coming = MeetingAnswerFactory(meeting=invited, response="yes")
    MeetingAnswerFactory(meeting=invited, response="no")

    series.agenda = "Point sur le maraîchage."  # the agenda alone: nobody is told
    series.save()
    assert plan_series(series=series, site_url="https://portail.example.org").told == 0
    series.start_time, series.end_time = datetime.time(9, 30), datetime.time(12)
    series.save()
    outcome = plan_series(series=series, site_url="https://portail.example.org")

    assert outcome.told == 1
    assert outcome.message().endswith("Prévenu par e-mail\u00a0: 1.")
    (mail,) = OutgoingMail.objects.filter(kind=MeetingMailKind.CHANGE)
    assert mail.recipient == coming.person.email
    assert "est déplacée" in mail.body_text and "de\u00a09\u00a0h\u00a030" in mail.body_text


@frozen(TODAY)
def test_a_shorter_series_removes_the_future_occurrences_it_no_longer_gives():
    series = MeetingSeriesFactory()
    plan_series(series=series)
    series.rule = "FREQ=MONTHLY;INTERVAL=2;BYDAY=2TU;COUNT=3"
    series.save()
    outcome = plan_series(series=series)
    assert outcome.removed == [
        datetime.date(2026, 4, 14),
        datetime.date(2026, 6, 9),
        datetime.date(2026, 8, 11),
    ]
    assert series.meetings.count() == 3


@frozen(TODAY)
def test_the_coordinator_plans_a_year_of_meetings_in_one_step(coordinator_client):
    group = WorkingGroupFactory(name="Alimentation durable", slug="alimentation")
    venue = VenueFactory()
    response = coordinator_client.post(
        reverse("admin:groups_meetingseries_add"),
        {
            "group": group.pk,
            "first_date": "2025-10-07",
            "start_time": "14:00",
            "end_time": "16:00",
            "venue": venue.pk,
            "frequency": "MONTHLY",
            "interval": "2",
            "weekday": "1",
            "week_of_month": "1",
            "until": "2026-07-31",
            "count": "",
            "agenda": "Point sur le maraîchage de Drocourt.",
        },
        follow=True,
    )
    assert response.status_code == 200
    series = MeetingSeries.objects.get()
    assert series.rule == "FREQ=MONTHLY;INTERVAL=2;BYDAY=1TU;UNTIL=20260731T235959"
    assert "5 réunions créées" in response.content.decode()
    assert list(Meeting.objects.values_list("date", flat=True).order_by("date")) == [
        datetime.date(2025, 10, 7),
        datetime.date(2025, 12, 2),
        datetime.date(2026, 2, 3),
        datetime.date(2026, 4, 7),
        datetime.date(2026, 6, 2),
    ]
    assert set(Meeting.objects.values_list("agenda", flat=True)) == {
        "Point sur le maraîchage de Drocourt."
    }


@frozen(TODAY)
def test_a_series_without_an_end_is_refused_in_french(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:groups_meetingseries_add"),
        {
            "group": WorkingGroupFactory().pk,
            "first_date": "2025-10-07",
            "start_time": "14:00",
            "frequency": "MONTHLY",
            "interval": "1",
            "weekday": "1",
            "week_of_month": "1",
        },
    )
    assert response.status_code == 200
    assert "Indiquez une date de fin ou un nombre de réunions." in response.content.decode()
    assert not MeetingSeries.objects.exists()


@frozen(TODAY)
def test_a_saved_series_keeps_its_group(coordinator_client):
    """Its meetings are the group's: the form no longer offers the group once saved (moving
    it left the meetings behind, and said « Aucune réunion à changer »)."""
    series = MeetingSeriesFactory(
        rule="FREQ=MONTHLY;INTERVAL=1;BYDAY=1TU;COUNT=3", first_date=datetime.date(2025, 10, 7)
    )
    plan_series(series=series)
    other = WorkingGroupFactory()
    url = reverse("admin:groups_meetingseries_change", args=[series.pk])
    assert 'name="group"' not in coordinator_client.get(url).content.decode()
    response = coordinator_client.post(
        url,
        {
            "group": other.pk,
            "first_date": "2025-10-07",
            "start_time": "15:00",
            "frequency": "MONTHLY",
            "interval": "1",
            "weekday": "1",
            "week_of_month": "1",
            "count": "3",
        },
        follow=True,
    )
    assert "3 réunions mises à jour" in response.content.decode()
    series.refresh_from_db()
    assert series.group != other
    assert set(series.meetings.values_list("group", "start_time")) == {
        (series.group_id, datetime.time(15))
    }
