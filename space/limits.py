"""Rate limits of the sign-in form: links mailed to one address, and requests from one client
address, per SPACE_RATE_WINDOW, counted with the shared helper (`association.ratelimit`: a
keyed hash in the cache, failing open)."""

from django.conf import settings

from association import ratelimit
from association.http import client_network

CLIENT_PREFIX = "space:sign-in-client"
ADDRESS_PREFIX = "space:sign-in-address"


def client_may_ask(request) -> bool:
    """Count one request from this client: False past SPACE_CLIENT_LIMIT in the window."""
    return ratelimit.allow(
        CLIENT_PREFIX,
        client_network(request),
        limit=settings.SPACE_CLIENT_LIMIT,
        window=settings.SPACE_RATE_WINDOW,
    )


def address_may_receive(address: str) -> bool:
    """Count one link to `address`: False past SPACE_LINK_LIMIT in the window."""
    return ratelimit.allow(
        ADDRESS_PREFIX,
        address.strip().casefold(),
        limit=settings.SPACE_LINK_LIMIT,
        window=settings.SPACE_RATE_WINDOW,
    )
