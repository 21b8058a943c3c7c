"""Registrations to events with places: register (then confirm by e-mail), cancel, promote
the waiting list, and tell the people registered when an event moves or is cancelled.

Every function is keyword-only and atomic where it writes; a refusal is a `ValidationError`
with a French message. Places are counted under a row lock on the event (or the session)
that holds them: two people confirming the last place at the same moment are served one
after the other, and the second goes on the waiting list.
"""

import datetime
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from association import formats
from association.models import SiteIdentity
from association.signed_links import sign_ids, unsign_ids
from association.validators import single_spaces
from events.models import (
    Event,
    EventMailKind,
    Registration,
    RegistrationNotice,
    Session,
    WithPlaces,
)
from outbox.models import OutgoingMail
from outbox.services import queue_templated_mail, resend_outgoing_mails

LINK_SALT = "events.registration.link"

# Registering again with the same address sends the link again, at most this often: anyone
# may type someone else's address.
RESEND_AFTER = datetime.timedelta(minutes=10)


# --- Personal links ----------------------------------------------------------------------------


def registration_token(registration: Registration) -> str:
    return sign_ids(registration.pk, salt=LINK_SALT)


def registration_url(*, registration: Registration, site_url: str) -> str:
    token = registration_token(registration)
    return site_url + reverse("events:registration_manage", kwargs={"token": token})


class InvalidLink(Exception):
    """A personal link that cannot be used; `reason` says why: forged, unknown, expired,
    cancelled."""

    def __init__(self, reason: str, registration: Registration | None = None):
        super().__init__(reason)
        self.reason = reason
        self.registration = registration


def registration_from_token(token: str) -> Registration:
    """The registration a personal link is for, or `InvalidLink`: a signature we did not
    make, a registration deleted since (erasure), an event over or cancelled."""
    ids = unsign_ids(token, salt=LINK_SALT)
    if ids is None:
        raise InvalidLink("forged")
    (pk,) = ids
    registration = (
        Registration.objects.select_related("event__venue", "session").filter(pk=pk).first()
    )
    if registration is None:
        raise InvalidLink("unknown")
    if registration.event.is_cancelled:
        raise InvalidLink("cancelled", registration)
    if registration.event.has_ended():
        raise InvalidLink("expired", registration)
    return registration


# --- Mails -------------------------------------------------------------------------------------


def _mail_context(
    *, registration: Registration, site_url: str, site: SiteIdentity | None = None, **extra
) -> dict:
    return {
        "registration": registration,
        "event": registration.event,
        "session": registration.session,
        "site": site or SiteIdentity.load(),
        "site_url": site_url,
        "link": registration_url(registration=registration, site_url=site_url),
        "event_url": site_url + registration.event.get_absolute_url(),
        **extra,
    }


def _queue_registration_mail(
    *, registration: Registration, kind: str, context: dict
) -> OutgoingMail:
    return queue_templated_mail(
        about=registration,
        kind=kind,
        recipient=registration.email,
        reply_to=context["site"].email,
        context=context,
    )


def _queue_confirmation(*, registration: Registration, site_url: str) -> None:
    _queue_registration_mail(
        registration=registration,
        kind=EventMailKind.REGISTRATION_CONFIRMATION,
        context=_mail_context(registration=registration, site_url=site_url),
    )


def _send_link_again(*, registration: Registration, site_url: str) -> None:
    """The person registered again with the same address: the first mail (its link still
    valid) goes again, unless it went less than `RESEND_AFTER` ago."""
    mails = registration.outgoing_mails.filter(kind=EventMailKind.REGISTRATION_CONFIRMATION)
    sent = mails.filter(status=OutgoingMail.Status.SENT).values_list("sent_at", flat=True).first()
    if not mails.exists():
        with transaction.atomic():
            _queue_confirmation(registration=registration, site_url=site_url)
    elif sent is None or sent < timezone.now() - RESEND_AFTER:
        resend_outgoing_mails(mails=mails, include_sent=True)


# --- Registering, confirming, cancelling --------------------------------------------------------


def _check_open(*, event: Event, session: Session | None) -> None:
    target = session or event
    if not event.takes_registrations() or not target.registration_open:
        raise ValidationError(
            f"Les inscriptions à «\u00a0{session.title if session else event.title}\u00a0» "
            f"sont fermées."
        )


