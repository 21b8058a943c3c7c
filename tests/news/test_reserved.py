"""An issue sent to some groups' participants only is reserved: in no public list, its page a
404 to visitors, opened by each recipient's signed link and by the coordination, and never kept
by a shared cache nor indexed."""

import re

import pytest
from django.core import mail
from django.utils import timezone

from news.models import Issue, Section
from news.services.sending import send_issue
from outbox.models import OutgoingMail
from outbox.services import deliver_outgoing_mail
from tests.factories import PersonFactory, SubscriberFactory, UserFactory, WorkingGroupFactory


def _sent_issue(number: int, title: str, *, groups=()) -> Issue:
    issue = Issue.objects.create(
        number=number,
        title=title,
        status=Issue.Status.SCHEDULED,
        send_at=timezone.now(),
        published_at=timezone.now(),
    )
    issue.audience_groups.set(groups)
    Section.objects.create(issue=issue, title=f"Rubrique de {title}", body="Texte.")
    send_issue(issue_id=issue.pk, per_minute=0)
    return issue


@pytest.fixture
def reserved(db):
    """Issue n° 4 sent to group « Mobilité »'s participant only; n° 3 to everyone."""
    group = WorkingGroupFactory(name="Mobilité")
    participant = PersonFactory(email="ana@example.org")
    participant.working_groups.add(group)
    SubscriberFactory(email="ana@example.org")
    SubscriberFactory(email="bob@example.org")
    _sent_issue(3, "Lettre de tous")
    mail.outbox.clear()
    return _sent_issue(4, "Lettre du groupe mobilité", groups=[group])


def _read_link(message) -> str:
    (link,) = re.findall(r"Voir cette lettre dans le navigateur : (\S+)", message.body)
    return link


def test_a_reserved_issue_is_in_no_public_list_and_its_page_is_a_404(client, reserved):
    assert client.get("/lettre/3/").status_code == 200
    assert client.get("/lettre/4/").status_code == 404
    for address in ("/lettre/", "/", "/sitemap.xml", "/actualites/flux.rss"):
        page = client.get(address).content.decode()
        assert "/lettre/4/" not in page and "Lettre du groupe mobilité" not in page, address
    assert "/lettre/3/" in client.get("/lettre/").content.decode()
    assert "/lettre/3/" in client.get("/").content.decode()
    assert "/lettre/3/" in client.get("/sitemap.xml").content.decode()


def test_the_recipients_mail_opens_it_for_them_alone_and_no_cache_keeps_it(client, reserved):
    (message,) = mail.outbox  # the participant only
    assert message.to == ["ana@example.org"]
    link = _read_link(message)
    assert "/lettre/4/lire/" in link and _read_link(message) in message.alternatives[0].content
    response = client.get(link)
    assert response.status_code == 200
    assert "Rubrique de Lettre du groupe mobilité" in response.content.decode()
    assert {"private", "no-store"} <= {
        word.strip() for word in response["Cache-Control"].split(",")
    }
    assert "noindex" in response["X-Robots-Tag"]
    assert '<meta name="robots" content="noindex">' in response.content.decode()
    # Opened by its link, the page is still a 404 to the next visitor.
    assert client.get("/lettre/4/").status_code == 404


def test_a_tampered_link_or_another_issues_link_is_refused(client, reserved):
    token = _read_link(mail.outbox[0]).rstrip("/").rsplit("/", 1)[1]
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")
    for address in (f"/lettre/4/lire/{tampered}/", f"/lettre/3/lire/{token}/"):
        response = client.get(address)
        assert response.status_code == 404, address
        assert "Lettre du groupe mobilité" not in response.content.decode()
        assert "Ce lien ne fonctionne pas" in response.content.decode()


def test_the_coordination_signed_in_sees_it(coordinator_client, reserved):
    response = coordinator_client.get("/lettre/4/")
    assert response.status_code == 200
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_an_account_without_staff_rights_gets_the_404(client, reserved):
    client.force_login(UserFactory(username="visiteur", is_staff=False))
    assert client.get("/lettre/4/").status_code == 404


@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_a_test_of_a_reserved_issue_carries_a_link_its_recipient_can_open(
    coordinator_client, coordinator, reserved
):
    coordinator.email = "ana@example.org"  # also a recipient of the issue
    coordinator.save()
    mail.outbox.clear()
    coordinator_client.post(
        "/admin/news/issue/", {"action": "send_test_to_me", "_selected_action": [reserved.pk]}
    )
    (test,) = OutgoingMail.objects.filter(status="pending")
    deliver_outgoing_mail(mail_id=test.pk)
    (message,) = mail.outbox
    link = _read_link(message)
    assert "/lettre/4/lire/" in link
    coordinator_client.logout()
    assert coordinator_client.get(link).status_code == 200
