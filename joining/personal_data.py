"""What join requests hold about a person, declared to the member file's personal-data and
retention services (see `members.services.personal_data`)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db.models import Max, Q
from django.db.models.functions import Coalesce

from joining.models import JoinRequest
from members.models import Person
from members.privacy import RetentionPeriods
from members.services.personal_data import PersonalDataSource, forget_records, row
from outbox.models import OutgoingMail

DECLINED_DELETED = "Demandes refusées supprimées"
UNHANDLED_DELETED = "Demandes restées sans réponse supprimées"


def join_requests_of(person: Person):
    """The requests linked to the person, or sent with their e-mail address."""
    condition = Q(person=person)
    if person.email:
        condition |= Q(email__iexact=person.email)
    return JoinRequest.objects.filter(condition).prefetch_related("groups", "outgoing_mails")


def export_join_request(join_request: JoinRequest) -> dict:
    return {
        **row(join_request),
        "groupes de travail souhaités": [group.name for group in join_request.groups.all()],
        str(OutgoingMail._meta.verbose_name_plural): [
            row(outgoing) for outgoing in join_request.outgoing_mails.all()
        ],
    }


def delete_expired_requests(periods: RetentionPeriods, now: datetime.datetime) -> dict[str, int]:
    """Declined requests `RETENTION_DECLINED_MONTHS` after the decision; requests left without
    an answer (« nouvelle » or « en cours ») `RETENTION_UNHANDLED_MONTHS` after they arrived,
    however recently a coordinator took them: the privacy page promises it from the date they
    were sent. Their mails go with them."""
    declined = JoinRequest.objects.filter(
        status=JoinRequest.Status.DECLINED,
        handled_at__lt=now - relativedelta(months=periods.declined_months),
    )
    unhandled = JoinRequest.objects.open().filter(
        created_at__lt=now - relativedelta(months=periods.unhandled_months)
    )
    return {
        DECLINED_DELETED: forget_records(declined),
        UNHANDLED_DELETED: forget_records(unhandled),
    }


JOIN_REQUESTS = PersonalDataSource(
    model=JoinRequest,
    records=join_requests_of,
    export_row=export_join_request,
    # A request counts from the day it was accepted (or sent).
    last_activity=lambda: Max(Coalesce("join_requests__handled_at", "join_requests__created_at")),
    # Accepted requests copied the contact details that retention erases.
    forget_when_inactive=True,
)
