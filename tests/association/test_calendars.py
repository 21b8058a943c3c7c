"""The iCalendar feeds and files, parsed back with the icalendar library and checked field by
field: what Outlook, Google Calendar or Thunderbird will read."""

import datetime

import icalendar
import pytest
from django.urls import reverse

from association.calendars import END_UNKNOWN_NOTE
from association.formats import typography
from events.models import Event
from groups.models import Meeting
from tests.factories import (
    EventFactory,
    MeetingFactory,
    VenueFactory,
    WorkingGroupFactory,
)
from tests.public_site import PARIS, frozen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]

# Calendars carry the identity's full name: a short name may say only « PTCE ».
FULL_NAME = "Pôle territorial de coopération économique du Val-de-Lys"


@pytest.fixture
def group():
    return WorkingGroupFactory(name="Mobilité solidaire", slug="mobilite")


@pytest.fixture
def garage():
    return VenueFactory(name="Garage solidaire", address="ZAC des Chauffours", town="Courrières")


def fetch(client, url) -> icalendar.Calendar:
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return icalendar.Calendar.from_ical(response.content)


def by_uid(calendar) -> dict[str, icalendar.Event]:
    return {str(component["UID"]): component for component in calendar.walk("VEVENT")}


def feed_url(group=None) -> str:
    if group is None:
        return reverse("site:calendar_feed")
    return reverse("groups:group_calendar", kwargs={"slug": group.slug})


def meeting_url(meeting) -> str:
    return reverse("groups:meeting_ics", kwargs={"slug": meeting.group.slug, "pk": meeting.pk})


@frozen()
def test_a_meeting_in_the_group_feed_field_by_field(client, group, garage):
    meeting = MeetingFactory(
        group=group,
        date=datetime.date(2025, 9, 12),
        start_time=datetime.time(9),
        end_time=datetime.time(11, 30),
        venue=garage,
        agenda="Bilan des ateliers mobiles.",
    )
    calendar = fetch(client, feed_url(group))

    assert str(calendar["X-WR-CALNAME"]) == f"Mobilité solidaire — {FULL_NAME}"
    assert str(calendar["VERSION"]) == "2.0"
    assert "PTCE Val-de-Lys" in str(calendar["PRODID"])
    event = by_uid(calendar)[f"meeting-{meeting.pk}@testserver"]
    assert str(event["SUMMARY"]) == "Réunion — Mobilité solidaire"
    start, end = event.decoded("DTSTART"), event.decoded("DTEND")
    assert start == datetime.datetime(2025, 9, 12, 9, tzinfo=PARIS)
    assert end == datetime.datetime(2025, 9, 12, 11, 30, tzinfo=PARIS)
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert "TZID=Europe/Paris:20250912T090000" in event.to_ical().decode()
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    assert str(event["LOCATION"]) == "Garage solidaire, ZAC des Chauffours, Courrières"
    assert str(event["URL"]) == f"http://testserver{meeting.get_absolute_url()}"
    assert "Bilan des ateliers mobiles." in str(event["DESCRIPTION"])
    assert str(event["STATUS"]) == "CONFIRMED"
    assert event.decoded("SEQUENCE") == 0
    assert event.decoded("LAST-MODIFIED") == meeting.updated_at


def test_uid_is_stable_sequence_grows_and_last_modified_follows_each_edit(client, group, garage):
    with frozen(datetime.date(2025, 8, 1)):
        meeting = MeetingFactory(group=group, date=datetime.date(2025, 9, 12), venue=garage)
        first = by_uid(fetch(client, feed_url(group)))
    with frozen(datetime.date(2025, 8, 20), hour=16):
        meeting.start_time = datetime.time(10)
        meeting.save()
        second = by_uid(fetch(client, feed_url(group)))

    uid = f"meeting-{meeting.pk}@testserver"
    assert set(first) == set(second) == {uid}
    assert second[uid].decoded("SEQUENCE") > first[uid].decoded("SEQUENCE")
    assert second[uid].decoded("LAST-MODIFIED") == datetime.datetime(2025, 8, 20, 16, tzinfo=PARIS)
    assert second[uid].decoded("LAST-MODIFIED") > first[uid].decoded("LAST-MODIFIED")
    assert second[uid].decoded("DTSTART") == datetime.datetime(2025, 9, 12, 10, tzinfo=PARIS)


