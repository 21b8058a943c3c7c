"""What the working groups hold about a person, declared to the member file's personal-data and
retention services (see `members.services.personal_data`)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Q
from django.utils import timezone

from groups.models import GroupContact, GroupLead, MeetingAnswer
from members.privacy import RetentionPeriods
from members.services.personal_data import PersonalDataSource, forget_records

LEADS = PersonalDataSource(
    model=GroupLead,
    records=lambda person: GroupLead.objects.filter(person=person),
    # The lead of an active group is its public contact: their details stay.
    keep=lambda: Q(group_leads__group__is_active=True),
)

CONTACTS = PersonalDataSource(
    model=GroupContact,
    # Linked to the person, or typed by hand with their e-mail or their name.
    records=lambda person: GroupContact.objects.concerning(person),
    # Scrubbed rather than deleted: a structure's switchboard or address on the line stays.
    forget=lambda person, records: records.forget(person),
    # A person a contact line of an active group is linked to is its public contact. (A line
    # merely typed with their e-mail does not count: it is scrubbed with the rest.)
    keep=lambda: Q(group_contacts__group__is_active=True),
    forget_when_inactive=True,
)


GUESTS_FORGOTTEN = "Réponses d'invités hors fichier supprimées"


def forget_guest_answers(periods: RetentionPeriods, now: datetime.datetime) -> dict[str, int]:
    """Guests who answered from a public meeting page are not in the member file: their name
    and e-mail go `RETENTION_UNHANDLED_MONTHS` after the meeting. A participant's answers stay
    with them (and are kept, anonymised, when they are erased: see `keep_for_figures`)."""
    cutoff = timezone.localtime(now).date() - relativedelta(months=periods.unhandled_months)
    old = MeetingAnswer.objects.filter(person__isnull=True, meeting__date__lt=cutoff)
    return {GUESTS_FORGOTTEN: forget_records(old)}
