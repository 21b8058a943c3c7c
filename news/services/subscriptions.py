"""Subscribing to the newsletter, with double opt-in, and unsubscribing.

Whatever address is typed, the visitor reads the same answer (« check your inbox »): whether
it is known, confirmed or unsubscribed is never told. Only the confirmation mail is ever sent to
an address that has not opened its link; its wording's version and the date are recorded."""

import csv
import datetime
import io
import math
from functools import partial

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.tasks import task
from django.urls import reverse
from django.utils import timezone

from association import ratelimit
from association.identity import site_url
from association.signed_links import sign_ids, unsign_ids
from members.models import Person
from news.models import NewsMailKind, Subscriber
from outbox.services import enqueue_outgoing_mail, queue_templated_mail, queue_templated_mails

CONFIRM_SALT = "news.subscriber.confirm"
UNSUBSCRIBE_SALT = "news.subscriber.unsubscribe"
# A test of an issue goes to an address that may be no subscriber's: its link names the address.
ADDRESS_UNSUBSCRIBE_SALT = "news.address.unsubscribe"
CONFIRMATION_KEY_PREFIX = "news:confirmation"
# What a spreadsheet's « consentement » column says when there is none.
NO_PROOF = {"non", "no", "n", "faux", "false", "0", "-"}
# Addresses looked up at once on import; the imported confirmations queued at once without a
# pace (NEWSLETTER_MAILS_PER_MINUTE = 0).
KNOWN_CHUNK = 1000
QUEUE_BATCH = 500
MINUTE = datetime.timedelta(minutes=1)


def confirm_url(subscriber: Subscriber) -> str:
    token = sign_ids(subscriber.pk, salt=CONFIRM_SALT)
    return site_url() + reverse("news:subscription_confirm", kwargs={"token": token})


def unsubscribe_url(subscriber: Subscriber) -> str:
    token = sign_ids(subscriber.pk, salt=UNSUBSCRIBE_SALT)
    return site_url() + reverse("news:unsubscribe", kwargs={"token": token})


def address_unsubscribe_url(email: str) -> str:
    """The unsubscribe link of a test mail: for a subscriber's address, theirs; for another,
    a link signed for that address, whose page says it is not subscribed (only whoever holds
    the mail learns it)."""
    subscriber = Subscriber.objects.with_address(email).first()
    if subscriber is not None:
        return unsubscribe_url(subscriber)
    token = signing.Signer(salt=ADDRESS_UNSUBSCRIBE_SALT).sign_object(email.strip().casefold())
    return site_url() + reverse("news:unsubscribe_address", kwargs={"token": token})


def address_of_token(token: str) -> str | None:
    try:
        address = signing.Signer(salt=ADDRESS_UNSUBSCRIBE_SALT).unsign_object(token)
    except (signing.BadSignature, ValueError):
        return None
    return address if isinstance(address, str) else None


def subscriber_of_token(token: str, *, salt: str) -> Subscriber | None:
    ids = unsign_ids(token, salt=salt)
    return Subscriber.objects.filter(pk=ids[0]).first() if ids else None


def _send_confirmation(subscriber: Subscriber) -> None:
    """The confirmation mail, at most JOIN_ACKNOWLEDGEMENT_LIMIT a day to one address: anyone
    may type someone else's address."""
    if not ratelimit.allow(
        CONFIRMATION_KEY_PREFIX,
        subscriber.email.casefold(),
        limit=settings.JOIN_ACKNOWLEDGEMENT_LIMIT,
        window=settings.JOIN_ACKNOWLEDGEMENT_WINDOW,
    ):
        return
    subscriber.confirmation_sent_at = timezone.now()
    subscriber.confirmation_queued_at = None  # sent now: not again from the import's queue
    subscriber.save(update_fields=["confirmation_sent_at", "confirmation_queued_at"])
    queue_templated_mail(
        about=subscriber,
        kind=NewsMailKind.CONFIRMATION,
        recipient=subscriber.email,
        context=_confirmation_context(subscriber),
    )


def _confirmation_context(subscriber: Subscriber) -> dict:
    return {
        "subscriber": subscriber,
        "confirm_url": confirm_url(subscriber),
        "unconfirmed_days": settings.NEWSLETTER_UNCONFIRMED_DAYS,
    }


