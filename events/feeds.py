"""RSS and Atom feeds of the published events (Django's syndication framework)."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed

from association import formats
from association.calendars import uid_host
from association.identity import get_site_identity, site_url
from association.page_cache import cached_page
from events.models import Event

FEED_ITEMS = 30


@cached_page()
class EventFeed(Feed):
    """The latest published events, newest date first, each with its date and place."""

    def get_object(self, request, *args, **kwargs):
        # The feed's "object" is the site identity: its name titles the feed. One Feed instance
        # serves every request, so what depends on the request travels on the object.
        site = get_site_identity(request)
        site.uid_domain = uid_host(site_url(), site)
        return site

    def title(self, site):
        return f"Événements — {site.name}"

    def description(self, site):
        return f"Séminaires, assemblées générales et rencontres — {site.name}"

    def link(self):
        return reverse("events:event_list")

    def items(self, site):
        events = list(
            Event.objects.published().select_related("venue").order_by("-date", "-pk")[:FEED_ITEMS]
        )
        for event in events:
            event.uid_domain = site.uid_domain
        return events

    def item_title(self, item):
        prefix = "Annulé — " if item.is_cancelled else ""
        return f"{prefix}{item.title} ({formats.day_month(item.date)} {item.date.year})"

    def item_description(self, item):
        parts = [formats.when(item.date, item.start_time, item.end_time).capitalize()]
        if item.venue:
            parts.append(item.venue.full_address)
        if item.is_cancelled:
            parts.append("Cet événement est annulé.")
        if item.summary:
            parts.append(item.summary)
        return formats.typography(" · ".join(parts))

    def item_pubdate(self, item):
        return item.created_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_guid(self, item):
        """A `tag:` URI (RFC 4151), what Atom's <id> and a globally unique RSS guid need, which
        neither the slug (the coordinator may edit it) nor the host the reader used (www. or
        not) can change: the calendars' UID domain and the day the event was entered."""
        day = timezone.localdate(item.created_at).isoformat()
        return f"tag:{item.uid_domain},{day}:event-{item.pk}"

    item_guid_is_permalink = False

    def item_categories(self, item):
        return [item.get_kind_display()]


class EventAtomFeed(EventFeed):
    feed_type = Atom1Feed
    subtitle = EventFeed.description
