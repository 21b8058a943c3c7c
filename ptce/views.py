"""Site-wide pages: home, about, legal notice, the agenda and its calendar feed, and the
files robots and browsers ask for (robots.txt, the theme stylesheet)."""

from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from association import calendars
from association.identity import get_site_identity, site_url
from association.models import CALENDAR_FEED_WINDOW
from association.page_cache import cached_page, not_stored, page_number, text
from events.models import Event
from groups.models import Meeting, WorkingGroup
from members.models import Person, Structure
from news.models import Article, Issue
from news.views.articles import note_next_publication
from ptce.agenda import AgendaFilterForm, agenda_page, empty_filter_message
from ptce.theme import current_theme_version, theme_stylesheet, theme_version
from report.figures import latest_complete_figures

HOME_EVENTS = 3
HOME_ARTICLES = 3
THEME_MAX_AGE = 60 * 60 * 24 * 365


@cached_page()
class HomeView(TemplateView):
    """What the PTCE is, when each group meets next, the next events, the latest figures and
    the call to join."""

    template_name = "ptce/home.html"

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        note_next_publication(self.request)  # the latest articles and newsletter, at their hour
        groups = list(WorkingGroup.objects.active())
        next_meetings = {
            meeting.group_id: meeting
            for meeting in Meeting.objects.next_per_group(today=today).filter(
                group__is_active=True
            )
        }
        for group in groups:
            group.next_meeting = next_meetings.get(group.pk)
        return super().get_context_data(
            groups=groups,
            events=Event.objects.published().upcoming(today).select_related("venue")[:HOME_EVENTS],
            figures=latest_complete_figures(today),
            articles=Article.objects.published()
            .newest_first()
            .select_related("group")[:HOME_ARTICLES],
            latest_issue=Issue.objects.public().order_by("-number").first(),
            **kwargs,
        )


@cached_page()
class AboutView(TemplateView):
    """The association's story, its office and its team."""

    template_name = "ptce/about.html"

    def get_context_data(self, **kwargs):
        roles = list(Person.TeamRole.values)
        team = sorted(
            Person.objects.exclude(team_role="").select_related("structure"),
            key=lambda person: (roles.index(person.team_role), person.last_name),
        )
        founders = Structure.objects.filter(is_founding_member=True).order_by("name")
        return super().get_context_data(team=team, founders=founders, **kwargs)


@cached_page()
class LegalNoticeView(TemplateView):
    """« Mentions légales », from the site identity; a blank field reads « à compléter »."""

    template_name = "ptce/legal_notice.html"


@cached_page(groupe=text, type=text, page=page_number)
class AgendaView(TemplateView):
    """Upcoming meetings and events by month, filtered by group and by kind."""

    template_name = "ptce/agenda.html"
    past = False

    def get_context_data(self, **kwargs):
        form = AgendaFilterForm(self.request.GET or None)
        group, kind = None, ""
        if form.is_bound and form.is_valid():
            group, kind = form.cleaned_data["groupe"], form.cleaned_data["type"]
        elif form.is_bound:
            not_stored(self.request)  # a filter no link gives: shown unfiltered, not kept
        page_number = self.request.GET.get("page")
        page = agenda_page(past=self.past, group=group, kind=kind, page_number=page_number)
        if page_number and str(page.number) != page_number:
            not_stored(self.request)  # past the last page: the last one, not kept
        feed = (
            reverse("groups:group_calendar", kwargs={"slug": group.slug})
            if group
            else reverse("site:calendar_feed")
        )
        return super().get_context_data(
            form=form,
            page_obj=page,
            entries=page.object_list,
            past=self.past,
            filtered=bool(group or kind),
            empty_filter_message=empty_filter_message(past=self.past, group=group, kind=kind)
            if group or kind
            else "",
            selected_group=group,
            feed_path=feed,
            **kwargs,
        )


@cached_page()
@require_safe
def calendar_feed(request):
    """The meetings and published events of the last twelve months and the next twelve, for a
    calendar application to subscribe to."""
    site = get_site_identity(request)
    origin = calendars.calendar_origin(site_url(), site)
    meetings = Meeting.objects.in_calendar_feed().order_by("date", "pk")
    events = Event.objects.published().in_calendar_feed().order_by("date", "pk")
    components = calendars.meeting_entries(meetings, origin=origin) + calendars.event_entries(
        events, origin=origin
    )
    calendar = calendars.build_calendar(
        origin=origin,
        path=request.path,
        key="agenda",
        name=f"Agenda — {site.name}",
        description=(
            f"Réunions des groupes de travail et événements {CALENDAR_FEED_WINDOW} — {site.name}"
        ),
        components=components,
    )
    return calendars.calendar_response(calendar, "agenda.ics", download=False)


@cached_page()
@require_safe
def robots_txt(request):
    # The back-office is not named: robots.txt is public, and the point of ADMIN_URL is that
    # nobody learns where it is. Nothing public links to it, and its pages say « noindex ».
    lines = [
        "User-agent: *",
        "Disallow:",
        f"Sitemap: {request.build_absolute_uri(reverse('site:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@cached_page(v=current_theme_version)
@require_safe
def theme_css(request):
    """The site's and the groups' colours as CSS custom properties. Pages link it with the
    identity's `theme_version`, so a versioned copy never changes and is cached for a year."""
    identity = get_site_identity(request)
    groups = WorkingGroup.objects.order_by("pk").values_list("pk", "accent_color")
    response = HttpResponse(
        theme_stylesheet(identity, groups), content_type="text/css; charset=utf-8"
    )
    if request.GET.get("v") == theme_version(identity):
        patch_cache_control(response, public=True, max_age=THEME_MAX_AGE, immutable=True)
    else:
        patch_cache_control(response, public=True, max_age=60)
    return response
