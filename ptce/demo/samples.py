"""Demo sample meetings: upcoming dates in each group's rhythm, so the portal shows an ordinary
day although the newsletter's meetings are history. Never used outside DEBUG (see the command)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from association.content import bump_content_version
from association.models import REVERSE_CHRONOLOGICAL
from groups.models import Meeting, WorkingGroup

SAMPLE_RHYTHM = datetime.timedelta(weeks=8)
SAMPLE_HORIZON_MONTHS = 6
SAMPLE_AGENDA = (
    "Réunion d'exemple, générée pour la démonstration du portail dans le rythme habituel "
    "du groupe (même jour de la semaine, même heure, même lieu que sa dernière réunion). "
    "Ce n'est pas une vraie date."
)


@transaction.atomic
def make_sample_meetings(*, today: datetime.date | None = None) -> list[Meeting]:
    """Replace the sample meetings: for each active group, dates every eight weeks from its last
    real meeting (so on the same weekday, at the same hour and place) that fall within the
    next six months. Groups that never met get none. Real meetings are never touched."""
    today = today or timezone.localdate()
    horizon = today + relativedelta(months=SAMPLE_HORIZON_MONTHS)
    Meeting.objects.samples().delete()
    created = []
    for group in WorkingGroup.objects.active().order_by("order", "pk"):
        last = (
            Meeting.objects.for_group(group)
            .not_cancelled()
            .order_by(*REVERSE_CHRONOLOGICAL)
            .first()
        )
        if last is None:
            continue
        day = last.date + SAMPLE_RHYTHM
        while day <= today:
            day += SAMPLE_RHYTHM
        while day <= horizon:
            created.append(
                Meeting(
                    group=group,
                    date=day,
                    start_time=last.start_time,
                    end_time=last.end_time,
                    venue=last.venue,
                    agenda=SAMPLE_AGENDA,
                    status=Meeting.Status.PLANNED,
                    is_sample=True,
                )
            )
            day += SAMPLE_RHYTHM
    meetings = Meeting.objects.bulk_create(created)
    bump_content_version()  # bulk_create sends no signal
    return meetings
