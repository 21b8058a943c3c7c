"""What the working groups hold about a person, declared to the member file's personal-data and
retention services (see `members.services.personal_data`)."""

from django.db.models import Q

from groups.models import GroupLead
from members.services.personal_data import PersonalDataSource

LEADS = PersonalDataSource(
    model=GroupLead,
    records=lambda person: GroupLead.objects.filter(person=person),
    # The lead of an active group is its public contact: their details stay.
    keep=lambda: Q(group_leads__group__is_active=True),
)
