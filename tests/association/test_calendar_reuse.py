"""A VEVENT is built once and reused until what it is made of changes (calendars.py)."""

from django.test import RequestFactory

from association.calendars import event_component, meeting_component
from groups.models import Meeting
from tests.factories import EventFactory, MeetingFactory, SiteIdentityFactory, VenueFactory


def _meeting(pk):
    return Meeting.objects.select_related("group", "venue").get(pk=pk)


def test_a_meeting_entry_is_reused_until_the_meeting_its_group_or_venue_changes(db):
    SiteIdentityFactory(website="https://portail.example.org/")
    request = RequestFactory().get("/agenda/calendrier.ics")
    meeting = MeetingFactory(venue=VenueFactory())
    first = meeting_component(_meeting(meeting.pk), request=request)
    assert meeting_component(_meeting(meeting.pk), request=request) is first

    changed = []
    for change in (
        lambda m: setattr(m, "agenda", "Nouvel ordre du jour") or m.save(),
        lambda m: setattr(m.group, "name", "Groupe renommé") or m.group.save(),
        lambda m: setattr(m.venue, "town", "Carvin-Sud") or m.venue.save(),
    ):
        change(_meeting(meeting.pk))
        changed.append(meeting_component(_meeting(meeting.pk), request=request))
    assert len({id(component) for component in [first, *changed]}) == 4
    assert "Carvin-Sud" in str(changed[-1]["LOCATION"])


def test_an_entry_read_from_another_address_is_built_again(db, settings):
    settings.ALLOWED_HOSTS = ["a.example", "b.example"]
    SiteIdentityFactory()
    event = EventFactory()
    here = event_component(event, request=RequestFactory().get("/", HTTP_HOST="a.example"))
    there = event_component(event, request=RequestFactory().get("/", HTTP_HOST="b.example"))
    assert here is not there
    assert "b.example" in str(there["URL"])


def test_a_feed_written_from_reused_entries_is_the_library_s_own_text(db):
    from association.calendars import build_calendar, to_ical

    SiteIdentityFactory()
    request = RequestFactory().get("/agenda/calendrier.ics")
    meetings = [MeetingFactory(venue=VenueFactory()) for _ in range(3)]
    components = [meeting_component(_meeting(m.pk), request=request) for m in meetings]
    components.append(event_component(EventFactory(start_time=None), request=request))
    calendar = build_calendar(
        request=request, key="t", name="Agenda", description="Tout", components=components
    )
    assert to_ical(calendar) == calendar.to_ical()
    assert to_ical(calendar).count(b"BEGIN:VTIMEZONE") == 1
