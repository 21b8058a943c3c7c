"""The page cache's middleware. What a view declares, and the design, are in
`association/page_cache.py`; here is how a declared page is stored and served.

A page is stored under a key made of the content version, the day and the address asked
(scheme, host, path, and the declared query parameters, the others taken out of the request
first). The ETag is the stored content's: a client that already holds the page gets a 304 to its
If-None-Match (from ConditionalGetMiddleware) without a render. No Last-Modified: a date is
precise to the second, and a change in the same second as a render would get a 304 to
If-Modified-Since with the old page.

After a change, the first request for an address renders it under a mark (`PageKeys.lock`);
the requests for it meanwhile get the previous version's page, for RENDER_SECONDS at most, and
the change shows as soon as the render is stored: many visitors after an edit cost one render,
and only the first waits for it.

What is never stored or served from the cache, whatever the view declares:
- anything but GET and HEAD;
- a page reached by a personal link (a URL with a `token`: a registration, a guest's answer);
- a Host spelled otherwise than in lower case, without a final dot, with no port or SITE_URL's
  (the page's links carry it), or a path spelled otherwise than `reverse` writes it (« 0042 »);
- requests with a session or a messages cookie: a coordinator, a visitor just after joining;
- a page whose view said `not_stored`, or read a query parameter it did not declare;
- a response that is not a plain 200, sets a cookie, varies or says `private`/`no-store`/
  `no-cache`, used the session, the messages, or the CSP nonce (a nonce must be unique per
  response: a page that needs one is rendered every time).

A page with a form its view declared `public_form` is stored with holes: a placeholder where
its CSRF token appears (Django's hidden input) and where each `per_visit` value appears. Each
visitor's copy is filled afresh: `get_token(request)`, so the CSRF middleware sets or renews its
cookie as for a render, and a new value from the declared issuer. Such a page gets no ETag from
the cache: a 304 would hand back a form with someone else's tokens. If a token is found anywhere
but where expected, the page is not stored.

The middleware headers (CSP, X-Frame-Options…) are added afresh to every response: the cache
holds only what the view returned, and sits innermost in `MIDDLEWARE`.
"""

import functools
import hashlib
import logging
import re
import time
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse
from django.http.request import split_domain_port
from django.middleware.csrf import get_token
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import compress_string

from association.content import content_version
from association.page_cache import (
    declaration_of,
    is_public_form,
    page_changes_at,
    page_not_stored,
    per_visit_values,
    undeclared_reads,
)

logger = logging.getLogger(__name__)

CACHE_ALIAS = "pages"
UNCACHEABLE_CONTROLS = ("private", "no-store", "no-cache")
# What `{% csrf_token %}` writes; a masked token is 64 letters and digits.
CSRF_INPUT = re.compile(
    rb'<input type="hidden" name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})">'
)
CSRF_TOKEN = re.compile(rb"[A-Za-z0-9]{64}")
CSRF_HOLE = "csrf"
# Changed with the form of what is stored, so a shared cache (Redis) never hands an entry of
# the previous release to the next one.
KEY_PREFIX = "page3"
ENTRY_SIZE = 5  # content, headers, holes, gzip copy, valid until
# After a change, the first request for an address renders it; the others asking for it
# meanwhile get the page of the previous version, for this long at most (a render that died
# leaves its mark until then): so many visitors arriving after an edit cost one render, not
# one each, and wait for none. With the local memory cache, one render per process; with
# Redis, one for all.
RENDER_SECONDS = 15


class PageKeys:
    """Where an address's page is kept: under this version and day (`key`), the mark of the
    request rendering it (`lock`), and the key of its latest stored version (`latest`)."""

    def __init__(self, address: str, version: int, today):
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        self.key = f"{KEY_PREFIX}:{version}:{today.isoformat()}:{digest}"
        self.lock = f"{self.key}:rendering"
        self.latest = f"{KEY_PREFIX}:latest:{digest}"
        self.rendering: str | None = None  # the lock, when this request holds it


def _quietly(action) -> None:
    try:
        action()
    except Exception:  # a cache server down (Redis): nothing to release
        logger.warning("Page cache unavailable", exc_info=True)