def register(
    *, event: Event, session: Session | None = None, name: str, email: str, site_url: str
) -> Registration:
    """Record a registration waiting for its address to be confirmed, and queue the mail
    holding the personal link. The same address registered again (and not cancelled) gets
    its link again instead of a second registration."""
    if session is not None and session.event_id != event.pk:
        raise ValidationError("Cette séquence n'est pas au programme de cet événement.")
    _check_open(event=event, session=session)
    name = " ".join(single_spaces(name).split())
    email = email.strip()
    existing = (
        Registration.objects.for_target(event=event, session=session)
        .exclude(status=Registration.Status.CANCELLED)
        .filter(email__iexact=email)
    )
    if (registration := existing.first()) is not None:
        _send_link_again(registration=registration, site_url=site_url)
        return registration
    try:
        with transaction.atomic():
            registration = Registration.objects.create(
                event=event, session=session, name=name, email=email
            )
            _queue_confirmation(registration=registration, site_url=site_url)
    except IntegrityError:
        # The same address at the same moment (a double click): the other one won.
        registration = existing.first()
        if registration is None:
            raise
    return registration


def _lock_places(*, event_id: int, session_id: int | None) -> WithPlaces:
    """Lock the row that holds the places until the transaction ends, and read it afresh."""
    if session_id is not None:
        return Session.objects.select_for_update().get(pk=session_id)
    return Event.objects.select_for_update().get(pk=event_id)


def confirm_registration(*, registration: Registration, site_url: str) -> Registration:
    """The person confirmed their address: they take a place, or the waiting list when the
    places are gone (or others are already waiting). Confirming twice changes nothing."""
    with transaction.atomic():
        holder = _lock_places(event_id=registration.event_id, session_id=registration.session_id)
        locked = Registration.objects.select_related("event", "session").get(pk=registration.pk)
        if locked.status != Registration.Status.PENDING:
            return locked
        _check_open(event=locked.event, session=locked.session)
        others = Registration.objects.for_target(event=locked.event, session=locked.session)
        left = holder.places_left(others.confirmed().count())
        full = left == 0 or others.filter(status=Registration.Status.WAITING).exists()
        locked.status = Registration.Status.WAITING if full else Registration.Status.CONFIRMED
        locked.confirmed_at = timezone.now()
        locked.save(update_fields=["status", "confirmed_at"])
        _promote(holder=holder, event=locked.event, session=locked.session, site_url=site_url)
    locked.refresh_from_db(fields=["status", "promoted_at"])
    return locked


def cancel_registration(*, registration: Registration, site_url: str) -> Registration:
    """The person cancels (their link, or the coordinator for them): their place goes to the
    first on the waiting list, who is told by e-mail."""
    with transaction.atomic():
        holder = _lock_places(event_id=registration.event_id, session_id=registration.session_id)
        locked = Registration.objects.select_related("event", "session").get(pk=registration.pk)
        if locked.status == Registration.Status.CANCELLED:
            return locked
        locked.status = Registration.Status.CANCELLED
        locked.cancelled_at = timezone.now()
        locked.save(update_fields=["status", "cancelled_at"])
        _promote(holder=holder, event=locked.event, session=locked.session, site_url=site_url)
    return locked


def promote_waiting(
    *, event: Event, session: Session | None = None, site_url: str
) -> list[Registration]:
    """Give the free places (after the number of places grew) to the waiting list, in order."""
    with transaction.atomic():
        holder = _lock_places(event_id=event.pk, session_id=session.pk if session else None)
        return _promote(holder=holder, event=event, session=session, site_url=site_url)


def _promote(
    *, holder: WithPlaces, event: Event, session: Session | None, site_url: str
) -> list[Registration]:
    """Under the lock of `holder`: the first on the waiting list take the places left."""
    event = holder if session is None else Event.objects.get(pk=event.pk)
    if event.is_cancelled or event.has_ended():
        return []
    registrations = Registration.objects.for_target(event=event, session=session)
    left = holder.places_left(registrations.confirmed().count())
    waiting = registrations.waiting_in_order().select_related("event", "session")
    promoted = list(waiting if left is None else waiting[:left])
    now = timezone.now()
    for registration in promoted:
        registration.status = Registration.Status.CONFIRMED
        registration.promoted_at = now
        registration.save(update_fields=["status", "promoted_at"])
        _queue_registration_mail(
            registration=registration,
            kind=EventMailKind.REGISTRATION_PROMOTED,
            context=_mail_context(registration=registration, site_url=site_url),
        )
    return promoted


# --- Changes told to the people registered ------------------------------------------------------


@dataclass(frozen=True)
class EventSnapshot:
    """What the people registered are told about when it changes, read before a save."""

    date: datetime.date
    start_time: datetime.time | None
    end_time: datetime.time | None
    venue_id: int | None
    is_cancelled: bool
    session_times: dict[int, datetime.time | None] = field(default_factory=dict)

    @classmethod
    def of(cls, event_id: int) -> "EventSnapshot":
        event = Event.objects.get(pk=event_id)
        return cls(
            date=event.date,
            start_time=event.start_time,
            end_time=event.end_time,
            venue_id=event.venue_id,
            is_cancelled=event.is_cancelled,
            session_times=dict(event.sessions.values_list("pk", "start_time")),
        )

    def moved(self, event: Event) -> bool:
        return (self.date, self.start_time, self.end_time, self.venue_id) != (
            event.date,
            event.start_time,
            event.end_time,
            event.venue_id,
        )


