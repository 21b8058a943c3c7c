"""The four users' journeys, end to end, on the demo of `make run` (the newsletter, the
sample meetings and participants, the printed demo accounts), in Chromium, with a screenshot
of each step (in docs/screenshots/journey-*.png when JOURNEY_SCREENSHOTS says so):

- the visitor: home, agenda, a group, the join form, sent;
- the partner: « Mon espace » by a link mailed to a sample participant, the sample minutes
  and document;
- the lead: the printed password, their group's past meeting, closed with its minutes;
- the coordinator: the admin home's « Ce qui vous attend », the join request, accepted, the
  welcome mail in « E-mails du site ».
"""

import io
import os
import re
import tempfile
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from PIL import Image
from playwright.sync_api import expect

from groups.models import GroupLead, Meeting
from joining.models import JoinRequest
from outbox.models import OutgoingMail
from space.models import SpaceMailKind
from tests.browser.conftest import PHONE, assert_fits, log_in_to_admin
from tests.conftest import run_queued_tasks

pytestmark = [
    pytest.mark.journey,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ignore_template_errors,  # the admin's templates rely on silent variables
]

# The docs' copies when asked (`JOURNEY_SCREENSHOTS=docs/screenshots`, docs/development.md); a
# plain test run writes its own out of the working tree, which it leaves as it found it.
SCREENSHOTS = Path(
    os.environ.get("JOURNEY_SCREENSHOTS")
    or Path(tempfile.gettempdir()) / "ptce-journey-screenshots"
)


@pytest.fixture
def demo(settings, legal_rules):
    """What `make run` does before serving, its printed output kept."""
    settings.DEBUG = True  # the demo commands refuse to run otherwise
    settings.JOIN_MIN_FILL_SECONDS = 0  # the join form's timing is tested on its own
    out = io.StringIO()
    for command in ("load_newsletter", "make_sample_meetings", "make_sample_participants"):
        call_command(command, stdout=out)
    call_command("create_demo_coordinator", stdout=out)
    settings.DEBUG = False
    return out.getvalue()


def _password(printed: str, username: str) -> str:
    return re.search(
        rf"Identifiant\u00a0: {re.escape(username)}\n  Mot de passe\u00a0: (\S+)", printed
    ).group(1)


