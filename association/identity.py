"""The site identity, read at most once per request, and the site's address."""

from collections.abc import Callable

from django.conf import settings
from django.db.models import Expression

from association.models import SiteIdentity

# Values a higher floor computes in the same query as the identity (the theme's version reads
# when a working group last changed): name -> a function building the expression.
_annotations: dict[str, Callable[[], Expression]] = {}


def annotate_site_identity(name: str, expression: Callable[[], Expression]) -> None:
    """Have `get_site_identity` also fetch `name`, computed by `expression()`, in its one
    query. Called by the apps above this one, from their `AppConfig.ready()`."""
    _annotations[name] = expression


def get_site_identity(request=None) -> SiteIdentity:
    """The identity record, fetched at most once per request (the context processor, a feed
    and a view may all ask for it), with the values registered by `annotate_site_identity`."""
    cached = getattr(request, "_site_identity", None)
    if cached is not None:
        return cached
    annotations = {name: expression() for name, expression in _annotations.items()}
    identity = SiteIdentity.objects.annotate(**annotations).filter(pk=1).first()
    if identity is None:
        identity = SiteIdentity.load()
        for name in annotations:
            setattr(identity, name, None)
    if request is not None:
        request._site_identity = identity
    return identity


def site_url() -> str:
    """The portal's public address, without a trailing slash (« https://portail.example.org »):
    the one base of every link the portal gives outside its own pages (mails, calendar entries
    and their UIDs). It is pinned in the settings (`SITE_URL`), never read from a request, so
    that a meeting's invitation, sent from the admin, and its reminder, sent by cron, point at
    the same address whatever host the coordinator used."""
    return settings.SITE_URL.rstrip("/")