def _usable(stored) -> bool:
    """A stored page of this release's form, not past its own moment of change. Anything else
    (another release's entry in a shared Redis, a page past `changes_at`) is rendered again."""
    if not isinstance(stored, tuple) or len(stored) != ENTRY_SIZE:
        return False
    content, headers, _holes, gzipped, until = stored
    if not (isinstance(content, bytes) and isinstance(headers, dict)):
        return False
    if gzipped is not None and not (isinstance(gzipped, tuple) and len(gzipped) == 2):
        return False
    return until is None or (isinstance(until, float) and time.time() < until)


def _canonical_host(request) -> bool:
    """Whether the Host is spelled one way: in lower case, without DNS's final dot, with no
    port or SITE_URL's. Any case, a final dot and any port pass ALLOWED_HOSTS, and a page's
    links (og:url, feeds) carry the Host asked: a page asked otherwise is rendered for that
    visitor alone, neither stored (each spelling would be a new entry, and everyone would get
    the links of the first) nor served from the cache."""
    host = request.get_host()
    domain, port = split_domain_port(host)  # the domain in lower case, without a final dot
    if host != (f"{domain}:{port}" if port else domain):
        return False
    return not port or port == str(urlsplit(settings.SITE_URL).port or "")


def _canonical_path(request) -> bool:
    """Whether the path is the one `reverse` gives for what it resolved to. A converter reads
    « 0042 » as 42 (a meeting, a year): such a page is rendered for that visitor alone, neither
    stored (each count of zeros would be a new entry) nor served from the cache."""
    match = request.resolver_match
    try:
        return request.path == reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    except NoReverseMatch:
        return False


