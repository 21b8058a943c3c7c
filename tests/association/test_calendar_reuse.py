"""A VEVENT is built once and reused until what it is made of changes (calendars.py)."""

from association.calendars import calendar_origin, event_component, meeting_component
from groups.models import Meeting
from tests.factories import EventFactory, MeetingFactory, SiteIdentityFactory, VenueFactory


def _meeting(pk):
    return Meeting.objects.select_related("group", "venue").get(pk=pk)


def test_a_meeting_entry_is_reused_until_the_meeting_its_group_or_venue_changes(db):
    SiteIdentityFactory(website="https://portail.example.org/")
    origin = calendar_origin("http://testserver")
    meeting = MeetingFactory(venue=VenueFactory())
    first = meeting_component(_meeting(meeting.pk), origin=origin)
    assert meeting_component(_meeting(meeting.pk), origin=origin) is first

    changed = []
    for change in (
        lambda m: setattr(m, "agenda", "Nouvel ordre du jour") or m.save(),
        lambda m: setattr(m.group, "name", "Groupe renommé") or m.group.save(),
        lambda m: setattr(m.venue, "town", "Carvin-Sud") or m.venue.save(),
    ):
        change(_meeting(meeting.pk))
        changed.append(meeting_component(_meeting(meeting.pk), origin=origin))
    assert len({id(component) for component in [first, *changed]}) == 4
    assert "Carvin-Sud" in str(changed[-1]["LOCATION"])


def test_an_entry_read_from_another_address_is_built_again(db):
    SiteIdentityFactory()
    event = EventFactory()
    here = event_component(event, origin=calendar_origin("http://a.example"))
    there = event_component(event, origin=calendar_origin("http://b.example"))
    assert here is not there
    assert "b.example" in str(there["URL"])


def test_a_feed_written_from_reused_entries_is_the_library_s_own_text(db):
    from association.calendars import build_calendar, to_ical

    SiteIdentityFactory()
    origin = calendar_origin("http://testserver")
    meetings = [MeetingFactory(venue=VenueFactory()) for _ in range(3)]
    components = [meeting_component(_meeting(m.pk), origin=origin) for m in meetings]
    components.append(event_component(EventFactory(start_time=None), origin=origin))
    calendar = build_calendar(
        origin=origin,
        path="/agenda/calendrier.ics",
        key="t",
        name="Agenda",
        description="Tout",
        components=components,
    )
    assert to_ical(calendar) == calendar.to_ical()
    assert to_ical(calendar).count(b"BEGIN:VTIMEZONE") == 1


def test_a_feed_after_one_edit_loads_and_builds_only_the_edited_entry(
    db, django_assert_num_queries, monkeypatch
):
    from association import calendars
    from association.calendars import meeting_entries
    from tests.factories import WorkingGroupFactory

    SiteIdentityFactory()
    origin = calendar_origin("http://testserver")
    group = WorkingGroupFactory()
    meetings = [MeetingFactory(group=group, venue=VenueFactory()) for _ in range(5)]
    MeetingFactory(group=group, venue=None)
    feed = Meeting.objects.order_by("date", "pk")
    first = meeting_entries(feed, origin=origin)
    assert len(first) == 6

    built = []
    real = calendars._meeting_component
    monkeypatch.setattr(
        calendars, "_meeting_component", lambda m, **kw: built.append(m.pk) or real(m, **kw)
    )
    with django_assert_num_queries(1):  # the rows as values: every entry is kept
        again = meeting_entries(feed, origin=origin)
    assert [id(e) for e in again] == [id(e) for e in first] and built == []

    edited = Meeting.objects.get(pk=meetings[2].pk)
    edited.agenda = "Un autre ordre du jour"
    edited.save()
    with django_assert_num_queries(2):  # the rows, then the edited meeting alone
        after = meeting_entries(feed, origin=origin)
    assert built == [edited.pk]
    assert "Un autre ordre du jour" in after[
        [m.pk for m in feed].index(edited.pk)
    ].to_ical().decode().replace("\r\n ", "")
    assert sum(a is not b for a, b in zip(first, after, strict=True)) == 1
