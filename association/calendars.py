"""iCalendar (RFC 5545) feeds and files of meetings, events and general assemblies, built with
the `icalendar` library: one feed of everything, one per working group, one file per meeting,
per event and per assembly. Every VEVENT of the portal is built here, by `_component`.

What a calendar application needs to follow the coordinator's edits: a UID that never changes
(`meeting-<pk>@<domain>`, see `uid_host`), a SEQUENCE that grows at each save and
LAST-MODIFIED, and STATUS:CANCELLED rather than a vanished entry. Times are local to the
portal's time zone (Europe/Paris) with its VTIMEZONE. Hours the source does not give are
never invented: an item without a start hour is an all-day entry; one with a start and no
end is given a default length of two hours (`DEFAULT_LENGTH`, the same for a meeting, an event
and an assembly), here only, and its description says so.
"""

import datetime
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone

from association import formats
from association.identity import get_site_identity
from association.models import SiteIdentity

HOUR = datetime.timedelta(hours=1)
# The length of an entry whose end hour is not given: a working group's meeting usually lasts
# two hours; an assembly may run longer, but its agenda tells how long better than a guess.
DEFAULT_LENGTH = 2 * HOUR
END_UNKNOWN_NOTE = (
    f"Heure de fin non communiquée : durée indicative de {DEFAULT_LENGTH // HOUR}\u00a0h "
    "dans votre agenda, pas une heure de fin annoncée."
)
HOUR_UNKNOWN_NOTE = "Horaire non communiqué : l'entrée couvre la journée."
SAMPLE_NOTE = "Réunion d'exemple générée pour la démonstration : ce n'est pas une vraie date."
CANCELLED_NOTE = "ANNULÉ."
# How often a subscribed application should fetch the feed again.
REFRESH_INTERVAL = datetime.timedelta(hours=6)


def uid_host(site_url: str, identity: SiteIdentity | None = None) -> str:
    """The domain part of UIDs. It must never change, nor depend on the address a subscriber
    happened to use (www. or not, a proxy's name), or one meeting would reach their calendar
    twice: `CALENDAR_UID_DOMAIN` when the operator pins it; otherwise the domain stored in the
    site identity, once and for all: the host name of the first website given to it (see
    `SiteIdentity.save`) or, on an instance without one, the host of the site's address
    (`site_url`, without a port) the first time a calendar was built. `identity`: the one the
    caller already read, if any."""
    if settings.CALENDAR_UID_DOMAIN:
        return settings.CALENDAR_UID_DOMAIN
    identity = identity or get_site_identity()
    if not identity.calendar_uid_domain:
        identity.calendar_uid_domain = _fix_uid_domain(identity, site_url)
    return identity.calendar_uid_domain


def _fix_uid_domain(identity: SiteIdentity, site_url: str) -> str:
    """Store the site's host as the UID domain, unless another process just did."""
    domain = urlsplit(site_url).hostname or "localhost"
    # Only where still empty: of two first requests at once, the first one's domain stays.
    stored = SiteIdentity.objects.filter(pk=identity.pk, calendar_uid_domain="").update(
        calendar_uid_domain=domain
    )
    if stored:
        return domain
    return SiteIdentity.objects.values_list("calendar_uid_domain", flat=True).get(pk=identity.pk)


@dataclass(frozen=True)
class Origin:
    """Where calendar entries come from: the site's address, base of their links, the
    domain of their UIDs and the site's short name. Made once per calendar by
    `calendar_origin()`."""

    site_url: str
    uid_domain: str
    short_name: str


def calendar_origin(site_url: str, identity: SiteIdentity | None = None) -> Origin:
    """The origin of the entries of a calendar built for the site at `site_url` (given by
    `association.identity.site_url()`, never a request's host); `identity`: the site identity
    the caller already read, if any (else it is read here)."""
    identity = identity or get_site_identity()
    return Origin(
        site_url=site_url,
        uid_domain=uid_host(site_url, identity),
        short_name=identity.short_name,
    )


def _span(date, start, end) -> tuple[datetime.date | datetime.datetime, ...]:
    """DTSTART and DTEND: whole day(s) without an hour, local times otherwise."""
    if start is None:
        return date, date + datetime.timedelta(days=1)
    zone = timezone.get_default_timezone()
    begins = datetime.datetime.combine(date, start, tzinfo=zone)
    if end is None:
        return begins, begins + DEFAULT_LENGTH
    return begins, datetime.datetime.combine(date, end, tzinfo=zone)


