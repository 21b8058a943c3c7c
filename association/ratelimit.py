"""Counting hits per value (a client address, an e-mail address) in fixed windows of time, in
the cache of the limits (CACHES["limits"], shared by every process and kept apart from what
churns: settings), for the public forms' limits.

The value itself is never stored: only a keyed hash, in the cache key, for one window. The
cache only protects: when it fails (its table missing, Redis down) the limits fail open,
logged as errors for the operator, and what the visitor sent is kept all the same. With the
database cache two simultaneous requests may both read the same count (at worst one extra
hit gets through); Redis counts atomically."""

import contextlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import connection, transaction
from django.shortcuts import render
from django.utils.crypto import salted_hmac

from association.http import client_network

logger = logging.getLogger(__name__)

CACHE_ALIAS = "limits"


def window_key(prefix: str, value: str, window: int) -> str:
    """A cache key for `value` in the current window of `window` seconds."""
    digest = salted_hmac(prefix, value, algorithm="sha256").hexdigest()[:32]
    return f"{prefix}:{digest}:{int(time.time() // window)}"


def _cache_failed(prefix: str, action: str) -> None:
    logger.exception(
        "%s: the cache failed while %s; the limit is not applied (fails open). "
        "Check LIMITS_CACHE_URL, and run `manage.py migrate` if the cache table is missing.",
        prefix,
        action,
    )


def _guarded():
    """A savepoint when a transaction is open: with the database cache, a failing cache query
    (its table missing) must not abort the caller's transaction on PostgreSQL."""
    return transaction.atomic() if connection.in_atomic_block else contextlib.nullcontext()


def is_exceeded(prefix: str, value: str, *, limit: int, window: int) -> bool:
    """True once `value` has had its `limit` hits in the current window; False when the
    cache cannot tell."""
    try:
        with _guarded():
            return caches[CACHE_ALIAS].get(window_key(prefix, value, window), 0) >= limit
    except Exception:  # Any backend's failure (database, Redis): never lose the visitor's input.
        _cache_failed(prefix, "reading a limit")
        return False


def hit(prefix: str, value: str, *, window: int) -> int | None:
    """Count one hit for `value`; its count in the window, or None when the cache failed."""
    key = window_key(prefix, value, window)
    cache = caches[CACHE_ALIAS]
    try:
        with _guarded():
            if cache.add(key, 1, timeout=window):
                return 1
            try:
                return cache.incr(key)
            except ValueError:  # expired between add() and incr()
                cache.add(key, 1, timeout=window)
                return 1
    except Exception:  # Any backend's failure (database, Redis): never lose the visitor's input.
        _cache_failed(prefix, "counting a hit")
        return None


def allow(prefix: str, value: str, *, limit: int, window: int) -> bool:
    """Count one hit; False once `value` is over its `limit` in the window, True when the
    cache cannot tell."""
    count = hit(prefix, value, window=window)
    return count is None or count <= limit


def rate_limited_page(request, *, window: int):
    """The one page (429) of every public form sent too often from one connection: when it can
    be sent again, and that nothing was recorded; `Retry-After` says the same to machines."""
    context = {"retry_minutes": max(1, window // 60)}
    response = render(request, "rate_limited.html", context, status=429)
    response["Retry-After"] = str(window)
    return response


def refuse_public_form(request, prefix: str):
    """For a public form other than the join form (a guest's answer, an event registration):
    `rate_limited_page` once the client (its address; an IPv6 client's /64) has sent
    PUBLIC_FORM_RATE_LIMIT of them in PUBLIC_FORM_RATE_WINDOW seconds, else None (and the
    submission is counted)."""
    window = settings.PUBLIC_FORM_RATE_WINDOW
    if allow(
        prefix, client_network(request), limit=settings.PUBLIC_FORM_RATE_LIMIT, window=window
    ):
        return None
    return rate_limited_page(request, window=window)
