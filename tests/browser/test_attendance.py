"""The coordinator prints a meeting's sign-in sheet, then closes the meeting, in a real Chromium:
the sheet fits A4 pages and passes axe; the closing page's autocompletes work under the CSP."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from groups.models import Meeting, MeetingAnswer
from tests.browser.conftest import assert_accessible, log_in_to_admin
from tests.factories import MeetingAnswerFactory, MeetingFactory, PersonFactory

pytestmark = [
    pytest.mark.journey,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ignore_template_errors,  # the admin's templates rely on silent variables
]

A4_HEIGHT_MM = 297


@pytest.fixture
def yesterdays_meeting():
    meeting = MeetingFactory(
        group__name="Mobilité sociale, solidaire et inclusive",
        date=timezone.localdate() - datetime.timedelta(days=1),
        start_time=datetime.time(9),
        end_time=datetime.time(11),
    )
    for i in range(40):
        MeetingAnswerFactory(
            meeting=meeting,
            person__first_name=f"Camille{i:02d}",
            person__last_name="Participant",
            response=(MeetingAnswer.Response.YES, MeetingAnswer.Response.MAYBE, "")[i % 3],
        )
    return meeting


def test_the_coordinator_prints_the_sheet_then_closes_the_meeting(
    live_server, page, coordinator, yesterdays_meeting, tmp_path
):
    meeting = yesterdays_meeting
    PersonFactory(first_name="Fabrice", last_name="Taupin", structure__name="AFEJI")
    log_in_to_admin(page, live_server.url, coordinator.username, "mot-de-passe-de-test-1")
    page.goto(live_server.url + reverse("admin:groups_meeting_change", args=[meeting.pk]))

    page.get_by_role("link", name="Feuille d'émargement (à imprimer)").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Feuille d'émargement")
    expect(page.locator(".sheet-line")).to_have_count(40 + 8)
    assert_accessible(page, "feuille d'émargement")
    page.emulate_media(media="print")
    expect(page.locator(".sheet-tools")).to_be_hidden()
    pdf = tmp_path / "emargement.pdf"
    page.pdf(path=pdf, prefer_css_page_size=True)
    # 48 lines of 12 mm and the heading: three A4 pages, each with the column headings.
    pages = re.findall(rb"/Type\s*/Page[^s]", pdf.read_bytes())
    assert len(pages) == 3
    page.emulate_media(media="screen")

    page.get_by_role("link", name="← Retour à la réunion").click()
    page.get_by_role("link", name="Clore la réunion (présences, compte rendu)").click()
    expect(page.get_by_label("Camille00 PARTICIPANT")).to_be_checked()  # said yes
    expect(page.get_by_label("Camille01 PARTICIPANT")).not_to_be_checked()  # maybe
    page.get_by_label("Camille01 PARTICIPANT").check()
    page.locator(".select2-selection--multiple").click()
    page.locator(".select2-search__field").first.fill("Taupin")
    page.get_by_role("option", name=re.compile("Fabrice TAUPIN")).click()
    page.locator("#id_nouveaux-0-first_name").fill("Fabrice")
    page.locator("#id_nouveaux-0-last_name").fill("TAUPIN")
    page.get_by_label("Autres présents non enregistrés (nombre)").fill("2")
    page.get_by_role("button", name="Clore la réunion").click()

    # Typed, Fabrice Taupin looks like the record just picked: the page asks which.
    expect(page.get_by_text("ressemblent à cette personne")).to_be_visible()
    page.get_by_label(re.compile("Fabrice TAUPIN — AFEJI")).check()
    page.get_by_role("button", name="Clore la réunion").click()
    expect(page.locator(".messagelist")).to_contain_text("Réunion close")

    meeting.refresh_from_db()
    assert (meeting.status, meeting.unrecorded_attendees) == (Meeting.Status.HELD, 2)
    present = meeting.answers.filter(present=True).values_list("person__first_name", flat=True)
    said_yes = {f"Camille{i:02d}" for i in range(0, 40, 3)}
    assert set(present) == {*said_yes, "Camille01", "Fabrice"}
