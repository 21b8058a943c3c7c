"""`/sante/`: what the reverse proxy, the container and a monitoring service poll.

200 while the portal can serve pages, 503 when the database cannot be reached. The caches (each
alias of CACHES: the shared one, the rendered pages…) and the outbox are reported, not fatal:
without a cache the join form still saves requests (its limits are skipped) and pages are
rendered, and a stopped worker delays mail without losing any. JSON, never cached.
`/sante/?strict` is for an outside monitor that reads only the status code: 503 when degraded
too (the container's and the proxy's checks keep the plain address, which a late mail must not
take out of service).
"""

import logging
import uuid

from django.core.cache import caches
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from outbox.models import OutgoingMail

logger = logging.getLogger(__name__)

# A pending mail older than this means the worker is stopped or the mail server refuses.
MAIL_LATE_SECONDS = 15 * 60


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache(alias: str) -> str:
    """A value written, read back and deleted, under a key of this probe's own: probes running
    side by side never read each other's value."""
    cache = caches[alias]
    key = f"health:probe:{uuid.uuid4().hex}"
    value = uuid.uuid4().hex
    try:
        cache.set(key, value, 60)
        found = cache.get(key)
        cache.delete(key)
    except Exception:  # any backend's own errors (Redis, the cache table)
        logger.warning("Health: the cache %r fails", alias, exc_info=True)
        return "erreur"
    return "ok" if found == value else "erreur"


def _oldest_pending_mail() -> int | None:
    oldest = (
        OutgoingMail.objects.filter(status__in=["pending", "sending"])
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return None if oldest is None else int((timezone.now() - oldest).total_seconds())


@never_cache
@require_safe
def health(request):
    report: dict = {}
    try:
        report["database"] = _database()
    except DatabaseError:
        report["database"] = "indisponible"
        report["status"] = "down"
        return JsonResponse(report, status=503)
    report["caches"] = {alias: _cache(alias) for alias in caches.settings}
    failing = any(state != "ok" for state in report["caches"].values())
    report["cache"] = "erreur" if failing else "ok"
    age = _oldest_pending_mail()
    report["oldest_pending_mail_seconds"] = age
    report["mail"] = "en retard" if age is not None and age > MAIL_LATE_SECONDS else "ok"
    degraded = report["cache"] != "ok" or report["mail"] != "ok"
    report["status"] = "degraded" if degraded else "ok"
    response = JsonResponse(report, status=503 if degraded and "strict" in request.GET else 200)
    # Not an error of the request: the body says what is degraded, and a monitor polling each
    # minute would otherwise log (and mail to ADMINS) one error per poll.
    response._has_been_logged = True
    return response
