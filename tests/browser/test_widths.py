"""No page scrolls sideways: every admin list, and a record of each, at 1 280 px (the
coordinator's window), the admin's home first; the public pages at 360 px (an old phone). On
the demo's content, the SCIC's checks included."""

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse

from tests.browser.conftest import DESKTOP, PHONE, session_cookie

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.ignore_template_errors,  # the admin's templates rely on silent variables
]

WIDTH = """() => ({
  page: document.documentElement.scrollWidth,
  widest: [...document.querySelectorAll('body *')]
    .filter(el => el.getBoundingClientRect().right > window.innerWidth + 1)
    .slice(0, 3).map(el => el.tagName + '.' + el.className + ' ' +
      Math.round(el.getBoundingClientRect().right)),
})"""


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


def _admin_paths(user) -> list[str]:
    paths = [reverse("admin:index")]
    for model, _model_admin in admin.site._registry.items():
        opts = model._meta
        if not user.has_perm(f"{opts.app_label}.view_{opts.model_name}"):
            continue
        try:
            paths.append(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
        except NoReverseMatch:
            continue
        first = model._default_manager.order_by("pk").first()
        if first is not None:
            paths.append(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[first.pk])
            )
    return paths


def _overflows(page, base: str, paths: list[str]) -> list[str]:
    found = []
    for path in paths:
        page.goto(base + path)
        measured = page.evaluate(WIDTH)
        if measured["page"] > page.viewport_size["width"]:
            found.append(f"{path}: {measured['page']} px — {measured['widest']}")
    return found


def test_no_admin_page_scrolls_sideways_at_1280_px(
    live_server, demo, coordinator, coordinator_page
):
    coordinator_page.set_viewport_size(DESKTOP)
    assert _overflows(coordinator_page, live_server.url, _admin_paths(coordinator)) == []


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
