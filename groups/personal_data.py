"""What the working groups hold about a person, declared to the member file's personal-data and
retention services (see `members.services.personal_data`)."""

from django.db.models import Q

from groups.models import GroupContact, GroupLead
from members.services.personal_data import PersonalDataSource

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
