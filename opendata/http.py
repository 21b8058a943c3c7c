"""What every open-data address does around its view: CORS for GET (any site's script may
read public data), a rate limit per client address, an IPv6 client by its /64 (the streamed
exports and the API read whole tables), and an ETag that lets a client holding the current
copy get a 304 without a query beyond the content version."""

import functools
import hashlib

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import etag

from association.content import content_version
from association.http import client_network
from association.ratelimit import allow

RATE_PREFIX = "opendata"
CORS_HEADERS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
    "Access-Control-Allow-Headers": "If-None-Match",
    "Access-Control-Expose-Headers": "ETag, Link, Retry-After",
    "Access-Control-Max-Age": "86400",
}


def current_etag(request, *args, **kwargs) -> str:
    """The content version (raised by every change to what public pages show), the day (the
    agenda's window moves at midnight) and the address asked, query included."""
    key = f"{content_version()}:{timezone.localdate()}:{request.get_full_path()}"
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def rate_limited() -> JsonResponse:
    window = settings.OPEN_DATA_RATE_WINDOW
    response = JsonResponse(
        {
            "erreur": "Trop de requêtes depuis cette adresse. "
            f"Réessayez dans {max(1, window // 60)} minute(s)."
        },
        status=429,
        json_dumps_params={"ensure_ascii": False},
    )
    response["Retry-After"] = str(window)
    return response


def open_data(view):
    """Wrap an open-data view: OPTIONS answered for CORS, GET and HEAD only, rate-limited,
    conditional on its ETag, every answer with the CORS headers. Exempt from the CSRF check:
    it reads nothing a request sends but its address, so a cross-site POST gets this view's
    405 with the CORS headers, not Django's CSRF page (an HTML 403 a script cannot read)."""
    conditional = etag(current_etag)(view)

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
        elif request.method not in ("GET", "HEAD"):
            response = HttpResponse(status=405)
            response["Allow"] = "GET, HEAD, OPTIONS"
        elif not allow(
            RATE_PREFIX,
            client_network(request),
            limit=settings.OPEN_DATA_RATE_LIMIT,
            window=settings.OPEN_DATA_RATE_WINDOW,
        ):
            response = rate_limited()
        else:
            response = conditional(request, *args, **kwargs)
        for header, value in CORS_HEADERS.items():
            response[header] = value
        return response

    return csrf_exempt(wrapped)