@transaction.atomic
def request_subscription(
    *,
    email: str,
    source: str = Subscriber.Source.FORM,
    source_detail: str = "",
    person: Person | None = None,
) -> Subscriber:
    """Record a wish to subscribe and mail its confirmation link. An address already confirmed
    gets nothing (its owner is subscribed); one unsubscribed, bounced or pending starts again
    from a new request, confirmed only by its link."""
    email = email.strip()
    now = timezone.now()
    subscriber = Subscriber.objects.select_for_update().with_address(email).first()
    if subscriber is not None and subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    if subscriber is None:
        subscriber = Subscriber(email=email)
    subscriber.status = Subscriber.Status.PENDING
    subscriber.source, subscriber.source_detail = source, source_detail
    subscriber.consent_version = settings.NEWSLETTER_CONSENT_VERSION
    subscriber.requested_at = now
    # Anyone may type the address: the dates of an earlier consent and of its withdrawal stay
    # until the new request is confirmed by its owner.
    if person is not None:
        subscriber.person = person
    subscriber.save()
    _send_confirmation(subscriber)
    return subscriber


@transaction.atomic
def confirm_subscription(*, subscriber: Subscriber) -> Subscriber:
    """The confirmation link was opened: the consent is given, at this date, in this wording.
    An unsubscribed address needs a new request: an old link does not bring it back."""
    subscriber = Subscriber.objects.select_for_update().get(pk=subscriber.pk)
    if subscriber.status == Subscriber.Status.PENDING:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at, subscriber.unsubscribed_at = timezone.now(), None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscriber


@transaction.atomic
def subscribe_signed_in_person(*, person: Person) -> Subscriber:
    """« Mon espace »: the partner's address is proven by the sign-in link they opened, so the
    subscription is confirmed at once."""
    subscriber = Subscriber.objects.select_for_update().with_address(person.email).first()
    now = timezone.now()
    if subscriber is None:
        subscriber = Subscriber(email=person.email, requested_at=now)
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.source, subscriber.source_detail = Subscriber.Source.SPACE, ""
        subscriber.consent_version = settings.NEWSLETTER_CONSENT_VERSION
        subscriber.requested_at = subscriber.requested_at or now
        subscriber.confirmed_at, subscriber.unsubscribed_at = now, None
    subscriber.person = person
    subscriber.save()
    return subscriber


@transaction.atomic
def unsubscribe(*, subscriber: Subscriber) -> None:
    """One click, no question: never mailed again; mails of an issue not yet sent to this
    address are dropped."""
    updated = Subscriber.objects.filter(pk=subscriber.pk).exclude(status=Subscriber.Status.BOUNCED)
    updated.update(status=Subscriber.Status.UNSUBSCRIBED, unsubscribed_at=timezone.now())
    subscriber.mails.filter(status="pending").delete()


def mark_bounced(*, email: str) -> int:
    """The address is refused by its mail server: never mailed again."""
    return Subscriber.objects.with_address(email).update(status=Subscriber.Status.BOUNCED)


@transaction.atomic
def import_subscribers(*, csv_text: str, source_detail: str) -> dict[str, int]:
    """Import an existing list (one column « email », optionally « consentement » holding a
    proof: a date, a form…; « non », « faux », « 0 » are none). An address with a proven
    consent is subscribed, its proof recorded; one without is recorded pending, its
    confirmation mail queued in the database (`send_queued_confirmations` sends them at the
    newsletter's pace, so a list of thousands is neither a burst of mails nor a long request),
    never the newsletter before it answers. A few queries whatever the length of the list."""
    counts = {"confirmed": 0, "to_confirm": 0, "known": 0, "invalid": 0}
    reader = csv.DictReader(io.StringIO(csv_text.lstrip("\ufeff")), delimiter=_delimiter(csv_text))
    rows = []
    for row in reader:
        row = {(key or "").strip().lower(): (value or "").strip() for key, value in row.items()}
        email, proof = row.get("email", ""), row.get("consentement", "")
        try:
            validate_email(email)
        except ValidationError:
            counts["invalid"] += 1
            continue
        rows.append((email, "" if proof.casefold() in NO_PROOF else proof))
    known = _known_addresses([email for email, _proof in rows])
    now = timezone.now()
    new = []
    for email, proof in rows:
        if email.casefold() in known:
            counts["known"] += 1
            continue
        known.add(email.casefold())  # twice in the list: once
        detail = (f"{source_detail} — {proof}" if proof else source_detail)[:300]
        subscriber = Subscriber(
            email=email,
            source=Subscriber.Source.IMPORT,
            source_detail=detail,
            requested_at=now,
        )
        if proof:
            subscriber.status, subscriber.consent_version = Subscriber.Status.CONFIRMED, "import"
            subscriber.confirmed_at = now
            counts["confirmed"] += 1
        else:
            subscriber.status = Subscriber.Status.PENDING
            subscriber.consent_version = settings.NEWSLETTER_CONSENT_VERSION
            subscriber.confirmation_queued_at = now
            counts["to_confirm"] += 1
        new.append(subscriber)
    # A visitor typing one of these addresses meanwhile: theirs stands, with its own mail.
    Subscriber.objects.bulk_create(new, ignore_conflicts=True)
    if counts["to_confirm"]:
        transaction.on_commit(lambda: send_queued_confirmations_task.enqueue())
    return counts


