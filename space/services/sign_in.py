"""Signing in to the partners' space without a password: a one-time link, mailed through the
outbox, valid SPACE_LINK_MINUTES and once. The token in the link is random and signed (a forged
or truncated one is refused before any lookup); only its SHA-256 is stored.

Asking for a link does the same work in the request whatever the address: it enqueues one task
(beside the function that enqueues it), which looks the person up, applies the address's limit,
creates the link and queues the mail. So neither the answer nor the time it takes tells a
known address from an unknown one."""

import datetime
import enum
import hashlib
import secrets
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from association.identity import get_site_identity
from members.models import Person
from outbox.services import queue_templated_mail
from space import limits
from space.models import SignInLink, SpaceMailKind

SALT = "space.sign-in-link"


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _lifetime() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.SPACE_LINK_MINUTES)


def lifetimes() -> str:
    """How long the link and then the session last, in the one sentence that the sign-in
    pages and the mail all say."""
    return (
        f"Le lien est valable {settings.SPACE_LINK_MINUTES}\u00a0minutes et une seule "
        f"fois. Vous restez ensuite connecté·e {settings.SPACE_SESSION_DAYS}\u00a0jours "
        "sur cet appareil, ou jusqu'à ce que vous cliquiez sur "
        f"«\u00a0Se déconnecter\u00a0»."
    )


def person_for_address(email: str) -> Person | None:
    """The person of the member file with this address (any case), not erased."""
    email = email.strip()
    if not email:
        return None
    return Person.objects.filter(email__iexact=email, anonymised_at__isnull=True).first()


@transaction.atomic
def send_sign_in_link(*, person: Person, site_url: str, next_path: str = "") -> SignInLink:
    """A new link for `person`, in the outbox; `next_path` (a path of this site, checked by
    the caller) is where the link leads once signed in."""
    raw = secrets.token_urlsafe(32)
    link = SignInLink.objects.create(
        person=person, token_hash=_hash(raw), expires_at=timezone.now() + _lifetime()
    )
    token = signing.TimestampSigner(salt=SALT).sign(raw)
    site = get_site_identity()
    queue_templated_mail(
        about=link,
        kind=SpaceMailKind.SIGN_IN,
        recipient=person.email,
        context={
            "person": person,
            "site": site,
            "url": site_url
            + reverse("space:sign_in_link", args=[token])
            + (f"?{urlencode({'suivant': next_path})}" if next_path else ""),
            "lifetimes": lifetimes(),
        },
    )
    return link


def request_sign_in_link(*, email: str, site_url: str, next_path: str = "") -> None:
    """What the sign-in form does with any valid address, known or not: one task, enqueued now
    (the same single write for every address); the worker decides whether a link goes out."""
    handle_sign_in_request.enqueue(email=email, site_url=site_url, next_path=next_path)


class SignInOutcome(enum.StrEnum):
    SENT = "sent"
    UNKNOWN = "unknown"
    LIMITED = "limited"


@task()
def handle_sign_in_request(*, email: str, site_url: str, next_path: str = "") -> str:
    """A link for the person with this address, unless there is none or the address had
    SPACE_LINK_LIMIT links in the window. The outcome is stored with the task's result, never
    shown to the visitor."""
    person = person_for_address(email)
    if person is None:
        return SignInOutcome.UNKNOWN
    if not limits.address_may_receive(email):
        return SignInOutcome.LIMITED
    send_sign_in_link(person=person, site_url=site_url, next_path=next_path)
    return SignInOutcome.SENT


class LinkProblem(enum.Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


@dataclass(frozen=True)
class LinkCheck:
    link: SignInLink | None
    problem: LinkProblem | None = None


def check_link(token: str, *, for_update: bool = False) -> LinkCheck:
    """The link a token is for, or why it does not sign in."""
    signer = signing.TimestampSigner(salt=SALT)
    try:
        raw = signer.unsign(token, max_age=_lifetime())
    except signing.SignatureExpired:
        return LinkCheck(None, LinkProblem.EXPIRED)
    except signing.BadSignature:
        return LinkCheck(None, LinkProblem.INVALID)
    links = SignInLink.objects.select_related("person")
    if for_update:
        links = links.select_for_update(of=("self",))
    link = links.filter(token_hash=_hash(raw)).first()
    if link is None or link.person.anonymised_at is not None:
        return LinkCheck(None, LinkProblem.INVALID)
    if link.used_at is not None:
        return LinkCheck(link, LinkProblem.USED)
    if link.expires_at <= timezone.now():
        return LinkCheck(link, LinkProblem.EXPIRED)
    return LinkCheck(link)


@transaction.atomic
def use_link(token: str) -> LinkCheck:
    """Use the link once: afterwards the same token is « used »."""
    check = check_link(token, for_update=True)
    if check.problem is None:
        check.link.used_at = timezone.now()
        check.link.save(update_fields=["used_at"])
    return check
