"""What the SCIC holds about a person, declared to the member file's personal-data and
retention services (see `members.services.personal_data`)."""

from django.db.models import Q

from members.services.personal_data import PersonalDataSource
from scic.models import Associate

REGISTER_SOURCE = PersonalDataSource(
    model=Associate,
    name="registre des associés",
    records=lambda person: Associate.objects.filter(person=person),
    # The register of associates is kept as the law requires: an erased person stays in it,
    # anonymised, with their shares.
    kept_by_law=True,
    # A current associate is convened to every assembly: their address stays.
    keep=lambda: Q(scic_associates__isnull=False, scic_associates__exit_date__isnull=True),
)