@frozen()
def test_a_meeting_without_hour_is_an_all_day_entry(client, group, garage):
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 10, 1), start_time=None)
    event = by_uid(fetch(client, meeting_url(meeting)))[f"meeting-{meeting.pk}@testserver"]
    assert event["DTSTART"].params.get("VALUE") == "DATE"
    assert event.decoded("DTSTART") == datetime.date(2025, 10, 1)
    assert event.decoded("DTEND") == datetime.date(2025, 10, 2)
    assert "Horaire non communiqué" in str(event["DESCRIPTION"])


@frozen()
def test_a_start_without_end_gets_a_default_length_in_the_feed_only(client, group):
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 10, 7), end_time=None)
    event = by_uid(fetch(client, feed_url()))[f"meeting-{meeting.pk}@testserver"]
    assert event.decoded("DTSTART") == datetime.datetime(2025, 10, 7, 14, tzinfo=PARIS)
    assert event.decoded("DTEND") == datetime.datetime(2025, 10, 7, 16, tzinfo=PARIS)
    assert typography(END_UNKNOWN_NOTE) in str(event["DESCRIPTION"])
    assert "durée indicative de 2\u00a0h dans votre agenda" in str(event["DESCRIPTION"])
    assert "Heure de fin non communiquée" in str(event["DESCRIPTION"])
    meeting.refresh_from_db()
    assert meeting.end_time is None  # never written to the database


@frozen()
def test_a_cancelled_meeting_stays_in_the_feed_as_cancelled(client, group):
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 10, 7))
    meeting.is_cancelled = True
    meeting.save()
    event = by_uid(fetch(client, feed_url(group)))[f"meeting-{meeting.pk}@testserver"]
    assert str(event["STATUS"]) == "CANCELLED"
    assert str(event["SUMMARY"]).startswith("[Annulée]")
    assert event.decoded("SEQUENCE") == 1


@frozen()
def test_a_sample_meeting_says_it_is_an_example(client, group):
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 11, 4), is_sample=True)
    event = by_uid(fetch(client, feed_url(group)))[f"meeting-{meeting.pk}@testserver"]
    assert str(event["SUMMARY"]).startswith("[Exemple]")
    assert str(event["STATUS"]) == "TENTATIVE"
    assert "pas une vraie date" in str(event["DESCRIPTION"])


@frozen()
def test_the_group_feed_holds_only_that_group_and_the_global_feed_holds_everything(client, group):
    other = WorkingGroupFactory(name="Alimentation")
    mine = MeetingFactory(group=group)
    theirs = MeetingFactory(group=other)
    seminar = EventFactory(title="Séminaire", date=datetime.date(2025, 5, 13))
    draft = EventFactory(title="Brouillon", is_published=False)

    assert set(by_uid(fetch(client, feed_url(group)))) == {f"meeting-{mine.pk}@testserver"}
    everything = fetch(client, feed_url())
    assert str(everything["X-WR-CALNAME"]) == f"Agenda — {FULL_NAME}"
    assert set(by_uid(everything)) == {
        f"meeting-{mine.pk}@testserver",
        f"meeting-{theirs.pk}@testserver",
        f"event-{seminar.pk}@testserver",
    }
    assert f"event-{draft.pk}@testserver" not in by_uid(everything)


@frozen()
def test_an_event_file_field_by_field(client, garage):
    event = EventFactory(
        title="Petit déjeuner de l'ESS",
        slug="petit-dejeuner",
        kind=Event.Kind.BREAKFAST,
        date=datetime.date(2025, 10, 14),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10),
        venue=garage,
        summary="Rencontre des acteurs de l'ESS.",
    )
    response = client.get(reverse("events:event_ics", kwargs={"slug": event.slug}))
    assert response["Content-Disposition"] == 'attachment; filename="petit-dejeuner.ics"'
    calendar = icalendar.Calendar.from_ical(response.content)
    entry = by_uid(calendar)[f"event-{event.pk}@testserver"]
    assert str(calendar["X-WR-CALNAME"]) == "Petit déjeuner de l'ESS"
    assert str(entry["SUMMARY"]) == "Petit déjeuner de l'ESS"
    assert entry.decoded("DTSTART") == datetime.datetime(2025, 10, 14, 8, 30, tzinfo=PARIS)
    assert entry.decoded("DTEND") == datetime.datetime(2025, 10, 14, 10, tzinfo=PARIS)
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"
    assert str(entry["LOCATION"]) == "Garage solidaire, ZAC des Chauffours, Courrières"
    assert str(entry["URL"]) == "http://testserver/evenements/petit-dejeuner/"
    assert "Rencontre des acteurs de l'ESS." in str(entry["DESCRIPTION"])
    assert entry.decoded("LAST-MODIFIED") == event.updated_at
    assert [str(c) for c in entry.categories] == ["Petit déjeuner"]


