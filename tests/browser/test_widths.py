"""No page scrolls sideways: every admin list, its add page, a record of each and the
record's own pages (accept, add a participant, close…), at 1 280 px (the coordinator's
window), the admin's home first; the public pages and « Mon espace » at 360 px (an old phone).
On the demo's content, the SCIC's checks included."""

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.management import call_command
from django.test import Client
from django.urls import NoReverseMatch, URLPattern, reverse
from playwright.sync_api import Error as PlaywrightError

from tests.browser.conftest import DESKTOP, PHONE, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.ignore_template_errors,  # the admin's templates rely on silent variables
]

# The elements past the window's edge are looked for only on a page that overflows: measuring
# every element of every page took a third of the crawl.
WIDTH = """() => {
  const page = document.documentElement.scrollWidth;
  const widest = page <= window.innerWidth ? [] : [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(el => el.tagName + '.' + el.className + ' ' +
      Math.round(el.getBoundingClientRect().right));
  return {page, widest};
}"""


@pytest.fixture
def demo(settings, legal_rules):
    settings.DEBUG = True  # the sample commands refuse to run otherwise
    for command in ("load_newsletter", "make_sample_meetings", "make_sample_participants"):
        call_command(command, verbosity=0)
    settings.DEBUG = False


@pytest.fixture
def coordinator_page(context, coordinator, live_server):
    context.add_cookies([session_cookie(coordinator, live_server)])
    return context.new_page()


# The admin's own views, already measured (list, add, change), or no page to show (autocomplete;
# the import's second step, which answers a POST only).
STANDARD_VIEWS = ("changelist", "add", "change", "history", "delete", "autocomplete")
STANDARD_VIEWS += ("process_import",)


def _record_pages(model_admin, pk) -> list[str]:
    """The model admin's own pages about one record (accept a request, add a participant,
    close a meeting…), from its URLs: each name reversed with the record's key."""
    opts = model_admin.model._meta
    prefix = f"{opts.app_label}_{opts.model_name}_"
    paths = []
    for pattern in model_admin.get_urls():
        name = getattr(pattern, "name", None) or ""
        if not isinstance(pattern, URLPattern) or not name.startswith(prefix):
            continue
        if name.removeprefix(prefix) in STANDARD_VIEWS:
            continue
        try:
            paths.append(reverse(f"admin:{name}", args=[pk]))
        except NoReverseMatch:
            try:
                paths.append(reverse(f"admin:{name}"))
            except NoReverseMatch:
                continue
    return paths


def _admin_paths(user) -> list[str]:
    paths = [reverse("admin:index")]
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        try:
            paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        except NoReverseMatch:
            continue
        if user.has_perm(f"{opts.app_label}.add_{opts.model_name}"):
            paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
            paths += _record_pages(model_admin, first.pk)
    return paths


def _overflows(page, base: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        try:
            response = page.goto(base + path)
        except PlaywrightError as error:  # an attachment: Chromium downloads, no page loads
            if "Download is starting" in str(error):
                continue
            raise
        if response.headers.get("content-type", "").split(";")[0] != "text/html":
            continue  # a file to download (an export, a calendar), not a page
        measured = page.evaluate(WIDTH)
        if measured["page"] > page.viewport_size["width"]:
            found.append(f"{path}: {measured['page']} px — {measured['widest']}")
    return found


def test_no_admin_page_scrolls_sideways_at_1280_px(
    live_server, demo, coordinator, coordinator_page
):
    from tests.factories import JoinRequestFactory

    request = JoinRequestFactory(wants_groups=True)  # its accept page measured with the others
    paths = _admin_paths(coordinator)
    assert reverse("admin:joining_joinrequest_accept", args=[request.pk]) in paths
    assert reverse("admin:groups_meeting_add") in paths
    coordinator_page.set_viewport_size(DESKTOP)
    assert _overflows(coordinator_page, live_server.url, paths) == []


def test_the_admin_home_s_checks_table_fits_with_its_headers_whole(
    live_server, demo, coordinator_page
):
    coordinator_page.set_viewport_size(DESKTOP)
    coordinator_page.goto(live_server.url + reverse("admin:index"))
    table = coordinator_page.locator(".scic-checks table")
    assert table.bounding_box()["width"] <= DESKTOP["width"]
    # No header broken mid-word: each fits its cell on whole words.
    broken = coordinator_page.evaluate(
        """() => [...document.querySelectorAll('.scic-checks th')]
          .filter(th => th.scrollWidth > th.clientWidth + 1).map(th => th.textContent)"""
    )
    assert broken == []


def test_no_public_page_scrolls_sideways_at_360_px(live_server, demo, page):
    from events.models import Event
    from groups.models import Meeting, WorkingGroup
    from members.models import Structure

    group = WorkingGroup.objects.active().first()
    paths = [
        reverse("site:home"),
        reverse("site:about"),
        reverse("site:legal_notice"),
        reverse("site:agenda"),
        reverse("site:agenda_archive"),
        reverse("groups:group_list"),
        reverse("events:event_list"),
        reverse("site:structure_list"),
        reverse("joining:join"),
        reverse("members:privacy"),
        reverse("space:sign_in"),
        *[g.get_absolute_url() for g in WorkingGroup.objects.all()],
        *[e.get_absolute_url() for e in Event.objects.all()],
        Meeting.objects.filter(group=group).order_by("-date").first().get_absolute_url(),
        Meeting.objects.exclude(minutes="").first().get_absolute_url(),
        *[s.get_absolute_url() for s in Structure.objects.all()[:10]],
    ]
    page.set_viewport_size(PHONE)
    assert _overflows(page, live_server.url, paths) == []


def test_mon_espace_does_not_scroll_sideways_at_360_px(live_server, demo, page):
    """A sample participant of the group with the published sample minutes: their space, a
    past meeting with its minutes, a meeting to come (their answer's form), the sign-in form."""
    from groups.models import Meeting
    from tests.conftest import sign_in_to_space

    minutes = Meeting.objects.get(is_sample=True, status=Meeting.Status.HELD)
    person = minutes.group.participant_people.filter(email__endswith="@example.org").first()
    upcoming = Meeting.objects.upcoming().for_group(minutes.group).first()
    client = Client()
    sign_in_to_space(client, person)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    paths = [
        reverse("space:home"),
        reverse("space:meeting", args=[minutes.pk]),
        reverse("space:meeting", args=[upcoming.pk]),
        reverse("space:sign_in"),
    ]
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + paths[0])
    assert page.get_by_role("heading", level=1).text_content().startswith("Bonjour")
    assert _overflows(page, live_server.url, paths) == []
