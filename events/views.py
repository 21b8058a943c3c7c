"""Public pages of the events: the list, a page per event with its programme, its calendar
file."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from association import calendars, structured_data
from association.identity import get_site_identity
from events.models import Event, Session, SessionSpeaker

PAST_PER_PAGE = 12


class EventListView(ListView):
    """Upcoming events first (all of them), then past ones, a page at a time."""

    template_name = "events/event_list.html"
    context_object_name = "past_events"
    paginate_by = PAST_PER_PAGE

    def get_queryset(self):
        return Event.objects.published().past().select_related("venue")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            upcoming_events=Event.objects.published().upcoming().select_related("venue"),
            **kwargs,
        )


def programme(sessions: list[Session]) -> list[tuple[str, list[Session]]]:
    """Sessions grouped under « Matin », « Après-midi », « Soirée », each part in the
    programme's order. A session whose part of the day is not given belongs with the one
    before it (a testimony between the morning's speeches reads as part of the morning);
    with no part given at all, there is a single group without a heading."""
    labels = dict(Session.PartOfDay.choices)
    rank = {value: index for index, value in enumerate(labels)}
    current = next((s.part_of_day for s in sessions if s.part_of_day), "")
    parts = []
    for session in sessions:
        current = session.part_of_day or current
        parts.append(current)
    grouped: dict[str, list[Session]] = {}
    for part, session in sorted(
        zip(parts, sessions, strict=True), key=lambda pair: rank.get(pair[0], -1)
    ):
        grouped.setdefault(part, []).append(session)
    return [(labels.get(part, ""), items) for part, items in grouped.items()]


class EventDetailView(DetailView):
    """An event: date, place, organisers, programme. Unpublished events do not exist here."""

    template_name = "events/event_detail.html"
    context_object_name = "event"

    def get_queryset(self):
        speakers = SessionSpeaker.objects.select_related("person", "structure").order_by(
            "order", "pk"
        )
        sessions = (
            Session.objects.select_related("facilitator")
            .prefetch_related(Prefetch("speakers", queryset=speakers))
            .order_by("order", "pk")
        )
        return (
            Event.objects.published()
            .select_related("venue")
            .prefetch_related("organisers", Prefetch("sessions", queryset=sessions))
        )

    def get_context_data(self, **kwargs):
        event = self.object
        request = self.request
        return super().get_context_data(
            programme=programme(list(event.sessions.all())),
            is_past=event.date < timezone.localdate(),
            jsonld=structured_data.event_data(
                name=event.title,
                url=request.build_absolute_uri(event.get_absolute_url()),
                date=event.date,
                start=event.start_time,
                end=event.end_time,
                venue=event.venue,
                description=event.summary,
                cancelled=event.is_cancelled,
                site=get_site_identity(request),
                home_url=request.build_absolute_uri(reverse("site:home")),
                organisers=list(event.organisers.all()),
            ),
            **kwargs,
        )


@require_safe
def event_ics(request, slug):
    """One event as a file to add to a calendar."""
    event = get_object_or_404(Event.objects.published().select_related("venue"), slug=slug)
    calendar = calendars.build_calendar(
        request=request,
        key=f"event-{event.pk}",
        name=event.title,
        description=event.summary or event.title,
        components=[calendars.event_component(event, request=request)],
    )
    return calendars.calendar_response(calendar, f"{event.slug}.ics", download=True)
