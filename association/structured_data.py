"""schema.org `Event` data (JSON-LD) for meeting and event pages, read by search engines and
by the applications that show a link preview."""

import datetime

from django.utils import timezone

SCHEDULED = "https://schema.org/EventScheduled"
CANCELLED = "https://schema.org/EventCancelled"
OFFLINE = "https://schema.org/OfflineEventAttendanceMode"


def _moment(date: datetime.date, time: datetime.time | None) -> str:
    """ISO 8601 with the local offset (« 2025-09-12T09:00:00+02:00 »), or the bare day."""
    if time is None:
        return date.isoformat()
    zone = timezone.get_default_timezone()
    return datetime.datetime.combine(date, time, tzinfo=zone).isoformat()


def _place(venue) -> dict:
    address = {"@type": "PostalAddress", "addressLocality": venue.town, "addressCountry": "FR"}
    if venue.address:
        address["streetAddress"] = venue.address
    return {"@type": "Place", "name": venue.name, "address": address}


def _organisation(structure) -> dict:
    data = {"@type": "Organization", "name": structure.name}
    if structure.website:
        data["url"] = structure.website
    return data


def event_data(
    *,
    name: str,
    url: str,
    date: datetime.date,
    start: datetime.time | None,
    end: datetime.time | None,
    venue,
    description: str,
    cancelled: bool,
    site,
    home_url: str,
    organisers: list | None = None,
) -> dict:
    data = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": name,
        "url": url,
        "startDate": _moment(date, start),
        "eventStatus": CANCELLED if cancelled else SCHEDULED,
        "eventAttendanceMode": OFFLINE,
        "inLanguage": "fr",
    }
    if end is not None:
        data["endDate"] = _moment(date, end)
    if description:
        data["description"] = description
    if venue is not None:
        data["location"] = _place(venue)
    # The event's own organisers (the CAHC for its breakfasts); the association only when the
    # coordinator named none, as for a working group's meeting.
    if organisers:
        organizer = [_organisation(structure) for structure in organisers]
    else:
        organizer = [{"@type": "Organization", "name": site.name, "url": home_url}]
    data["organizer"] = organizer if len(organizer) > 1 else organizer[0]
    return data
