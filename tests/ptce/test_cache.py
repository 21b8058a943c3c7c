"""The public pages are cached for anonymous visitors, and any save or delete of a record they
show is on the next request (ptce/cache.py, association/content.py)."""

import datetime
import pickle

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction

from association.content import content_version
from association.models import SiteIdentity, Venue
from events.models import Event, Session, SessionSpeaker
from groups.models import GroupContact, GroupLead, Meeting, Project, ProjectUpdate, WorkingGroup
from members.models import Membership, Person, Structure
from ptce.demo.volume import SMALL, TODAY, build_network, page_url
from report.models import YearlyFigures
from tests.conftest import free_port
from tests.factories import EventFactory, JoinRequestFactory, SessionFactory, StructureFactory
from tests.public_site import frozen, page_text

NEW = "Texte tout neuf"
ADDED = "Structure ajoutée"


def _lead(net):
    return GroupLead.objects.filter(group=net.group).select_related("person").first()


def _session(net):
    return Session.objects.filter(event=net.event).order_by("order").first()


def _rename(model, field="name", **lookup):
    def change(net):
        record = model.objects.get(**{k: v(net) for k, v in lookup.items()})
        setattr(record, field, NEW)
        record.save()

    return change


# (page, change, text the page shows afterwards): one for each kind of record a page shows.
SAVES = {
    "site identity": ("home", _rename(SiteIdentity, pk=lambda net: 1), NEW),
    "yearly figures": (
        "home",
        lambda net: YearlyFigures.objects.update_or_create(year=2024, defaults={"meetings": 777}),
        "777",
    ),
    "venue": ("meeting_ics", _rename(Venue, pk=lambda net: net.meeting.venue_id), NEW),
    "structure": ("structure_list", _rename(Structure, pk=lambda net: net.structure.pk), NEW),
    "person": (
        "group_detail",
        _rename(Person, "last_name", pk=lambda net: _lead(net).person_id),
        NEW.upper(),
    ),
    "working group": ("group_list", _rename(WorkingGroup, pk=lambda net: net.group.pk), NEW),
    "group lead": ("group_detail", _rename(GroupLead, "title", pk=lambda net: _lead(net).pk), NEW),
    "group contact": (
        "group_detail",
        _rename(GroupContact, "label", group=lambda net: net.group),
        NEW,
    ),
    "meeting": ("meeting_ics", _rename(Meeting, "agenda", pk=lambda net: net.meeting.pk), NEW),
    "meeting in the calendar": (
        "calendar_feed",
        _rename(Meeting, "agenda", pk=lambda net: net.meeting.pk),
        NEW,
    ),
    "project": ("group_detail", _rename(Project, slug=lambda net: "projet-0-0"), NEW),
    "project update": (
        "group_detail",
        lambda net: ProjectUpdate.objects.create(
            project=Project.objects.get(slug="projet-0-0"), date=TODAY, text=NEW
        ),
        NEW,
    ),
    "event": ("event_list", _rename(Event, "title", pk=lambda net: net.event.pk), NEW),
    "event in its feed": ("event_rss", _rename(Event, "title", pk=lambda net: net.event.pk), NEW),
    "session": ("event_detail", _rename(Session, "title", pk=lambda net: _session(net).pk), NEW),
    "session speaker": (
        "event_detail",
        _rename(SessionSpeaker, "role", pk=lambda net: _session(net).speakers.first().pk),
        NEW,
    ),
    "event organisers (many-to-many)": (
        "event_detail",
        lambda net: net.event.organisers.add(Structure.objects.get(name=ADDED)),
        ADDED,
    ),
    "a new event on its organiser's page": (
        "structure_detail",
        lambda net: EventFactory(title=NEW, date=TODAY, venue=net.event.venue).organisers.add(
            net.structure
        ),
        NEW,
    ),
    "a new session on its facilitator's page": (
        "structure_detail",
        lambda net: SessionFactory(
            event=EventFactory(title=NEW, date=TODAY, venue=net.event.venue),
            facilitator=net.structure,
        ),
        NEW,
    ),
    "group's structures (many-to-many)": (
        "structure_detail",
        lambda net: WorkingGroup.objects.get(name="Groupe 1").participant_structures.add(
            net.structure
        ),
        "Groupe 1",
    ),
    "project's structures (many-to-many)": (
        "group_detail",
        lambda net: Project.objects.get(slug="projet-0-0").structures.add(
            Structure.objects.get(name=ADDED)
        ),
        ADDED,
    ),
}


@pytest.mark.parametrize("kind", SAVES)
@frozen()
def test_a_save_shows_on_the_next_request(kind, db, client):
    page, change, text = SAVES[kind]
    net = build_network(**SMALL)
    StructureFactory(name=ADDED)
    url = page_url(page, net)
    before = client.get(url)
    assert text not in _text(before)
    assert client.get(url).content == before.content  # from the cache

    change(net)

    assert text in _text(client.get(url))


@frozen()
def test_a_structure_events_list_is_stored_and_a_new_event_of_it_shows_next(db, client):
    net = build_network(**SMALL)
    url = f"{page_url('event_list', net)}?structure={net.structure.slug}"
    before = client.get(url)
    assert NEW not in _text(before)
    # Stored under its own address, spelled one way (`structure` declared to the cache).
    assert client.get(url + "&utm_source=lettre").content == before.content
    assert client.get(page_url("event_list", net)).content != before.content

    EventFactory(title=NEW, date=TODAY, venue=net.event.venue).organisers.add(net.structure)

    assert NEW in _text(client.get(url))


