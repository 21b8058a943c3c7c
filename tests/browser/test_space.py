"""A participant asks for a sign-in link, opens it from the outbox, reads the minutes reserved
to their group's participants, changes an answer and signs out; the lead of another group
cannot open that meeting in the back-office."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from groups.models import MeetingAnswer
from outbox.models import OutgoingMail
from space.models import SpaceMailKind
from tests.browser.conftest import assert_accessible, log_in_to_admin
from tests.conftest import TwoGroups, run_queued_tasks

pytestmark = [
    pytest.mark.journey,
    pytest.mark.django_db(transaction=True),
    pytest.mark.ignore_template_errors,
]


def test_a_participant_uses_their_space_and_the_other_lead_is_kept_out(live_server, page):
    g = TwoGroups()
    base = live_server.url
    page.goto(base + reverse("site:home"))
    page.get_by_role("link", name="Mon espace").click()
    page.get_by_role("main").get_by_label("Votre adresse e-mail").fill("participant-a@example.org")
    page.get_by_role("button", name="Recevoir mon lien de connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Regardez votre messagerie")

    run_queued_tasks()  # the worker looks the address up and queues the mail
    mail = OutgoingMail.objects.get(kind=SpaceMailKind.SIGN_IN)
    link = re.search(r"https?://\S+/mon-espace/connexion/\S+/", mail.body_text).group(0)
    page.goto(base + "/" + link.split("/", 3)[3])
    page.get_by_role("button", name="Entrer dans mon espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Bonjour"))
    assert_accessible(page, "mon espace")

    page.get_by_role("link", name=re.compile("réunion du")).first.click()
    expect(page.get_by_text("Compte rendu SECRET-A")).to_be_visible()
    page.get_by_role("link", name="Mon espace").first.click()

    page.get_by_role("button", name=re.compile("^Je viens")).first.click()
    expect(page.locator(".messages")).to_contain_text("Je viens")
    page.get_by_role("button", name=re.compile("^Peut-être")).first.click()
    expect(page.locator(".messages")).to_contain_text("Peut-être")
    answer = MeetingAnswer.objects.get(person=g.participant_a, meeting=g.upcoming_a)
    assert answer.response == "maybe"

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.locator(".messages")).to_contain_text("déconnecté")
    page.goto(base + reverse("space:home"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon espace")  # the sign-in page

    g.lead_user_b.set_password("mot-de-passe-de-test-1")
    g.lead_user_b.save()
    log_in_to_admin(page, base, g.lead_user_b.username, "mot-de-passe-de-test-1")
    page.goto(base + reverse("admin:groups_meeting_change", args=[g.past_a.pk]))
    expect(page.locator("body")).not_to_contain_text("Compte rendu SECRET-A")
    assert page.url.rstrip("/").endswith(reverse("admin:index").rstrip("/"))
