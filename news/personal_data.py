"""What the newsletter holds about a person, declared to the member file (see
`members.services.personal_data`): their subscription, found by the person it is attached to
(« Mon espace ») or by their address."""

import datetime

from django.conf import settings
from django.db.models import Q

from members.privacy import RetentionPeriods
from members.services.personal_data import PersonalDataSource, forget_records
from news.models import Subscriber


def subscriptions_of(person):
    condition = Q(person=person)
    if person.email:
        condition |= Q(email__iexact=person.email)
    return Subscriber.objects.filter(condition)


SUBSCRIBERS = PersonalDataSource(
    model=Subscriber,
    records=subscriptions_of,
    export_row=lambda subscriber: {
        "adresse": subscriber.email,
        "état": subscriber.get_status_display(),
        "origine": subscriber.get_source_display(),
        "origine du consentement": subscriber.source_detail,
        "version du texte de consentement": subscriber.consent_version,
        "demandé le": subscriber.requested_at.isoformat(),
        "confirmé le": subscriber.confirmed_at.isoformat() if subscriber.confirmed_at else None,
        "désabonné le": (
            subscriber.unsubscribed_at.isoformat() if subscriber.unsubscribed_at else None
        ),
    },
    name="abonnement à la lettre",
)

UNCONFIRMED = "Abonnements à la lettre jamais confirmés supprimés"


def forget_unconfirmed_subscribers(
    periods: RetentionPeriods, now: datetime.datetime
) -> dict[str, int]:
    """An address that never opened its confirmation link is not a subscriber: forgotten after
    NEWSLETTER_UNCONFIRMED_DAYS (30 by default)."""
    cutoff = now - datetime.timedelta(days=settings.NEWSLETTER_UNCONFIRMED_DAYS)
    old = Subscriber.objects.filter(status=Subscriber.Status.PENDING, requested_at__lt=cutoff)
    return {UNCONFIRMED: forget_records(old)}
