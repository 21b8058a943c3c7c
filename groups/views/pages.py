"""Public pages of the working groups: the list, a page per group, a page per meeting, and
their calendars."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView

from association import calendars, formats, structured_data
from association.identity import get_site_identity, site_url
from association.models import CALENDAR_FEED_WINDOW
from association.page_cache import cached_page, public_form
from groups.forms import GuestAnswerForm
from groups.models import GroupContact, GroupLead, Meeting, Project, ProjectUpdate, WorkingGroup

# Enough to see the group's rhythm; the agenda's archive, filtered by group, has the rest.
PAST_MEETINGS_SHOWN = 6
UPCOMING_MEETINGS_SHOWN = 8


def _leads():
    return Prefetch(
        "leads",
        queryset=GroupLead.objects.select_related("person", "structure").order_by("order", "pk"),
    )


@cached_page()
class GroupListView(ListView):
    """Every active group with its leads and next meeting; finished groups after them."""

    template_name = "groups/group_list.html"
    context_object_name = "groups"

    def get_queryset(self):
        return WorkingGroup.objects.prefetch_related(_leads()).order_by(
            "-is_active", "order", "name"
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        next_meetings = {m.group_id: m for m in Meeting.objects.next_per_group()}
        groups = list(context["groups"])
        for group in groups:
            group.next_meeting = next_meetings.get(group.pk)
        context["active_groups"] = [g for g in groups if g.is_active]
        context["former_groups"] = [g for g in groups if not g.is_active]
        context["feed_path"] = reverse("site:calendar_feed")
        return context


@cached_page()
class GroupDetailView(DetailView):
    """A group: what it does, who leads it, how to reach it, when it meets, its projects."""

    template_name = "groups/group_detail.html"
    context_object_name = "group"

    def get_queryset(self):
        projects = (
            Project.objects.published()
            .prefetch_related(
                Prefetch(
                    "updates",
                    queryset=ProjectUpdate.objects.order_by("-date", "-pk")[:1],
                    to_attr="latest_updates",
                ),
                "structures",
            )
            .order_by("name")
        )
        return WorkingGroup.objects.prefetch_related(
            _leads(),
            Prefetch("contacts", queryset=GroupContact.objects.published()),
            Prefetch("projects", queryset=projects),
        )

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        meetings = Meeting.objects.for_group(self.object).select_related("venue", "group")
        upcoming = list(meetings.upcoming(today)[: UPCOMING_MEETINGS_SHOWN + 1])
        past = list(meetings.past(today)[: PAST_MEETINGS_SHOWN + 1])
        return super().get_context_data(
            upcoming=upcoming[:UPCOMING_MEETINGS_SHOWN],
            more_upcoming=len(upcoming) > UPCOMING_MEETINGS_SHOWN,
            past_meetings=past[:PAST_MEETINGS_SHOWN],
            more_past=len(past) > PAST_MEETINGS_SHOWN,
            feed_path=reverse("groups:group_calendar", kwargs={"slug": self.object.slug}),
            **kwargs,
        )


@cached_page()
class MeetingDetailView(DetailView):
    """A meeting: when, where, what is on the agenda, its minutes once published."""

    template_name = "groups/meeting_detail.html"
    context_object_name = "meeting"

    def get_queryset(self):
        return Meeting.objects.filter(group__slug=self.kwargs["slug"]).select_related(
            "group", "venue"
        )

    def get_context_data(self, **kwargs):
        meeting = self.object
        request = self.request
        site = get_site_identity(request)
        is_past = meeting.date < timezone.localdate()
        # The guests' form is the same for everyone but its CSRF token: the page is cached.
        public_form(request)
        return super().get_context_data(
            group=meeting.group,
            is_past=is_past,
            # How many, never who: names of those who answer stay in the back-office.
            expected_count=meeting.answers.coming().count(),
            public_documents=list(meeting.documents.public().order_by("title")),
            guest_form=None if is_past or meeting.is_cancelled else GuestAnswerForm(),
            jsonld=structured_data.event_data(
                name=formats.typography(f"Réunion du groupe « {meeting.group.name} »"),
                url=request.build_absolute_uri(meeting.get_absolute_url()),
                date=meeting.date,
                start=meeting.start_time,
                end=meeting.end_time,
                venue=meeting.venue,
                description=meeting.group.short_description,
                cancelled=meeting.is_cancelled,
                site=site,
                home_url=request.build_absolute_uri(reverse("site:home")),
            ),
            **kwargs,
        )


@cached_page()
@require_safe
def group_calendar(request, slug):
    """The meetings of one group (the last twelve months and the next twelve), for a calendar
    application to subscribe to."""
    group = get_object_or_404(WorkingGroup, slug=slug)
    site = get_site_identity(request)
    meetings = group.meetings.in_calendar_feed().order_by("date", "pk")
    origin = calendars.calendar_origin(site_url(), site)
    calendar = calendars.build_calendar(
        origin=origin,
        path=request.path,
        key=f"group-{group.pk}",
        name=f"{group.name} — {site.name}",
        description=(
            f"Réunions du groupe de travail « {group.name} » {CALENDAR_FEED_WINDOW} — {site.name}"
        ),
        components=calendars.meeting_entries(meetings, origin=origin),
    )
    return calendars.calendar_response(calendar, f"{group.slug}.ics", download=False)


@cached_page()
@require_safe
def meeting_ics(request, slug, pk):
    """One meeting as a file to add to a calendar."""
    meeting = get_object_or_404(
        Meeting.objects.select_related("group", "venue"), group__slug=slug, pk=pk
    )
    origin = calendars.calendar_origin(site_url(), get_site_identity(request))
    calendar = calendars.meeting_calendar(meeting, origin=origin)
    filename = f"reunion-{meeting.group.slug}-{meeting.date:%Y-%m-%d}.ics"
    return calendars.calendar_response(calendar, filename, download=True)
