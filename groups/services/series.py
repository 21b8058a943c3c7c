"""Series of meetings: each occurrence of the rule becomes a real meeting; a change of the
series reaches only the future occurrences nobody edited by hand."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from association import formats
from groups.models import Meeting, MeetingSeries
from groups.services.invitations import notify_meeting_change
from groups.services.meetings import cancel_meeting


@dataclass
class SeriesOutcome:
    """What planning or changing a series did, for the coordinator's message."""

    created: list[Meeting] = field(default_factory=list)
    updated: list[Meeting] = field(default_factory=list)
    removed: list[datetime.date] = field(default_factory=list)
    left_alone: list[Meeting] = field(default_factory=list)
    told: int = 0  # people told by e-mail that an invited meeting moved

    def message(self) -> str:
        parts = []
        if self.created:
            parts.append(_count(len(self.created), "réunion créée", "réunions créées"))
        if self.updated:
            parts.append(_count(len(self.updated), "réunion mise à jour", "réunions mises à jour"))
        if self.removed:
            parts.append(_count(len(self.removed), "réunion retirée", "réunions retirées"))
        text = (", ".join(parts) or "Aucune réunion à changer") + "."
        if self.told:
            text += f" Prévenu{'s' if self.told > 1 else ''} par e-mail\u00a0: {self.told}."
        if self.left_alone:
            days = formats.enumerate_in_french(formats.long_date(m.date) for m in self.left_alone)
            text += f" Laissées telles quelles, car modifiées à la main\u00a0: {days}."
        return text


def _count(number: int, singular: str, plural: str) -> str:
    return f"{number} {singular if number == 1 else plural}"


def _occurrence(series: MeetingSeries, day: datetime.date) -> Meeting:
    return Meeting(
        group=series.group,
        series=series,
        occurrence_date=day,
        date=day,
        start_time=series.start_time,
        end_time=series.end_time,
        venue=series.venue,
        agenda=series.agenda,
        is_sample=series.is_sample,
    )


@transaction.atomic
def plan_series(
    *, series: MeetingSeries, site_url: str = "", today: datetime.date | None = None
) -> SeriesOutcome:
    """Make the meetings of a series agree with its rule, from today on: create the missing
    occurrences, bring the others to the series' hours, place and agenda, and remove those the
    rule no longer gives. A meeting edited by hand (moved, re-placed, cancelled on its own), a
    past one, or one already held is never touched: the outcome names them. Who said yes or
    maybe to an invited meeting that moves (hours, place) or goes is told by e-mail.

    Times are local (a date and an hour of the day in the site's time zone), so a 14 h series
    stays at 14 h across the daylight-saving changes."""
    today = today or timezone.localdate()
    series.full_clean()
    wanted = {day for day in series.dates() if day >= today}
    outcome = SeriesOutcome()
    existing = {
        meeting.occurrence_date: meeting
        for meeting in Meeting.objects.filter(series=series, occurrence_date__gte=today)
    }
    for day, meeting in sorted(existing.items()):
        if meeting.edited_by_hand or meeting.status == Meeting.Status.HELD:
            if day not in wanted or _differs(meeting, series):
                outcome.left_alone.append(meeting)
            continue
        if day not in wanted:
            outcome.removed.append(day)
            if meeting.invitations_sent_at:
                # People were invited: the meeting stays, cancelled, and they are told.
                cancel_meeting(meeting=meeting, site_url=site_url)
            else:
                meeting.delete()
            continue
        if _differs(meeting, series):
            moved = (meeting.start_time, meeting.end_time, meeting.venue_id) != (
                series.start_time,
                series.end_time,
                series.venue_id,
            )
            meeting.start_time, meeting.end_time = series.start_time, series.end_time
            meeting.venue, meeting.agenda = series.venue, series.agenda
            meeting.save()  # its SEQUENCE grows: subscribed calendars follow
            outcome.updated.append(meeting)
            if moved and meeting.invitations_sent_at and site_url:
                # As when one meeting is moved by hand: who said yes or maybe is told.
                outcome.told += notify_meeting_change(
                    meeting=meeting, site_url=site_url, what="déplacée"
                )
    for day in sorted(wanted - existing.keys()):
        meeting = _occurrence(series, day)
        meeting.save()
        outcome.created.append(meeting)
    return outcome


def _differs(meeting: Meeting, series: MeetingSeries) -> bool:
    return (meeting.start_time, meeting.end_time, meeting.venue_id, meeting.agenda) != (
        series.start_time,
        series.end_time,
        series.venue_id,
        series.agenda,
    ) or meeting.date != meeting.occurrence_date


SERIES_FIELDS = ("date", "start_time", "end_time", "venue", "is_cancelled")


def mark_edited_by_hand(*, meeting: Meeting, changed_fields: list[str]) -> None:
    """A meeting of a series whose date, hours, place or cancellation was changed on its own:
    later changes of the series leave it alone."""
    if meeting.series_id and set(changed_fields) & set(SERIES_FIELDS):
        meeting.edited_by_hand = True
