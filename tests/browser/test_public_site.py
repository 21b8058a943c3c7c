"""The public pages in a real Chromium: no console error or CSP violation (the JSON-LD and the
generated theme stylesheet included), WCAG 2.1 AA per axe-core, no horizontal scroll on a
360 px phone, valid HTML, the skip link reachable first, the groups' colours applied.

Every public page is in `site_paths`; the join form's other states (errors, confirmation, too
many requests) are in test_join.py."""

import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Session
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits,
    validate_html,
)
from tests.factories import (
    EventFactory,
    GroupContactFactory,
    GroupLeadFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    ProjectUpdateFactory,
    SessionFactory,
    SessionSpeakerFactory,
    SiteIdentityFactory,
    StructureFactory,
    VenueFactory,
    WorkingGroupFactory,
    YearlyFiguresFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def site_paths(db):
    """A small network whose every page has content, cancelled and sample items included."""
    today = timezone.localdate()
    SiteIdentityFactory(accent_color="#8a3b12")
    YearlyFiguresFactory(year=today.year - 1, meetings=34, beneficiaries=1932)
    venue = VenueFactory(
        name="Garage solidaire", address="ZAC des Chauffours, un nom de zone assez long"
    )
    structure = StructureFactory(
        name="Association départementale pour le développement des solidarités", acronym="ADDS"
    )
    MembershipFactory(structure=structure, year=today.year)
    group = WorkingGroupFactory(
        name="Mobilité sociale, solidaire et inclusive", slug="mobilite", accent_color="#2e6b30"
    )
    group.participant_structures.add(structure)
    lead = PersonFactory(
        first_name="Fabrice",
        last_name="Taupin",
        structure=structure,
        email="fabrice.taupin.tres-long@structure-partenaire.example.org",
        phone="0359610520",
        show_contact_publicly=True,
    )
    GroupLeadFactory(group=group, person=lead, structure=structure)
    GroupContactFactory(group=group, label="Accueil", email="contact@structure.example.org")
    project = ProjectFactory(group=group, name="Plateforme de réemploi")
    project.structures.add(structure)
    ProjectUpdateFactory(project=project)
    upcoming = MeetingFactory(
        group=group, date=today + datetime.timedelta(days=10), venue=venue, agenda="Bilan !"
    )
    MeetingFactory(
        group=group,
        date=today + datetime.timedelta(days=20),
        venue=venue,
        is_cancelled=True,
    )
    MeetingFactory(group=group, date=today + datetime.timedelta(days=66), is_sample=True)
    MeetingFactory(
        group=group,
        date=today - datetime.timedelta(days=30),
        minutes_visibility="public",
        minutes="…",
    )
    seminar = EventFactory(
        title="Premier séminaire", slug="seminaire", date=today + datetime.timedelta(days=5)
    )
    seminar.organisers.add(structure)
    for order, part in enumerate((Session.PartOfDay.MORNING, Session.PartOfDay.AFTERNOON)):
        session = SessionFactory(
            event=seminar, order=order, part_of_day=part, facilitator=structure
        )
        SessionSpeakerFactory(session=session, person=lead, structure=structure)
    EventFactory(title="Assemblée générale", slug="ag", kind=Event.Kind.GENERAL_ASSEMBLY)
    return {
        "home": reverse("site:home"),
        "about": reverse("site:about"),
        "legal": reverse("site:legal_notice"),
        "agenda": reverse("site:agenda"),
        "archive": reverse("site:agenda_archive"),
        "groups": reverse("groups:group_list"),
        "group": group.get_absolute_url(),
        "meeting": upcoming.get_absolute_url(),
        "events": reverse("events:event_list"),
        "structure's events": f"{reverse('events:event_list')}?structure={structure.slug}",
        "event": seminar.get_absolute_url(),
        "structures": reverse("site:structure_list"),
        "structure": structure.get_absolute_url(),
        "join": reverse("joining:join"),
        "privacy": reverse("members:privacy"),
    }


def test_public_pages_are_accessible_valid_and_fit_a_phone(
    live_server, page, site_paths, tmp_path
):
    documents = {}
    for name, path in site_paths.items():
        for viewport in (None, PHONE):
            if viewport:
                page.set_viewport_size(viewport)
            response = page.goto(live_server.url + path)
            assert response.status == 200, name
            assert_accessible(page, name)
            assert_fits(page, name)
            if viewport:
                page.set_viewport_size(DESKTOP)
        # The bytes the server sent, not the browser's re-serialised DOM: the parser would have
        # silently repaired a stray end tag or a misnested element.
        documents[path] = response.text()
    assert validate_html(documents, tmp_path) == []


def test_the_404_page_is_accessible_and_valid(browser, live_server, site_paths, tmp_path):
    # Not the `page` fixture: the browser rightly logs the 404 status as a console error.
    page = browser.new_page()
    source = ""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        response = page.goto(live_server.url + "/page-introuvable/")
        assert response.status == 404
        source = response.text()
        assert "Cette page est introuvable" in page.content()
        assert_accessible(page, "404")
        assert_fits(page, "404")
    assert validate_html({"404": source}, tmp_path) == []
    page.close()


def test_the_unknown_structure_s_events_page_is_accessible_and_valid(
    browser, live_server, site_paths, tmp_path
):
    page = browser.new_page()  # a 404, logged by the browser (see above)
    source = ""
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        response = page.goto(live_server.url + reverse("events:event_list") + "?structure=x")
        assert response.status == 404
        source = response.text()
        assert_accessible(page, "unknown structure")
        assert_fits(page, "unknown structure")
    assert validate_html({"unknown structure": source}, tmp_path) == []
    page.close()


def test_structured_data_and_theme_pass_the_content_security_policy(live_server, page, site_paths):
    """The page fixture fails on any CSP violation; here the JSON-LD must also be readable and
    the group's colour from the database must reach the page through /theme.css."""
    page.goto(live_server.url + site_paths["meeting"])
    data = json.loads(page.locator('script[type="application/ld+json"]').text_content())
    assert data["@type"] == "Event"
    border = page.evaluate(
        "getComputedStyle(document.querySelector('.group-header')).borderBottomColor"
    )
    assert border == "rgb(46, 107, 48)"  # #2e6b30, the group's accent
    join = page.evaluate(
        "getComputedStyle(document.querySelector('.button-join')).backgroundColor"
    )
    assert join == "rgb(138, 59, 18)"  # #8a3b12, the site's accent


def test_the_skip_link_comes_first_and_shows_when_focused(live_server, page, site_paths):
    page.goto(live_server.url + site_paths["agenda"])
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused == "Aller au contenu"
    box = page.locator(".skip-link").bounding_box()
    assert box["y"] >= 0 and box["height"] > 0
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#contenu"


def test_the_agenda_filters_work_without_javascript(browser, live_server, site_paths):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + site_paths["agenda"])
    page.select_option("#id_type", "reunions")
    page.click("button[type=submit]")
    assert "type=reunions" in page.url
    assert page.locator(".agenda-entry").count() == 3  # the meetings, not the events
    assert page.locator(".agenda-entry.is-event").count() == 0
    context.close()