@functools.lru_cache(maxsize=64)
def accepts_gzip(accept_encoding: str) -> bool:
    """Whether an Accept-Encoding header takes gzip: named, or by `*`, with a quality above 0."""
    qualities = {}
    for part in accept_encoding.lower().split(","):
        coding, *params = (item.strip() for item in part.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        qualities[coding] = quality
    return qualities.get("gzip", qualities.get("x-gzip", qualities.get("*", 0.0))) > 0


class PublicPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        page = getattr(request, "_public_page", None)
        if page is None:
            return response
        try:
            return self._store(request, response, page)
        finally:
            if page.rendering:
                _quietly(lambda: caches[CACHE_ALIAS].delete(page.rendering))

    def _store(self, request, response, page: "PageKeys"):
        if undeclared := undeclared_reads(request):
            logger.error(
                "%s reads the query parameters %s, which its view does not declare with "
                "cached_page(): the page is not stored, and a visitor's value is never seen.",
                request.path,
                ", ".join(sorted(undeclared)),
            )
            return response
        if request.method != "GET" or not self._storable(request, response):
            return response
        with_holes = self._with_holes(request, response.content)
        if with_holes is None:
            return response
        changes_at = page_changes_at(request)
        entry = self._entry(response, *with_holes, changes_at and changes_at.timestamp())
        try:
            # The page, and where the next version's first visitors find it while this
            # address is rendered again (see RENDER_SECONDS).
            caches[CACHE_ALIAS].set_many({page.key: entry, page.latest: page.key})
        except Exception:  # a cache server down (Redis): the page is served all the same
            logger.warning("Page cache unavailable: %s unstored", request.path, exc_info=True)
        if with_holes[1]:
            return response  # holes: this render already carries this visitor's tokens
        return self._answer(request, entry)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method not in ("GET", "HEAD"):
            return None
        declared = declaration_of(view_func)
        if declared is None:
            return None
        if "token" in view_kwargs:  # a personal link (a registration, a guest's answer)
            return None
        if not _canonical_host(request) or not _canonical_path(request):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        # Only the declared parameters, each spelled one way: what the view renders, the
        # address its page shows (og:url, the filters' links) and the key agree.
        request.GET = declared.query(request)
        request.META["QUERY_STRING"] = request.GET.urlencode()
        address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
        page = PageKeys(address, content_version(), timezone.localdate())
        cache = caches[CACHE_ALIAS]
        try:
            stored = cache.get(page.key)
            if _usable(stored):
                return self._answer(request, stored)
            # Not stored under this version yet: this request renders it, unless another one
            # is already at it; then the previous version's page meanwhile, if there is one.
            if not cache.add(page.lock, True, RENDER_SECONDS):
                previous = cache.get(page.latest)
                stale = previous and cache.get(previous)
                if _usable(stale):
                    return self._answer(request, stale)
            else:
                # Stored between the two looks, by the render that held the mark before: no
                # second render.
                stored = cache.get(page.key)
                if _usable(stored):
                    cache.delete(page.lock)
                    return self._answer(request, stored)
                page.rendering = page.lock
        except Exception:  # a cache server down (Redis): render the page
            logger.warning("Page cache unavailable: %s rendered", request.path, exc_info=True)
        # Rendered, then stored. No 304 before: the page may have per-visit values, and a 304
        # would hand back a form with someone else's tokens.
        request._public_page = page
        return None

    @staticmethod
    def _entry(response, content, holes, until: float | None) -> tuple:
        """What is stored: the page (with its holes), the headers the view gave, for a page
        without holes its validator and a gzip copy, made once here rather than at each visit,
        and the moment it stops being valid by itself (None: when the version or day changes).
        A page with holes is never compressed: its tokens beside what a visitor can make the
        page show is what BREACH needs."""
        # No Last-Modified (a feed's latest item): ConditionalGetMiddleware would answer 304 to
        # a date after an edit, or with someone else's tokens.
        headers = {
            name: value
            for name, value in response.items()
            if name.lower() not in ("vary", "last-modified")
        }
        if holes:
            return (content, headers, holes, None, until)
        headers["Vary"] = "Accept-Encoding"
        # The content's ETag (what ConditionalGetMiddleware would compute at each visit), and
        # browsers, feed readers and calendar applications ask whether it changed: a 304.
        etag = f'"{hashlib.md5(content, usedforsecurity=False).hexdigest()}"'
        headers["ETag"] = etag
        headers.setdefault("Cache-Control", "no-cache")
        gzipped = compress_string(content)
        if len(gzipped) >= len(content):
            return (content, headers, holes, None, until)
        gzip_headers = {**headers, "Content-Encoding": "gzip", "ETag": etag[:-1] + '-gz"'}
        return (content, headers, holes, (gzipped, gzip_headers), until)

    @classmethod
    def _answer(cls, request, entry) -> HttpResponse:
        """A visitor's copy of a stored page: filled, or compressed if they accept it. Its ETag
        answers If-None-Match in ConditionalGetMiddleware, outside: a 304 there carries the
        validators and no Content-Length (which CommonMiddleware would add to one made here)."""
        content, headers, holes, gzipped, _until = entry
        if holes:
            return HttpResponse(cls._fill(request, content, holes), headers=headers)
        meta = request.META
        if gzipped is not None and accepts_gzip(meta.get("HTTP_ACCEPT_ENCODING", "")):
            content, headers = gzipped
        return HttpResponse(content, headers=headers)

    @staticmethod
    def _with_holes(request, content: bytes) -> tuple[bytes, tuple] | None:
        """The render with a placeholder for each per-visit value, and for each placeholder
        what fills it; None when a value is not where expected (the page is then not stored)."""
        values = per_visit_values(request)
        if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page has a form
            if not is_public_form(request):  # a visitor's own page, or one acting on a link
                return None
            tokens = set(CSRF_INPUT.findall(content))
            # One token, written only by `{% csrf_token %}` (the template's context evaluates
            # it once): anywhere else, it could not be recognised and filled.
            if len(tokens) != 1 or len(set(CSRF_TOKEN.findall(content))) != 1:
                return None
            values[tokens.pop().decode()] = CSRF_HOLE
        holes = []
        for index, (value, issuer) in enumerate(values.items()):
            placeholder = b"\x00per-visit-%d\x00" % index
            if not value or value.encode() not in content:
                return None
            content = content.replace(value.encode(), placeholder)
            holes.append((placeholder, issuer))
        return content, tuple(holes)

    @staticmethod
    def _fill(request, content: bytes, holes) -> bytes:
        for placeholder, issuer in holes:
            value = get_token(request) if issuer == CSRF_HOLE else import_string(issuer)()
            content = content.replace(placeholder, value.encode())
        return content

    @staticmethod
    def _storable(request, response) -> bool:
        if response.status_code != 200 or response.streaming or response.cookies:
            return False
        if page_not_stored(request):  # an address no link gives (association.page_cache)
            return False
        if response.has_header("Vary") or getattr(response, "_csp_config", None) is not None:
            return False
        control = response.get("Cache-Control", "")
        if any(word in control for word in UNCACHEABLE_CONTROLS):
            return False
        nonce = getattr(request, "_csp_nonce", None)
        if nonce:  # evaluated: the page carries a nonce, which must differ per response
            return False
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            return False
        messages = getattr(request, "_messages", None)
        return not (messages is not None and (messages._queued_messages or messages.used))
