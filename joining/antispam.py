"""Anti-spam of the public join-us form, without any third-party service.

- A one-time form token, signed with the site's secret and carrying the time it was issued:
  it proves the form came from us, measures how long the visitor took to fill it, and is
  stored (unique) with the request, so that a double click or a reload creates nothing new.
- A honeypot field that people never see nor hear, and robots fill.
- A rate limit per client address, counted in Django's cache (shared by every process). The
  address itself is never stored: only a keyed hash, in the cache key, for one window.
- A limit on acknowledgements per e-mail address: anyone may type someone else's address,
  which then gets a few acknowledgements, not a flood. Counted the same way, keyed hash only.

The cache only protects: when it fails (its table missing, Redis down) the limits fail open,
logged as errors for the operator, and the visitor's request is saved all the same.
"""

import logging
import secrets
import time
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from association import ratelimit
from association.http import client_network

logger = logging.getLogger(__name__)

TOKEN_SALT = "joining.join.form-token"
RATE_KEY_PREFIX = "joining:join-rate"
ACK_KEY_PREFIX = "joining:join-ack"


# The payload's mark of a token given back to confirm a form that was filled very fast.
CONFIRMED_MARK = "c"


@dataclass(frozen=True)
class FormToken:
    value: str
    issued_at: float
    confirmed: bool = False

    @property
    def age(self) -> float:
        return time.time() - self.issued_at


def issue_form_token(*, confirmed: bool = False) -> str:
    """A new token: a random nonce and its issue time (our own « nonce.seconds » payload,
    « nonce.seconds.c » for a confirmation), signed. Short enough for the request's
    128-character column."""
    payload = f"{secrets.token_urlsafe(16)}.{time.time():.3f}"
    if confirmed:
        payload += f".{CONFIRMED_MARK}"
    return signing.Signer(salt=TOKEN_SALT).sign(payload)


def read_form_token(value: str) -> FormToken | None:
    """The token if we signed it and it has not expired; None otherwise. The signature is
    checked by Django's signing API; only our own payload is read here."""
    try:
        payload = signing.Signer(salt=TOKEN_SALT).unsign(value)
        _nonce, issued = payload.split(".", 1)  # the nonce (URL-safe base64) has no dot
        confirmed = issued.endswith(f".{CONFIRMED_MARK}")
        issued_at = float(issued.removesuffix(f".{CONFIRMED_MARK}"))
    except (signing.BadSignature, ValueError):
        return None
    if time.time() - issued_at > settings.JOIN_FORM_MAX_AGE:
        return None
    return FormToken(value=value, issued_at=issued_at, confirmed=confirmed)


def is_filled_too_fast(token: FormToken) -> bool:
    """Sent sooner than a person types, and not yet confirmed. A browser's autofill fills the
    form in a second: such a visitor is asked to check their answers and confirm (a token
    marked confirmed), never refused; the honeypot and the rate limits still apply."""
    return not token.confirmed and token.age < settings.JOIN_MIN_FILL_SECONDS


def is_rate_limited(request) -> bool:
    """True once this address has used up its submissions for the current window; False
    when the cache cannot tell."""
    return ratelimit.is_exceeded(
        RATE_KEY_PREFIX,
        client_network(request),
        limit=settings.JOIN_RATE_LIMIT,
        window=settings.JOIN_RATE_WINDOW,
    )


def count_submission(request) -> None:
    """Count one submission (saved, or caught as spam) against the address's allowance."""
    ratelimit.hit(RATE_KEY_PREFIX, client_network(request), window=settings.JOIN_RATE_WINDOW)


def may_acknowledge(address: str) -> bool:
    """Count one acknowledgement to `address`: False once it has had its
    JOIN_ACKNOWLEDGEMENT_LIMIT for the current window; True when the cache cannot tell."""
    return ratelimit.allow(
        ACK_KEY_PREFIX,
        address.strip().casefold(),
        limit=settings.JOIN_ACKNOWLEDGEMENT_LIMIT,
        window=settings.JOIN_ACKNOWLEDGEMENT_WINDOW,
    )