@dataclass
class ChangeOutcome:
    notices: list[RegistrationNotice] = field(default_factory=list)
    promoted: int = 0

    def message(self) -> str:
        """What the coordinator reads after saving."""
        parts = []
        for notice in self.notices:
            people = f"{notice.recipients} personne{'s' if notice.recipients > 1 else ''}"
            parts.append(
                f"{notice.get_kind_display()} annoncé{'e' if notice.kind == 'cancelled' else ''} "
                f"par e-mail à {people} inscrite{'s' if notice.recipients > 1 else ''}."
            )
        if self.promoted:
            parts.append(
                f"Places libérées attribuées à la liste d'attente\u00a0: {self.promoted}."
            )
        return " ".join(parts)


def announce_event_changes(*, event: Event, before: EventSnapshot, site_url: str) -> ChangeOutcome:
    """After the coordinator saved an event (and its programme): a cancellation, or a new
    date, hour or place, is told at once by e-mail to everyone confirmed or waiting, for the
    event and its sessions; a session whose hour changed is told to its own people. Then the
    places a larger capacity freed go to the waiting lists."""
    outcome = ChangeOutcome()
    with transaction.atomic():
        event = Event.objects.select_related("venue").get(pk=event.pk)
        everyone = Registration.objects.filter(event=event).active()
        if event.is_cancelled and not before.is_cancelled:
            planned = formats.when(event.date, event.start_time)
            summary = f"{event.title}, prévu le {planned}, est annulé"
            outcome.notices.append(
                _notify(
                    event=event,
                    kind=RegistrationNotice.Kind.CANCELLED,
                    summary=summary,
                    registrations=everyone,
                    site_url=site_url,
                )
            )
        elif not event.is_cancelled and before.moved(event):
            summary = f"{event.title}\u00a0: désormais le {_when_and_where(event)}"
            outcome.notices.append(
                _notify(
                    event=event,
                    kind=RegistrationNotice.Kind.MOVED,
                    summary=summary,
                    registrations=everyone,
                    site_url=site_url,
                )
            )
        elif not event.is_cancelled:
            for session in event.sessions.all():
                if session.pk in before.session_times and (
                    before.session_times[session.pk] != session.start_time
                ):
                    hour = formats.hour(session.start_time) if session.start_time else "à préciser"
                    outcome.notices.append(
                        _notify(
                            event=event,
                            session=session,
                            kind=RegistrationNotice.Kind.MOVED,
                            summary=f"{session.title}\u00a0: désormais à {hour}, "
                            f"{formats.long_date(event.date)}",
                            registrations=session.registrations.active(),
                            site_url=site_url,
                        )
                    )
        outcome.notices = [notice for notice in outcome.notices if notice.recipients]
        outcome.promoted = promote_all_waiting(event=event, site_url=site_url)
    return outcome


def promote_all_waiting(*, event: Event, site_url: str) -> int:
    """Promote the waiting lists of the event and each of its sessions; how many moved up."""
    count = len(promote_waiting(event=event, site_url=site_url))
    waiting_sessions = Session.objects.filter(
        event=event, registrations__status=Registration.Status.WAITING
    ).distinct()
    for session in waiting_sessions:
        count += len(promote_waiting(event=event, session=session, site_url=site_url))
    return count


def _when_and_where(event: Event) -> str:
    text = formats.when(event.date, event.start_time, event.end_time)
    if event.venue:
        text += f", {event.venue.full_address}"
    return text


def _notify(
    *,
    event: Event,
    kind: str,
    summary: str,
    registrations,
    site_url: str,
    session: Session | None = None,
) -> RegistrationNotice:
    """One notice, and one mail per address (someone registered to the event and to a
    workshop gets one mail), with the person's own link when the event still takes place."""
    notice = RegistrationNotice.objects.create(
        event=event, session=session, kind=kind, summary=summary[:500]
    )
    by_address: dict[str, Registration] = {}
    for registration in registrations.select_related("session").order_by("session", "pk"):
        by_address.setdefault(registration.email.casefold(), registration)
    cancelled = kind == RegistrationNotice.Kind.CANCELLED
    site = SiteIdentity.load()
    for registration in by_address.values():
        registration.event = event
        context = _mail_context(
            registration=registration,
            site_url=site_url,
            site=site,
            notice=notice,
            when_and_where=_when_and_where(event),
            changed_session=session,
        )
        queue_templated_mail(
            about=notice,
            kind=EventMailKind.EVENT_CANCELLED if cancelled else EventMailKind.EVENT_MOVED,
            recipient=registration.email,
            reply_to=site.email,
            context=context,
        )
    notice.recipients = len(by_address)
    notice.save(update_fields=["recipients"])
    return notice