def _known_addresses(emails: list[str]) -> set[str]:
    """The addresses among `emails` the newsletter already has, in lower case."""
    lowered = sorted({email.casefold() for email in emails})
    known: set[str] = set()
    for start in range(0, len(lowered), KNOWN_CHUNK):
        chunk = lowered[start : start + KNOWN_CHUNK]
        known.update(
            Subscriber.objects.annotate(address=Lower("email"))
            .filter(address__in=chunk)
            .values_list("address", flat=True)
        )
    return known


def confirmation_pace(count: int) -> str:
    """How long `count` queued confirmations take at the newsletter's pace, in French."""
    per_minute = settings.NEWSLETTER_MAILS_PER_MINUTE
    if not per_minute or count <= per_minute:
        return "dans les minutes qui viennent"
    minutes = math.ceil(count / per_minute)
    return f"au rythme de {per_minute} par minute, en {minutes}\u00a0minutes environ"


def send_queued_confirmations(*, per_minute: int | None = None) -> int:
    """Queue in the outbox the confirmations of imported addresses that are due: at most
    NEWSLETTER_MAILS_PER_MINUTE in any minute (the confirmations queued in the last minute
    count), spaced through the minute, then run again a minute later while some wait. A run
    that finds the minute's quota spent by another stops: one chain goes on. The queue is in
    the database: a worker down loses nothing, `send_newsletters` (cron) starts it again. How
    many were queued."""
    per_minute = settings.NEWSLETTER_MAILS_PER_MINUTE if per_minute is None else per_minute
    with transaction.atomic():
        now = timezone.now()
        if per_minute:
            recent = Subscriber.objects.filter(confirmation_sent_at__gt=now - MINUTE).count()
            budget = per_minute - recent
        else:
            budget = QUEUE_BATCH
        if budget <= 0:
            return 0
        waiting = Subscriber.objects.select_for_update(skip_locked=True)
        batch = list(waiting.awaiting_confirmation_mail()[:budget])
        interval = MINUTE / per_minute if per_minute else datetime.timedelta()
        mails = queue_templated_mails(
            kind=NewsMailKind.CONFIRMATION,
            mails=[
                {
                    "about": subscriber,
                    "recipient": subscriber.email,
                    "context": _confirmation_context(subscriber),
                    "next_attempt_at": now + index * interval,
                }
                for index, subscriber in enumerate(batch)
            ],
            enqueue=False,
        )
        Subscriber.objects.filter(pk__in=[s.pk for s in batch]).update(
            confirmation_queued_at=None, confirmation_sent_at=now
        )
        for outgoing in mails:
            transaction.on_commit(
                partial(
                    enqueue_outgoing_mail,
                    mail_id=outgoing.pk,
                    run_after=outgoing.next_attempt_at if outgoing.next_attempt_at > now else None,
                )
            )
    if batch and Subscriber.objects.awaiting_confirmation_mail().exists():
        then = send_queued_confirmations_task.using(run_after=now + MINUTE)
        (then if per_minute else send_queued_confirmations_task).enqueue()
    return len(batch)


def queue_waiting_confirmations() -> bool:
    """Cron's (`send_newsletters`): hand the worker the confirmations waiting, if any (a chain
    the worker lost starts again; a live one makes this run stop at once)."""
    if not Subscriber.objects.awaiting_confirmation_mail().exists():
        return False
    send_queued_confirmations_task.enqueue()
    return True


@task()
def send_queued_confirmations_task() -> int:
    return send_queued_confirmations()


def _delimiter(text: str) -> str:
    first = text.splitlines()[0] if text else ""
    return ";" if first.count(";") > first.count(",") else ","