def _text(response) -> str:
    if response["Content-Type"].startswith("text/calendar"):
        return response.content.decode().replace("\r\n ", "")  # lines unfolded
    return page_text(response)


DELETES = {
    "meeting": ("meeting_detail", lambda net: net.meeting.delete()),
    "event": ("event_detail", lambda net: net.event.delete()),
    "structure": ("structure_detail", lambda net: net.structure.delete()),
    "working group": ("group_detail", lambda net: net.group.delete()),
}


@pytest.mark.parametrize("kind", DELETES)
@frozen()
def test_a_delete_shows_on_the_next_request(kind, db, client):
    page, delete = DELETES[kind]
    net = build_network(**SMALL)
    url = page_url(page, net)
    assert client.get(url).status_code == 200
    delete(net)
    assert client.get(url).status_code == 404


@frozen()
def test_a_membership_ending_shows_in_the_directory(db, client):
    net = build_network(**SMALL)
    url = page_url("structure_list", net) + "?membres=on"
    assert net.structure.name in page_text(client.get(url))
    Membership.objects.filter(structure=net.structure).delete()
    assert net.structure.name not in page_text(client.get(url))


@frozen()
def test_sample_meetings_show_on_the_next_request(db, client, settings):
    settings.DEBUG = True  # the command refuses to run outside a demonstration
    net = build_network(**SMALL)
    Meeting.objects.all().delete()
    Meeting.objects.create(
        group=net.group, date=TODAY - datetime.timedelta(days=7), start_time=datetime.time(14)
    )
    url = page_url("agenda", net)
    assert "exemple" not in page_text(client.get(url))
    call_command("make_sample_meetings", verbosity=0)
    assert "exemple" in page_text(client.get(url))


@frozen()
def test_a_rolled_back_change_leaves_the_version(db):
    build_network(**SMALL)
    version = content_version()
    with pytest.raises(RuntimeError), transaction.atomic():
        WorkingGroup.objects.first().save()
        assert content_version() > version
        raise RuntimeError
    assert content_version() == version


@frozen()
def test_a_join_request_is_not_public_content(db):
    build_network(**SMALL)
    version = content_version()
    JoinRequestFactory()
    assert content_version() == version


@frozen()
def test_the_next_day_the_pages_are_made_again(db, client):
    net = build_network(**SMALL)
    url = page_url("home", net)
    first = client.get(url)
    with frozen(TODAY + datetime.timedelta(days=1)):
        assert client.get(url)["ETag"] != first["ETag"]


@frozen()
def test_a_cached_page_gets_fresh_security_headers(db, client):
    net = build_network(**SMALL)
    url = page_url("event_detail", net)
    client.get(url)
    cached = client.get(url)
    assert "script-src 'self'" in cached["Content-Security-Policy"]
    assert "nonce-" not in cached["Content-Security-Policy"]
    assert cached["X-Frame-Options"] == "DENY"
    assert cached["Cache-Control"] == "no-cache"
    assert "ETag" in cached


@frozen()
def test_a_coordinator_never_gets_a_cached_page(db, coordinator_client, django_assert_num_queries):
    net = build_network(**SMALL)
    url = page_url("home", net)
    coordinator_client.get(url)
    with django_assert_num_queries(15):  # the page rendered again (no version read, no hit)
        coordinator_client.get(url)


@frozen()
def test_the_join_form_has_its_own_tokens_for_every_visitor(db, client):
    build_network(**SMALL)  # more in test_cache_forms.py
    first, second = client.get("/adherer/"), client.get("/adherer/")
    assert first.content != second.content  # its own one-time token and CSRF token
    assert "no-cache" not in second.get("Cache-Control", "")


@frozen()
def test_with_the_page_cache_server_down_pages_are_rendered(db, client, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{free_port()}/0",
        },
    }
    net = build_network(**SMALL)
    url = page_url("home", net)
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200


@frozen()
def test_a_change_in_the_same_second_is_never_hidden_by_a_304_to_a_date(db, client):
    """Dates are precise to the second: a page has no Last-Modified, so If-Modified-Since alone
    (a client that ignores ETags) always gets the page."""
    net = build_network(**SMALL)
    url = page_url("group_detail", net)
    first = client.get(url)
    assert "Last-Modified" not in first
    group = WorkingGroup.objects.get(pk=net.group.pk)
    group.name = NEW
    group.save()  # the clock is stopped: the same second
    again = client.get(url, headers={"If-Modified-Since": "Fri, 01 Jan 2100 00:00:00 GMT"})
    assert again.status_code == 200
    assert NEW in page_text(again)
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


@pytest.mark.parametrize(
    "old_entry",
    [
        lambda content: (content, {"Content-Type": "text/html"}, (), 1_700_000_000, (b"", {})),
        lambda content: (content, {"Content-Type": "text/html"}, (), 1_700_000_000),
        lambda content: (content, {"Content-Type": "text/html"}),
    ],
    ids=["five slots, another order", "four slots", "two slots"],
)
@frozen()
def test_an_entry_of_another_release_is_rendered_again(old_entry, db, client):
    """A shared Redis keeps the pages of the release before an upgrade."""
    net = build_network(**SMALL)
    url = page_url("group_detail", net)
    rendered = client.get(url)
    store = caches["pages"]
    for made_key in list(store._cache):  # every stored page, in the previous release's form
        store._cache[made_key] = pickle.dumps(old_entry(rendered.content))
    again = client.get(url)
    assert again.status_code == 200
    assert again.content == rendered.content
