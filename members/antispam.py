"""Anti-spam of the public join-us form, without any third-party service.

- A one-time form token, signed with the site's secret and carrying the time it was issued:
  it proves the form came from us, measures how long the visitor took to fill it, and is
  stored (unique) with the request, so that a double click or a reload creates nothing new.
- A honeypot field that people never see nor hear, and robots fill.
- A rate limit per client address, counted in Django's cache (shared by every process). The
  address itself is never stored: only a keyed hash, in the cache key, for one window.
"""

import datetime
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.crypto import salted_hmac

TOKEN_SALT = "members.join.form-token"
RATE_KEY_PREFIX = "members:join-rate"


@dataclass(frozen=True)
class FormToken:
    value: str
    issued_at: float

    @property
    def age(self) -> float:
        return time.time() - self.issued_at


def issue_form_token() -> str:
    """A new token: a random nonce, signed with its issue time."""
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(secrets.token_urlsafe(16))


def read_form_token(value: str) -> FormToken | None:
    """The token if we signed it and it has not expired; None otherwise."""
    signer = signing.TimestampSigner(salt=TOKEN_SALT)
    try:
        signer.unsign(value, max_age=datetime.timedelta(seconds=settings.JOIN_FORM_MAX_AGE))
        _nonce, timestamp, _signature = value.rsplit(signer.sep, 2)
    except (signing.BadSignature, ValueError):
        return None
    return FormToken(value=value, issued_at=float(signing.b62_decode(timestamp)))


def is_filled_too_fast(token: FormToken) -> bool:
    return token.age < settings.JOIN_MIN_FILL_SECONDS


def client_address(request) -> str:
    header = settings.CLIENT_IP_HEADER
    address = request.META.get(header, "") if header else ""
    # A proxy's header may list several hops: the first is the visitor.
    address = address.split(",")[0].strip()
    return address or request.META.get("REMOTE_ADDR", "")


def _rate_key(request) -> str:
    window = settings.JOIN_RATE_WINDOW
    digest = salted_hmac(RATE_KEY_PREFIX, client_address(request), algorithm="sha256").hexdigest()[
        :32
    ]
    return f"{RATE_KEY_PREFIX}:{digest}:{int(time.time() // window)}"


def is_rate_limited(request) -> bool:
    """True once this address has used up its submissions for the current window."""
    return cache.get(_rate_key(request), 0) >= settings.JOIN_RATE_LIMIT


def count_submission(request) -> None:
    """Count one submission (saved, or caught as spam) against the address's allowance.

    With the database cache two simultaneous requests may both read the same count: at worst
    one extra submission gets through, which is fine for a form; Redis counts atomically."""
    key = _rate_key(request)
    if not cache.add(key, 1, timeout=settings.JOIN_RATE_WINDOW):
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.add(key, 1, timeout=settings.JOIN_RATE_WINDOW)
