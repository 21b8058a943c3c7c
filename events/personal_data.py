"""What event registrations hold about a person, declared to the member file's personal-data
and retention services (see `members.services.personal_data`).

A registration is not linked to the member file (people register without an account): it
belongs to the person whose e-mail address it was made with."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import OuterRef, Subquery

from events.models import Registration
from members.models import Person
from members.services.personal_data import PersonalDataSource, forget_records, row
from outbox.models import OutgoingMail

# How long a registration is kept after its event: enough to answer « étais-je inscrit ? » and
# to count the year's participants, then it goes.
RETENTION_MONTHS_AFTER_EVENT = 12
REGISTRATIONS_DELETED = "Inscriptions aux événements passés supprimées"


def registrations_of(person: Person):
    if not person.email:
        return Registration.objects.none()
    return (
        Registration.objects.filter(email__iexact=person.email)
        .select_related("event", "session")
        .prefetch_related("outgoing_mails")
    )


def export_registration(registration: Registration) -> dict:
    return {
        **row(registration),
        str(OutgoingMail._meta.verbose_name_plural): [
            row(outgoing) for outgoing in registration.outgoing_mails.all()
        ],
    }


def last_registration():
    """The person's latest registration, matched by address: activity for retention."""
    return Subquery(
        Registration.objects.filter(email__iexact=OuterRef("email"))
        .exclude(email="")
        .order_by("-created_at")
        .values("created_at")[:1]
    )


def delete_past_registrations(periods, now: datetime.datetime) -> dict[str, int]:
    """Registrations to events over for `RETENTION_MONTHS_AFTER_EVENT` months, with their
    mails (most people who register are not in the member file: nothing else would delete
    theirs)."""
    limit = (now - relativedelta(months=RETENTION_MONTHS_AFTER_EVENT)).date()
    past = Registration.objects.filter(event__date__lt=limit)
    return {REGISTRATIONS_DELETED: forget_records(past)}


REGISTRATIONS = PersonalDataSource(
    model=Registration,
    records=registrations_of,
    export_row=export_registration,
    last_activity=last_registration,
    forget_when_inactive=True,
)
