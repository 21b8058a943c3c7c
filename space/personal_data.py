"""What the partners' space holds about a person, declared to the member file (see
`members.services.personal_data`)."""

import datetime

from members.privacy import RetentionPeriods
from members.services.personal_data import PersonalDataSource, forget_records
from space.models import SignInLink

# The token's hash says nothing to the person: the export gives when links were asked and used.
SIGN_IN_LINKS = PersonalDataSource(
    model=SignInLink,
    records=lambda person: SignInLink.objects.filter(person=person),
    export_row=lambda link: {
        "demandé le": link.created_at.isoformat(),
        "utilisé le": link.used_at.isoformat() if link.used_at else None,
    },
)

OLD_LINKS = "Liens de connexion à « Mon espace » de plus d'un jour supprimés"


def forget_old_sign_in_links(periods: RetentionPeriods, now: datetime.datetime) -> dict[str, int]:
    """A sign-in link is useless once expired: gone a day later."""
    old = SignInLink.objects.filter(created_at__lt=now - datetime.timedelta(days=1))
    return {OLD_LINKS: forget_records(old)}
