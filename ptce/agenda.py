"""The agenda: working-group meetings and published events in one chronological list.

Meetings and events live in two tables; one UNION query of (date, hour, source, pk) orders
and paginates both together in the database, then the page's items are fetched in one query
per table. The page costs the same number of queries with ten items or ten thousand.
"""

import datetime
from dataclasses import dataclass

from django import forms
from django.core.paginator import Page, Paginator
from django.db.models import CharField, F, Value
from django.utils import timezone

from events.models import Event
from groups.forms import GroupFilterField
from groups.models import Meeting, WorkingGroup

MEETINGS = "reunions"
PER_PAGE = 40


class AgendaFilterForm(forms.Form):
    """The agenda's filters: plain GET parameters, so the form works without JavaScript and a
    filtered agenda can be bookmarked or shared."""

    groupe = GroupFilterField()
    type = forms.ChoiceField(
        label="Type de rendez-vous",
        choices=[
            ("", "Réunions et événements"),
            (MEETINGS, "Réunions des groupes de travail"),
            *Event.Kind.choices,
        ],
        required=False,
    )


@dataclass(frozen=True)
class AgendaEntry:
    """A meeting or an event, as one line of the agenda."""

    item: Meeting | Event

    @property
    def is_meeting(self) -> bool:
        return isinstance(self.item, Meeting)

    @property
    def date(self) -> datetime.date:
        return self.item.date

    @property
    def start_time(self):
        return self.item.start_time

    @property
    def end_time(self):
        return self.item.end_time

    @property
    def month(self) -> datetime.date:
        return self.item.date.replace(day=1)

    @property
    def title(self) -> str:
        return self.item.group.name if self.is_meeting else self.item.title

    @property
    def label(self) -> str:
        return "Réunion du groupe" if self.is_meeting else self.item.get_kind_display()

    @property
    def group(self) -> WorkingGroup | None:
        return self.item.group if self.is_meeting else None

    @property
    def venue(self):
        return self.item.venue

    @property
    def is_cancelled(self) -> bool:
        return self.item.is_cancelled

    @property
    def is_sample(self) -> bool:
        return self.is_meeting and self.item.is_sample

    @property
    def url(self) -> str:
        return self.item.get_absolute_url()


def _keys(queryset, source: str):
    return (
        queryset.order_by()
        .annotate(source=Value(source, output_field=CharField()))
        .values_list("date", "start_time", "source", "pk")
    )


def empty_filter_message(*, past: bool, group: WorkingGroup | None, kind: str) -> str:
    """What a filtered agenda with nothing in it says: each filter in its own words, and only
    a group's filter speaks of the group's next meeting."""
    if group is not None and kind not in ("", MEETINGS):
        label = Event.Kind(kind).label.lower()
        return (
            f"Un groupe de travail n'a que des réunions\u00a0: aucun événement de type "
            f"«\u00a0{label}\u00a0» dans l'agenda du groupe «\u00a0{group.name}\u00a0». "
            "Retirez l'un des deux filtres."
        )
    if group is not None:
        if past:
            return f"Aucune réunion passée du groupe «\u00a0{group.name}\u00a0»."
        return (
            f"Aucune réunion à venir du groupe «\u00a0{group.name}\u00a0» pour le moment\u00a0: "
            "la prochaine sera publiée ici dès qu'elle sera fixée."
        )
    if kind == MEETINGS:
        when = "passée" if past else "à venir pour le moment"
        return f"Aucune réunion de groupe de travail {when}."
    label = Event.Kind(kind).label.lower()
    when = "passé" if past else "à venir pour le moment"
    return f"Aucun événement de type «\u00a0{label}\u00a0» {when}."


def agenda_page(
    *,
    past: bool = False,
    group: WorkingGroup | None = None,
    kind: str = "",
    page_number=1,
    per_page: int = PER_PAGE,
    today: datetime.date | None = None,
) -> Page:
    """One page of the agenda, upcoming (soonest first) or past (latest first); the page's
    `object_list` is a list of `AgendaEntry`."""
    today = today or timezone.localdate()
    meetings = Meeting.objects.all()
    events = Event.objects.published()
    if past:
        meetings, events = meetings.filter(date__lt=today), events.filter(date__lt=today)
    else:
        meetings, events = meetings.filter(date__gte=today), events.filter(date__gte=today)
    if group is not None:
        meetings, events = meetings.filter(group=group), events.none()
    if kind == MEETINGS:
        events = events.none()
    elif kind:
        meetings, events = meetings.none(), events.filter(kind=kind)

    direction = "desc" if past else "asc"
    # Explicit NULLS placement: SQLite and PostgreSQL disagree on where NULL sorts.
    order = [
        getattr(F("date"), direction)(),
        # A day without an hour reads as its start: first when ascending, last when descending.
        F("start_time").desc(nulls_last=True) if past else F("start_time").asc(nulls_first=True),
        getattr(F("source"), direction)(),
        getattr(F("pk"), direction)(),
    ]
    keys = _keys(meetings, "meeting").union(_keys(events, "event"), all=True).order_by(*order)
    page = Paginator(keys, per_page).get_page(page_number)

    rows = list(page.object_list)
    meeting_ids = [pk for _date, _time, source, pk in rows if source == "meeting"]
    event_ids = [pk for _date, _time, source, pk in rows if source == "event"]
    found = {}
    if meeting_ids:
        found |= {
            ("meeting", m.pk): m
            for m in Meeting.objects.filter(pk__in=meeting_ids).select_related("group", "venue")
        }
    if event_ids:
        events = Event.objects.filter(pk__in=event_ids).select_related("venue")
        found |= {("event", e.pk): e for e in events}
    page.object_list = [AgendaEntry(found[(source, pk)]) for _d, _t, source, pk in rows]
    return page