def test_a_cancelled_event_is_cancelled_in_calendars_and_its_sequence_grows(client):
    with frozen(datetime.date(2025, 9, 1)):
        event = EventFactory(slug="ag", date=datetime.date(2025, 10, 1))
        before = by_uid(fetch(client, reverse("events:event_ics", kwargs={"slug": "ag"})))
    with frozen(datetime.date(2025, 9, 2)):
        event.is_cancelled = True
        event.save()
        after = by_uid(fetch(client, reverse("events:event_ics", kwargs={"slug": "ag"})))
    uid = f"event-{event.pk}@testserver"
    assert str(before[uid]["STATUS"]) == "CONFIRMED"
    assert str(after[uid]["STATUS"]) == "CANCELLED"
    assert after[uid].decoded("SEQUENCE") == before[uid].decoded("SEQUENCE") + 1


def test_an_unpublished_event_has_no_calendar_file(client):
    EventFactory(slug="brouillon", is_published=False)
    response = client.get(reverse("events:event_ics", kwargs={"slug": "brouillon"}))
    assert response.status_code == 404


def test_a_meeting_file_is_a_download_named_after_the_group_and_date(client, group):
    meeting = MeetingFactory(group=group, date=datetime.date(2025, 9, 12))
    response = client.get(meeting_url(meeting))
    assert response["Content-Disposition"] == (
        'attachment; filename="reunion-mobilite-2025-09-12.ics"'
    )
    feed = client.get(feed_url(group))
    assert feed["Content-Disposition"].startswith("inline")


def test_a_meeting_file_under_another_group_is_not_found(client, group):
    meeting = MeetingFactory(group=WorkingGroupFactory())
    url = reverse("groups:meeting_ics", kwargs={"slug": group.slug, "pk": meeting.pk})
    assert client.get(url).status_code == 404


def test_an_empty_feed_is_still_a_valid_named_calendar(client, group):
    calendar = fetch(client, feed_url(group))
    assert str(calendar["X-WR-CALNAME"]) == f"Mobilité solidaire — {FULL_NAME}"
    assert calendar.walk("VEVENT") == []


def test_feeds_refuse_other_methods_than_get(client, group):
    assert client.post(feed_url(group)).status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        feed_url(),
        "/groupes/mobilite/calendrier.ics",
        "/robots.txt",
        "/theme.css",
    ],
)
def test_feeds_answer_head_requests_like_get(client, group, url):
    # Link checkers, proxies and some calendar applications probe a subscription with HEAD
    # before fetching it: a 405 there reads as a broken feed.
    response = client.head(url)
    assert response.status_code == 200
    assert response["Content-Type"] == client.get(url)["Content-Type"]


def test_feeds_carry_their_refresh_interval_as_rfc_5545_durations(client, group):
    response = client.get(feed_url())
    lines = response.content.decode().split("\r\n")
    # Outlook reads X-PUBLISHED-TTL, others REFRESH-INTERVAL: both must be DURATION values.
    assert "X-PUBLISHED-TTL:PT6H" in lines
    # RFC 7986 5.7: the VALUE=DURATION parameter is required, not implied.
    assert "REFRESH-INTERVAL;VALUE=DURATION:PT6H" in lines
    assert sum(line.startswith("REFRESH-INTERVAL") for line in lines) == 1


def uids_by_host(client, url, hosts) -> list[set[str]]:
    return [set(by_uid(fetch_from(client, url, host))) for host in hosts]


def fetch_from(client, url, host) -> icalendar.Calendar:
    response = client.get(url, HTTP_HOST=host)
    assert response.status_code == 200
    return icalendar.Calendar.from_ical(response.content)


HOSTS = ["www.ptce-hc.fr", "ptce-hc.fr:443"]


@frozen()
@pytest.mark.parametrize(
    "url_of",
    [lambda meeting: feed_url(), lambda meeting: feed_url(meeting.group), meeting_url],
    ids=["agenda", "group", "meeting"],
)
def test_uids_take_the_identitys_website_not_the_address_used(
    client, settings, identity, group, url_of
):
    settings.ALLOWED_HOSTS = ["www.ptce-hc.fr", "ptce-hc.fr"]
    identity.website = "https://www.PTCE-hc.fr/accueil/"
    identity.save()
    meeting = MeetingFactory(group=group)
    www, bare = uids_by_host(client, url_of(meeting), HOSTS)
    assert www == bare == {f"meeting-{meeting.pk}@www.ptce-hc.fr"}


