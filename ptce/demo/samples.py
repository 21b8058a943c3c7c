"""Demo sample meetings: one marked sample series per active group, in its rhythm, so the
portal shows an ordinary day although the newsletter's meetings are history. Never used
outside DEBUG (see the command)."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone

from association.models import REVERSE_CHRONOLOGICAL
from groups.models import Meeting, MeetingSeries, WorkingGroup
from groups.models.series import ICAL_WEEKDAYS
from groups.services.series import plan_series

# Groups meet every five to eight weeks. Every seven weeks for a year gives seven or eight
# meetings: at least six even when one falls on a holiday (24, 25, 31 December, 1 January)
# and is left out.
SAMPLE_RHYTHM_WEEKS = 7
SAMPLE_AGENDA = (
    "Réunion d'exemple, générée pour la démonstration du portail dans le rythme habituel "
    "du groupe (même jour de la semaine, même heure, même lieu que sa dernière réunion). "
    "Ce n'est pas une vraie date."
)


@transaction.atomic
def make_sample_meetings(*, today: datetime.date | None = None) -> list[Meeting]:
    """Replace the sample series: for each active group, a series every seven weeks for a year
    from its last real meeting (so on the same weekday, at the same hour and place), starting
    after today. Groups that never met get none. Real meetings are never touched."""
    today = today or timezone.localdate()
    Meeting.objects.samples().delete()
    MeetingSeries.objects.filter(is_sample=True).delete()
    created = []
    for group in WorkingGroup.objects.active().order_by("order", "pk"):
        last = (
            Meeting.objects.for_group(group)
            .not_cancelled()
            .exclude(start_time=None)
            .order_by(*REVERSE_CHRONOLOGICAL)
            .first()
        )
        if last is None:
            continue
        first = last.date + datetime.timedelta(weeks=SAMPLE_RHYTHM_WEEKS)
        while first <= today:
            first += datetime.timedelta(weeks=SAMPLE_RHYTHM_WEEKS)
        series = MeetingSeries.objects.create(
            group=group,
            rule=(
                f"FREQ=WEEKLY;INTERVAL={SAMPLE_RHYTHM_WEEKS};"
                f"BYDAY={ICAL_WEEKDAYS[first.weekday()]};"
                f"UNTIL={today + relativedelta(years=1):%Y%m%d}T235959"
            ),
            first_date=first,
            start_time=last.start_time,
            end_time=last.end_time,
            venue=last.venue,
            agenda=SAMPLE_AGENDA,
            is_sample=True,
        )
        created += plan_series(series=series, today=today).created
    return created