def _component(
    item,
    *,
    origin: Origin,
    path: str | None,
    uid_prefix: str,
    summary: str,
    notes: Iterable[str],
    body: str,
    cancelled: bool,
    tentative: bool,
    categories: list[str],
) -> icalendar.Event:
    """The VEVENT of a `Scheduled` item (a meeting, an event, an assembly): its date, hours,
    venue, version and timestamps come from the item; the rest is what differs. `path`: the
    item's public page, if it has one."""
    begins, ends = _span(item.date, item.start_time, item.end_time)
    url = None if path is None else origin.site_url + path
    modified = item.updated_at
    notes = list(notes)
    if item.start_time is None:
        notes.append(HOUR_UNKNOWN_NOTE)
    elif item.end_time is None:
        notes.append(END_UNKNOWN_NOTE)
    description = formats.typography(
        "\n\n".join(part for part in (*notes, body.strip(), url) if part)
    )
    if cancelled:
        status = "CANCELLED"
    elif tentative:
        status = "TENTATIVE"
    else:
        status = "CONFIRMED"
    component = icalendar.Event.new(
        uid=f"{uid_prefix}-{item.pk}@{origin.uid_domain}",
        summary=summary,
        start=begins,
        end=ends,
        # DTSTAMP is the last revision when the calendar carries no METHOD (RFC 5545
        # 3.8.7.2): stable output for an unchanged item.
        stamp=modified,
        created=item.created_at,
        last_modified=modified,
        sequence=item.sequence,
        status=status,
        url=url,
        description=description,
        categories=categories,
    )
    if item.venue is not None:
        component.add("LOCATION", item.venue.full_address)
    return component


# VEVENTs already built, reused by every feed and request of this process until what they are
# made of changes: the whole agenda, a group's feed and a meeting's file share them, and a feed
# re-rendered after one edit rebuilds only the edited entry.
COMPONENTS_KEPT = 5000
_components: OrderedDict[tuple, icalendar.Event] = OrderedDict()
_components_lock = threading.Lock()


def _fingerprint(item, *related) -> tuple:
    """Everything a VEVENT is made of: the item's own columns (whatever field a later change
    adds), the related values it shows (its venue's columns among them, see `_venue_key`),
    and where it is read from (links, UID domain). `_entries` makes the same key from a row
    of plain values, without loading the item."""
    own = tuple(getattr(item, field.attname) for field in item._meta.concrete_fields)
    return (item._meta.label, own, *related)


def _venue_key(venue) -> tuple | None:
    if venue is None:
        return None
    return tuple(getattr(venue, field.attname) for field in venue._meta.concrete_fields)


def _entries(queryset, related: tuple[str, ...], component: Callable, origin: Origin) -> list:
    """The entries of the items of `queryset`, in its order, the way `component` makes each
    one, for a feed: the rows are first read as plain values (the item's columns, the related
    values its entry shows, its venue's columns), which is all an entry's key needs; only the
    items whose entry is not kept yet are then loaded as instances and built. After one edit
    in a feed of thousands of entries, one item is loaded, not thousands (issue 28)."""
    model = queryset.model
    own = [field.attname for field in model._meta.concrete_fields]
    venue_model = model._meta.get_field("venue").related_model
    venue = [f"venue__{field.attname}" for field in venue_model._meta.concrete_fields]
    width = len(own) + len(related)
    keys = []
    for row in queryset.values_list(*own, *related, *venue):
        venue_row = row[width:]
        keys.append(
            (
                model._meta.label,
                row[: len(own)],
                *row[len(own) : width],
                venue_row if venue_row[0] is not None else None,
                origin,
            )
        )
    with _components_lock:
        kept = [_components.get(key) for key in keys]
    missing = [key[1][0] for key, entry in zip(keys, kept, strict=True) if entry is None]
    built = {}
    if missing:
        loaded = model._default_manager.select_related(
            *{path.split("__")[0] for path in related}, "venue"
        ).in_bulk(missing)
        built = {pk: component(item, origin=origin) for pk, item in loaded.items()}
    # An item deleted between the two reads is left out.
    return [
        entry if entry is not None else built[key[1][0]]
        for key, entry in zip(keys, kept, strict=True)
        if entry is not None or key[1][0] in built
    ]