def shoot(page, name: str) -> None:
    """The whole page as a 256-colour PNG, as `make screenshots` makes them."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    png = page.screenshot(full_page=True, animations="disabled", caret="hide")
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image.quantize(256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
        SCREENSHOTS / f"journey-{name}.png", optimize=True
    )


def test_the_visitor_discovers_the_ptce_and_asks_to_join(live_server, page, demo):
    base = live_server.url
    page.set_viewport_size(PHONE)
    page.goto(base + reverse("site:home"))
    assert_fits(page, "accueil")
    shoot(page, "visitor-1-home")
    page.goto(base + reverse("site:agenda"))
    expect(page.get_by_text("exemple").first).to_be_visible()
    shoot(page, "visitor-2-agenda")
    page.goto(base + reverse("groups:group_detail", kwargs={"slug": "mobilite"}))
    shoot(page, "visitor-3-group")
    page.goto(base + reverse("joining:join") + "?groupe=mobilite")
    # « Rejoindre ce groupe » on the group's page comes with the group ticked.
    expect(page.locator("#id_wants_groups")).to_be_checked()
    page.locator("#id_first_name").fill("Louise")
    page.locator("#id_last_name").fill("Lefebvre")
    page.locator("#id_email").fill("louise.lefebvre@example.org")
    page.locator("#id_town").fill("Carvin")
    page.locator("#id_consent").check()
    shoot(page, "visitor-4-join-form")
    page.locator("form.join-form button[type=submit]").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Merci")
    shoot(page, "visitor-5-join-sent")
    assert JoinRequest.objects.get().email == "louise.lefebvre@example.org"


def test_the_partner_reads_the_minutes_and_document_in_mon_espace(live_server, page, demo):
    base = live_server.url
    minutes = Meeting.objects.get(is_sample=True, status=Meeting.Status.HELD)
    partner = minutes.group.participant_people.filter(email__endswith="@example.org").first()
    page.goto(base + reverse("space:sign_in"))
    page.get_by_role("main").get_by_label("Adresse e-mail").fill(partner.email)
    shoot(page, "partner-1-sign-in")
    page.get_by_role("button", name="Recevoir mon lien de connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regardez votre messagerie")
    run_queued_tasks()
    mail = OutgoingMail.objects.get(kind=SpaceMailKind.SIGN_IN, recipient=partner.email)
    link = re.search(r"https?://\S+/mon-espace/connexion/\S+/", mail.body_text).group(0)
    page.goto(base + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Entrer dans mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bonjour {partner.first_name}")
    expect(page.get_by_text("Document d'exemple").first).to_be_visible()
    shoot(page, "partner-2-space")
    page.get_by_role("link", name=re.compile(r"réunion du")).first.click()
    expect(page.get_by_text("Compte rendu d'exemple").first).to_be_visible()
    shoot(page, "partner-3-minutes")


def test_the_lead_logs_in_and_closes_a_past_meeting(live_server, page, demo):
    base = live_server.url
    lead = GroupLead.objects.get(user__username="chef-de-file")
    meeting = (
        Meeting.objects.filter(group=lead.group, is_sample=False, status=Meeting.Status.PLANNED)
        .order_by("-date")
        .first()
    )
    log_in_to_admin(page, base, "chef-de-file", _password(demo, "chef-de-file"))
    expect(page.locator("#waiting")).to_contain_text("réunion")
    shoot(page, "lead-1-admin-home")
    page.locator("#waiting a", has_text="à clore").click()
    expect(page.locator("#result_list")).to_be_visible()
    shoot(page, "lead-2-meetings-to-close")
    # The last of them, from the filtered list, as the lead goes.
    page.locator(f'#result_list a[href*="/meeting/{meeting.pk}/change/"]').first.click()
    page.wait_for_url(re.compile(rf"/meeting/{meeting.pk}/change/"))
    page.get_by_role("link", name=re.compile("Clore la réunion")).click()
    page.locator("#id_unrecorded").fill("7")
    page.locator("#id_minutes").fill("Sept personnes ; point sur le garage solidaire.")
    shoot(page, "lead-3-closing")
    page.get_by_role("button", name="Clore la réunion").click()
    expect(page.locator(".messagelist")).to_be_visible()
    shoot(page, "lead-4-closed")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.HELD
    assert meeting.unrecorded_attendees == 7


def test_the_coordinator_accepts_a_join_request_and_the_welcome_mail_leaves(
    live_server, page, demo
):
    from groups.models import WorkingGroup
    from tests.factories import JoinRequestFactory

    base = live_server.url
    request = JoinRequestFactory(
        first_name="Louise",
        last_name="Lefebvre",
        email="louise.lefebvre@example.org",
        wants_groups=True,
    )
    request.groups.add(WorkingGroup.objects.get(slug="mobilite"))
    log_in_to_admin(page, base, "coordination", _password(demo, "coordination"))
    expect(page.locator("#waiting")).to_contain_text("demande")
    shoot(page, "coordinator-1-admin-home")
    page.locator("#waiting a", has_text="demande").click()
    page.get_by_role("link", name=re.compile("Louise")).first.click()
    shoot(page, "coordinator-2-request")
    # From the request's page, as the coordinator goes: its « Accepter… » action.
    page.locator('select[name="CHANGE_FORM-action"]').select_option(label="Accepter…")
    page.get_by_role("button", name="Exécuter").click()
    page.wait_for_url(base + reverse("admin:joining_joinrequest_accept", args=[request.pk]))
    expect(page.locator("#welcome-mail")).to_contain_text("louise.lefebvre@example.org")
    shoot(page, "coordinator-3-accept")
    page.get_by_role("button", name="Accepter la demande").click()
    expect(page.locator(".messagelist")).to_contain_text("e-mail de bienvenue")
    page.goto(base + reverse("admin:outbox_outgoingmail_changelist"))
    expect(page.locator("#result_list")).to_contain_text("louise.lefebvre@example.org")
    shoot(page, "coordinator-4-mails")
    welcome = OutgoingMail.objects.get(kind="join-welcome")
    assert "Mon espace" in welcome.body_text
