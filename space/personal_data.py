"""What the partners' space holds about a person, declared to the member file (see
`members.services.personal_data`)."""

import datetime

from django_tasks_db.models import DBTaskResult

from members.privacy import RetentionPeriods
from members.services.personal_data import PersonalDataSource, forget_records
from space.models import SignInLink
from space.services.sign_in import handle_sign_in_request

# The token's hash says nothing to the person: the export gives when links were asked and used.
SIGN_IN_LINKS = PersonalDataSource(
    model=SignInLink,
    records=lambda person: SignInLink.objects.filter(person=person),
    export_row=lambda link: {
        "demandé le": link.created_at.isoformat(),
        "utilisé le": link.used_at.isoformat() if link.used_at else None,
    },
)


def sign_in_requests_of(person):
    """The queued requests for a link, which hold the address as typed (until
    `prune_db_task_results` removes them)."""
    if not person.email:
        return DBTaskResult.objects.none()
    return DBTaskResult.objects.filter(
        task_path=handle_sign_in_request.module_path,
        args_kwargs__kwargs__email__iexact=person.email,
    )


SIGN_IN_REQUESTS = PersonalDataSource(
    model=DBTaskResult,
    records=sign_in_requests_of,
    export_row=lambda task: {"demandé le": task.enqueued_at.isoformat()},
    name="demandes de lien de connexion",
)

OLD_LINKS = "Liens de connexion à « Mon espace » de plus d'un jour supprimés"


def forget_old_sign_in_links(periods: RetentionPeriods, now: datetime.datetime) -> dict[str, int]:
    """A sign-in link is useless once expired: gone a day later."""
    old = SignInLink.objects.filter(created_at__lt=now - datetime.timedelta(days=1))
    return {OLD_LINKS: forget_records(old)}
