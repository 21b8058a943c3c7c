"""Rate limits of the sign-in form: links mailed to one address, and requests from one client
address, per window, counted in Django's cache (shared by every process) under a keyed hash,
never the address itself. Like the join form's (`joining/antispam.py`), they only protect:
when the cache fails they fail open, logged as errors for the operator."""

import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

from association.http import client_address

logger = logging.getLogger(__name__)

CLIENT_PREFIX = "space:sign-in-client"
ADDRESS_PREFIX = "space:sign-in-address"


def _key(prefix: str, value: str) -> str:
    window = settings.SPACE_RATE_WINDOW
    digest = salted_hmac(prefix, value, algorithm="sha256").hexdigest()[:32]
    return f"{prefix}:{digest}:{int(time.time() // window)}"


def _count(key: str) -> int:
    """One more under `key`; the new count."""
    timeout = settings.SPACE_RATE_WINDOW
    if cache.add(key, 1, timeout=timeout):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=timeout)
        return 1


def client_may_ask(request) -> bool:
    """Count one request from this client: False past SPACE_CLIENT_LIMIT in the window."""
    try:
        return _count(_key(CLIENT_PREFIX, client_address(request))) <= settings.SPACE_CLIENT_LIMIT
    except Exception:  # Any backend's failure (database, Redis): the visitor may ask.
        logger.exception("Sign-in form: the cache failed; the client limit is not applied.")
        return True


def address_may_receive(address: str) -> bool:
    """Count one link to `address`: False past SPACE_LINK_LIMIT in the window."""
    try:
        return _count(_key(ADDRESS_PREFIX, address.strip().casefold())) <= (
            settings.SPACE_LINK_LIMIT
        )
    except Exception:  # Any backend's failure (database, Redis): the link goes out.
        logger.exception("Sign-in form: the cache failed; the address limit is not applied.")
        return True