@frozen()
def test_a_uid_domain_set_by_the_operator_wins(client, settings, identity, group):
    settings.ALLOWED_HOSTS = ["www.ptce-hc.fr", "ptce-hc.fr"]
    settings.CALENDAR_UID_DOMAIN = "portail.ptce-hc.fr"
    identity.website = "https://www.ptce-hc.fr/"
    identity.save()
    event = EventFactory()
    www, bare = uids_by_host(client, feed_url(), HOSTS)
    assert www == bare == {f"event-{event.pk}@portail.ptce-hc.fr"}
    calendar = fetch_from(client, feed_url(), "ptce-hc.fr")
    assert str(calendar["UID"]) == "calendar-agenda@portail.ptce-hc.fr"


@frozen()
def test_without_website_nor_setting_the_uid_takes_the_sites_address(client, settings, group):
    """Not the host a subscriber used: the site's address (SITE_URL), without its port."""
    settings.ALLOWED_HOSTS = ["ptce-hc.fr", "autre.example"]
    settings.SITE_URL = "https://ptce-hc.fr:8000"
    meeting = MeetingFactory(group=group)
    (uids,) = uids_by_host(client, feed_url(group), ["autre.example"])
    assert uids == {f"meeting-{meeting.pk}@ptce-hc.fr"}


@frozen()
def test_an_unchanged_feed_answers_304_to_if_none_match_and_a_changed_one_200(client, group):
    meeting = MeetingFactory(group=group)
    first = client.get(feed_url(group))
    etag = first["ETag"]

    again = client.get(feed_url(group), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""

    meeting.agenda = "Bilan de l'année."
    meeting.save()
    changed = client.get(feed_url(group), HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@frozen(datetime.date(2026, 3, 2))
def test_feeds_hold_the_last_twelve_months_and_the_next_twelve(client, group):
    old = MeetingFactory(group=group, date=datetime.date(2025, 3, 1))
    recent = MeetingFactory(group=group, date=datetime.date(2025, 3, 2))
    coming = MeetingFactory(group=group, date=datetime.date(2027, 3, 2))
    too_far = MeetingFactory(group=group, date=datetime.date(2027, 3, 3))
    old_event = EventFactory(date=datetime.date(2024, 11, 20))
    recent_event = EventFactory(date=datetime.date(2025, 12, 4))
    kept = {f"meeting-{recent.pk}@testserver", f"meeting-{coming.pk}@testserver"}

    assert set(by_uid(fetch(client, feed_url(group)))) == kept
    assert set(by_uid(fetch(client, feed_url()))) == kept | {f"event-{recent_event.pk}@testserver"}
    # Older and later items stay on the site and in their own .ics file.
    assert fetch(client, meeting_url(old)).walk("VEVENT")
    assert fetch(client, meeting_url(too_far)).walk("VEVENT")
    # The feed says what it holds.
    description = str(fetch(client, feed_url())["X-WR-CALDESC"])
    assert "des douze derniers mois et des douze mois à venir" in description
    assert client.get(old_event.get_absolute_url()).status_code == 200


def test_twelve_months_back_from_29_february():

    group = WorkingGroupFactory()
    kept = MeetingFactory(group=group, date=datetime.date(2023, 2, 28))
    MeetingFactory(group=group, date=datetime.date(2023, 2, 27))
    assert list(Meeting.objects.in_calendar_feed(datetime.date(2024, 2, 29))) == [kept]


@frozen()
def test_uids_stay_when_the_coordinator_edits_the_website(client, settings, identity, group):
    """The domain is fixed the first time a calendar is built: a new website address later
    must not make every subscriber see each meeting twice."""
    settings.ALLOWED_HOSTS = ["www.ptce-hc.fr", "ptce-hc.fr", "portail.example.org"]
    identity.website = "https://www.ptce-hc.fr/"
    identity.save()
    meeting = MeetingFactory(group=group)
    (before,) = uids_by_host(client, feed_url(group), ["ptce-hc.fr"])

    identity.refresh_from_db()
    identity.website = "https://portail.example.org/"
    identity.save()
    (after,) = uids_by_host(client, feed_url(group), ["portail.example.org"])

    assert before == after == {f"meeting-{meeting.pk}@www.ptce-hc.fr"}
    identity.refresh_from_db()
    assert identity.calendar_uid_domain == "www.ptce-hc.fr"