def forget_entries() -> None:
    """Drop the entries kept in this process (the tests start each from none)."""
    with _components_lock:
        _components.clear()


def _reused(key: tuple, build: Callable[[], icalendar.Event]) -> icalendar.Event:
    with _components_lock:
        component = _components.get(key)
        if component is not None:
            _components.move_to_end(key)
            return component
    component = build()
    # Its text too: folding the lines of hundreds of entries is most of a feed's cost; and its
    # time zones, which the calendar would otherwise find by walking every entry at each render.
    component.serialized = component.to_ical()
    component.tzids = _used_tzids(component)
    with _components_lock:
        _components[key] = component
        while len(_components) > COMPONENTS_KEPT:
            _components.popitem(last=False)
    return component


def meeting_component(meeting, *, origin: Origin) -> icalendar.Event:
    """The VEVENT of a working-group meeting (its `group` and `venue` already loaded)."""
    group = meeting.group
    key = _fingerprint(meeting, group.name, group.slug, _venue_key(meeting.venue), origin)
    return _reused(key, lambda: _meeting_component(meeting, origin=origin))


def meeting_entries(meetings, *, origin: Origin) -> list[icalendar.Event]:
    """The VEVENTs of the meetings of a queryset, in its order (see `_entries`)."""
    return _entries(meetings, ("group__name", "group__slug"), meeting_component, origin)


def _meeting_component(meeting, *, origin: Origin) -> icalendar.Event:
    summary = f"Réunion — {meeting.group.name}"
    notes = []
    if meeting.is_cancelled:
        summary = f"[Annulée] {summary}"
        notes.append(CANCELLED_NOTE)
    if meeting.is_sample:
        summary = f"[Exemple] {summary}"
        notes.append(SAMPLE_NOTE)
    body = f"Ordre du jour :\n{meeting.agenda.strip()}" if meeting.agenda.strip() else ""
    return _component(
        meeting,
        origin=origin,
        path=meeting.get_absolute_url(),
        uid_prefix="meeting",
        summary=summary,
        notes=notes,
        body=body,
        cancelled=meeting.is_cancelled,
        tentative=meeting.is_sample,
        categories=[meeting.group.name],
    )


def event_component(event, *, origin: Origin) -> icalendar.Event:
    """The VEVENT of a published event (its `venue` already loaded)."""
    key = _fingerprint(event, _venue_key(event.venue), origin)
    return _reused(key, lambda: _event_component(event, origin=origin))


def event_entries(events, *, origin: Origin) -> list[icalendar.Event]:
    """The VEVENTs of the events of a queryset, in its order (see `_entries`)."""
    return _entries(events, (), event_component, origin)


def _event_component(event, *, origin: Origin) -> icalendar.Event:
    summary = event.title
    notes = []
    if event.is_cancelled:
        summary = f"[Annulé] {summary}"
        notes.append(CANCELLED_NOTE)
    return _component(
        event,
        origin=origin,
        path=event.get_absolute_url(),
        uid_prefix="event",
        summary=summary,
        notes=notes,
        body=event.summary,
        cancelled=event.is_cancelled,
        tentative=False,
        categories=[event.get_kind_display()],
    )


def assembly_component(assembly, *, origin: Origin) -> icalendar.Event:
    """The VEVENT of a SCIC general assembly (its `venue` already loaded): no public page, the
    agenda as its description. Its UID is the assembly's, so a second convocation or a change
    of hour updates the entry already in the associate's agenda."""
    key = _fingerprint(assembly, _venue_key(assembly.venue), origin)
    return _reused(key, lambda: _assembly_component(assembly, origin=origin))


def _assembly_component(assembly, *, origin: Origin) -> icalendar.Event:
    summary = assembly.title
    notes = []
    if assembly.is_cancelled:
        summary = f"[Annulée] {summary}"
        notes.append(CANCELLED_NOTE)
    return _component(
        assembly,
        origin=origin,
        path=None,
        uid_prefix="scic-assembly",
        summary=summary,
        notes=notes,
        body="Ordre du jour :\n" + "\n".join(assembly.agenda_items),
        cancelled=assembly.is_cancelled,
        tentative=False,
        categories=[],
    )


