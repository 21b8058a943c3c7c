"""The newsletter as a reader meets it, in a real browser: subscribe from the home page,
confirm from the mail, receive issue n° 1 (read from the outbox), unsubscribe in one click from
the mail, and receive nothing more."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone

from news.models import Issue, NewsMailKind
from news.services.sending import send_issue
from outbox.models import OutgoingMail
from tests.browser.conftest import assert_accessible, log_in_to_admin

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

READER = "lectrice@example.org"


def mails_to(address: str, kind: str) -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(recipient=address, kind=kind).order_by("pk"))


def send(number: int) -> None:
    Issue.objects.filter(number=number).update(
        status=Issue.Status.SCHEDULED, send_at=timezone.now()
    )
    assert send_issue(issue_id=Issue.objects.get(number=number).pk, per_minute=0) == "sent"


def test_subscribe_confirm_receive_issue_1_unsubscribe_in_one_click(live_server, page):
    call_command("load_newsletter", stdout=io.StringIO())
    page.goto(live_server.url + "/lettre/1/")
    assert_accessible(page, "la lettre n° 1")
    page.goto(live_server.url + "/")
    assert_accessible(page, "l'accueil, avec le formulaire d'abonnement")
    page.locator("#home-email").fill(READER)
    page.locator(".home-news").get_by_role("button", name="S'abonner à la lettre").click()
    page.get_by_role("heading", name="Vérifiez votre messagerie").wait_for()
    # Nothing but the confirmation until its link is opened.
    send(1)
    assert mails_to(READER, NewsMailKind.ISSUE) == []

    (confirmation,) = mails_to(READER, NewsMailKind.CONFIRMATION)
    link = re.search(r"^(http\S+/confirmer/\S+)$", confirmation.body_text, re.M)[1]
    page.goto(link)
    page.get_by_role("button", name="Confirmer mon abonnement").click()
    page.get_by_role("heading", name="Abonnement confirmé").wait_for()

    Issue.objects.create(number=2, title="Lettre d'information — automne 2025")
    Issue.objects.filter(number=1).update(status=Issue.Status.DRAFT)
    send(1)
    (issue_mail,) = mails_to(READER, NewsMailKind.ISSUE)
    assert issue_mail.status == OutgoingMail.Status.SENT
    assert issue_mail.subject == "Lettre d'information — été 2025 — n°\u00a01"
    assert "Premier séminaire du PTCE Hénin-Carvin" in issue_mail.body_html
    assert issue_mail.unsubscribe_url.startswith(live_server.url)

    # The mail as the reader's client shows it; its unsubscribe link, then one click.
    page.goto("about:blank")  # a mail client's page, not under the site's CSP
    page.set_content(issue_mail.body_html)
    page.get_by_role("link", name="Se désabonner en un clic").click()
    page.get_by_role("button", name="Me désabonner").click()
    page.get_by_role("heading", name="Vous êtes désabonné·e").wait_for()

    send(2)
    assert len(mails_to(READER, NewsMailKind.ISSUE)) == 1


def test_the_coordinator_previews_web_print_and_mail_side_by_side(live_server, page, coordinator):
    """The three forms side by side (the page's CSP allows no inline style), the HTML mail in
    its frame (the admin's pages refuse to be framed: this one accepts its own site)."""
    call_command("load_newsletter", stdout=io.StringIO())
    issue = Issue.objects.get(number=1)
    page.set_viewport_size({"width": 1600, "height": 1000})
    log_in_to_admin(page, live_server.url, coordinator.username, "mot-de-passe-de-test-1")
    page.goto(live_server.url + f"/admin/news/issue/{issue.pk}/apercu/")
    tops = [
        page.locator(f"#{heading}").bounding_box()["y"]
        for heading in ("apercu-web", "apercu-print", "apercu-mail")
    ]
    assert max(tops) - min(tops) < 5, tops  # one row, three columns
    frame = page.frame_locator('iframe[title="L\'e-mail HTML"]')
    frame.get_by_role("link", name="Se désabonner en un clic").wait_for(timeout=5000)
