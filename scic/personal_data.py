"""What the SCIC holds about a person, declared to the member file's personal-data and
retention services (see `members.services.personal_data`)."""

from django.db.models import Q
from django.utils import timezone

from audit.registry import update_logged
from members.services.personal_data import PersonalDataSource
from scic.models import Associate, ConvocationConsent

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


def _consents(person):
    """The person's own consents, and any given for their address (a structure convened at a
    contact person's e-mail)."""
    condition = Q(associate__person=person)
    if person.email:
        condition |= Q(email__iexact=person.email)
    return ConvocationConsent.objects.filter(condition)


def _forget_consents(person, consents) -> None:
    """The dates stay, the proof of what was asked; the address goes, and with it the consent:
    a consent in force is withdrawn on the day (the next convocations go by post)."""
    update_logged(consents.in_force(), withdrawn_on=timezone.localdate())
    update_logged(consents, hide_before=True, email="", note="")


CONSENT_SOURCE = PersonalDataSource(
    model=ConvocationConsent,
    name="accords pour la convocation électronique",
    records=_consents,
    forget=_forget_consents,
)