def meeting_calendar(meeting, *, origin: Origin) -> icalendar.Calendar:
    """One meeting as a calendar file (its `group` and `venue` loaded): the one its page offers
    and its invitation carries."""
    return build_calendar(
        origin=origin,
        path=reverse("groups:meeting_ics", args=[meeting.group.slug, meeting.pk]),
        key=f"meeting-{meeting.pk}",
        name=f"Réunion — {meeting.group.name}",
        description=f"Réunion du groupe de travail « {meeting.group.name} »",
        components=[meeting_component(meeting, origin=origin)],
    )


def build_calendar(
    *,
    origin: Origin,
    path: str | None,
    key: str,
    name: str,
    description: str,
    components: list[icalendar.Event],
) -> icalendar.Calendar:
    """A VCALENDAR named for calendar applications (X-WR-CALNAME), with the VTIMEZONE of every
    time zone its entries use; `path` is where the portal serves it (None: the calendar is
    served at personal addresses only, and names none)."""
    calendar = icalendar.Calendar.new(
        name=name,
        description=formats.typography(description),
        prodid=f"-//{origin.short_name}//Portail//FR",
        uid=f"calendar-{key}@{origin.uid_domain}",
        url=None if path is None else origin.site_url + path,
        subcomponents=components,
    )
    # RFC 7986 5.7: VALUE=DURATION is required on REFRESH-INTERVAL, and the library omits it.
    calendar.add(
        "REFRESH-INTERVAL",
        icalendar.vDuration(REFRESH_INTERVAL),
        parameters={"VALUE": "DURATION"},
    )
    calendar.add("X-WR-TIMEZONE", timezone.get_default_timezone_name())
    # Outlook's refresh hint; an X- property is text unless typed, and « 6:00:00 » is no
    # RFC 5545 DURATION.
    calendar.add("X-PUBLISHED-TTL", icalendar.vDuration(REFRESH_INTERVAL))
    dates = [component.DTSTART for component in components]
    if dates:
        days = [d.date() if isinstance(d, datetime.datetime) else d for d in dates]
        # A VTIMEZONE covering the entries (and a year around them), not 1970-2038: what
        # `calendar.add_missing_timezones()` does, with each reused entry's zones read once.
        first = min(days) - datetime.timedelta(days=366)
        last = max(days) + datetime.timedelta(days=366)
        tzids = set().union(*(_entry_tzids(component) for component in components)) - {"UTC"}
        for tzid in sorted(tzids):
            try:
                zone = icalendar.Timezone.from_tzid(tzid, first_date=first, last_date=last)
            except ValueError:  # a zone the library does not know: left out, as it does
                continue
            calendar.subcomponents.insert(len(calendar.timezones), zone)
    return calendar


def _used_tzids(component: icalendar.Event) -> set[str]:
    """The TZIDs an entry's properties name (`Calendar.get_used_tzids` for one entry)."""
    return {
        value.params.get("TZID")
        for _name, value in component.property_items(sorted=False)
        if hasattr(value, "params")
    } - {None}


def _entry_tzids(component: icalendar.Event) -> set[str]:
    tzids = getattr(component, "tzids", None)
    return tzids if tzids is not None else _used_tzids(component)


def to_ical(calendar: icalendar.Calendar) -> bytes:
    """`calendar.to_ical()`, with the text of the entries already serialized reused as is:
    the calendar is written without them, then they go in before its END line, in order
    (only time zones, inserted first, are written by the library)."""
    entries = calendar.subcomponents
    reused = [c for c in entries if getattr(c, "serialized", None) is not None]
    if not reused:
        return calendar.to_ical()
    calendar.subcomponents = [c for c in entries if getattr(c, "serialized", None) is None]
    try:
        shell = calendar.to_ical()
    finally:
        calendar.subcomponents = entries
    end = b"END:VCALENDAR\r\n"
    return shell.removesuffix(end) + b"".join(c.serialized for c in reused) + end


def calendar_response(calendar: icalendar.Calendar, filename: str, *, download: bool):
    """An HTTP response carrying the calendar: a feed is shown inline (applications subscribe
    to it), a single meeting or event is offered as a file to open."""
    response = HttpResponse(to_ical(calendar), content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if download else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response
