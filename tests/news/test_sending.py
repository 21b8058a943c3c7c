"""Sending an issue through the outbox, to a real local SMTP server: one mail per confirmed
subscriber, never twice (a database constraint), with the one-click unsubscribe headers;
resumed at the exact recipient after a crash or a deploy's SIGTERM; throttled; a test send."""

import datetime
import os
import re
import signal

import pytest
import time_machine
from django.core import mail
from django.db import IntegrityError, transaction
from django.utils import timezone

from news.models import Delivery, Issue, Subscriber
from news.services.sending import progress, send_issue, send_test
from outbox.models import OutgoingMail
from outbox.services import deliver_outgoing_mail
from tests.factories import SubscriberFactory


class SimulatedCrash(BaseException):
    """The process dies: nothing in the outbox catches it."""


class Connection:
    """The real SMTP connection, with a hook before the n-th message."""

    def __init__(self, before_message: int, action):
        self.inner = mail.mailers.default
        self.count = 0
        self.before_message, self.action = before_message, action

    def open(self):
        return self.inner.open()

    def close(self):
        return self.inner.close()

    def send_messages(self, messages):
        self.count += 1
        if self.count == self.before_message:
            self.action()
        return self.inner.send_messages(messages)


def subscribe(count: int) -> list[Subscriber]:
    now = timezone.now()
    return Subscriber.objects.bulk_create(
        Subscriber(
            email=f"abonne{i}@example.org",
            status="confirmed",
            source="form",
            consent_version="2026-12",
            requested_at=now,
            confirmed_at=now,
        )
        for i in range(count)
    )


def ready_issue() -> Issue:
    return Issue.objects.create(
        number=1,
        title="Lettre d'information — été 2025",
        status=Issue.Status.SCHEDULED,
        send_at=timezone.now(),
        published_at=timezone.now(),
    )


def recipients_of(inbox) -> list[str]:
    return sorted(address for envelope in inbox.envelopes for address in envelope.rcpt_tos)


@pytest.mark.django_db(transaction=True)
def test_each_confirmed_subscriber_gets_one_mail_with_the_one_click_headers(smtp_server):
    subscribe(3)
    now = timezone.now()
    Subscriber.objects.create(
        email="pending@example.org", source="form", consent_version="x", requested_at=now
    )
    Subscriber.objects.create(
        email="gone@example.org",
        status="unsubscribed",
        source="form",
        consent_version="x",
        requested_at=now,
    )
    issue = ready_issue()
    assert send_issue(issue_id=issue.pk, per_minute=0) == "sent"
    assert recipients_of(smtp_server) == [f"abonne{i}@example.org" for i in range(3)]
    message = smtp_server.messages[0]
    assert message["List-Unsubscribe"].startswith("<http")
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message.get_body(("plain",)) and message.get_body(("html",))
    # Sending again sends nothing: the issue is sent, and each delivery exists.
    issue.status = Issue.Status.SENDING
    issue.save()
    send_issue(issue_id=issue.pk, per_minute=0)
    assert len(smtp_server.envelopes) == 3
    assert progress(issue).sent == 3 and progress(issue).left == 0


@pytest.mark.django_db
def test_the_database_refuses_a_second_delivery_to_the_same_subscriber():
    (subscriber,) = subscribe(1)
    issue = ready_issue()
    Delivery.objects.create(issue=issue, subscriber=subscriber)
    with pytest.raises(IntegrityError), transaction.atomic():
        Delivery.objects.create(issue=issue, subscriber=subscriber)


def _crash():
    raise SimulatedCrash


@pytest.mark.django_db(transaction=True)
def test_a_crashed_sender_resumes_at_the_exact_recipient(smtp_server):
    subscribe(7)
    issue = ready_issue()
    with pytest.raises(SimulatedCrash):
        send_issue(issue_id=issue.pk, per_minute=0, batch=3, connection=Connection(5, _crash))
    assert len(smtp_server.envelopes) == 4
    # Restarted at once, the lease of the dead sender still holds: nothing happens.
    assert send_issue(issue_id=issue.pk, per_minute=0) == "busy"
    # Once its lease and its claim are stale, the next run (cron) goes on from recipient 5.
    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=10)):
        assert send_issue(issue_id=issue.pk, per_minute=0) == "sent"
    assert recipients_of(smtp_server) == [f"abonne{i}@example.org" for i in range(7)]
    assert Issue.objects.get().status == Issue.Status.SENT


@pytest.mark.django_db(transaction=True)
def test_a_deploys_sigterm_finishes_the_mail_in_hand_and_the_next_run_goes_on(smtp_server):
    subscribe(6)
    issue = ready_issue()
    terminate = Connection(3, lambda: os.kill(os.getpid(), signal.SIGTERM))
    assert send_issue(issue_id=issue.pk, per_minute=0, connection=terminate) == "stopped"
    assert len(smtp_server.envelopes) == 3  # the third, in hand, was sent and recorded
    assert send_issue(issue_id=issue.pk, per_minute=0) == "sent"
    assert recipients_of(smtp_server) == [f"abonne{i}@example.org" for i in range(6)]


@pytest.mark.django_db(transaction=True)
def test_the_sender_is_throttled(smtp_server, monkeypatch):
    subscribe(4)
    issue = ready_issue()
    waits = []
    monkeypatch.setattr("news.services.sending.time.sleep", waits.append)
    send_issue(issue_id=issue.pk, per_minute=60)
    # One mail a second: the sender waits about a second before each mail after the first.
    assert len(waits) == 4 and all(wait > 0.9 for wait in waits[1:])


@pytest.mark.django_db(transaction=True)
def test_an_unsubscribed_address_is_not_sent_the_rest_of_an_issue(smtp_server):
    subscribers = subscribe(2)
    issue = ready_issue()
    Subscriber.objects.filter(pk=subscribers[1].pk).update(status="unsubscribed")
    send_issue(issue_id=issue.pk, per_minute=0)
    assert recipients_of(smtp_server) == ["abonne0@example.org"]


@pytest.mark.django_db(transaction=True)
def test_a_test_send_goes_to_the_coordinator_only(smtp_server):
    subscribe(2)
    issue = ready_issue()
    outgoing = send_test(issue=issue, email="coordination@example.org")
    assert outgoing.subject.startswith("[Essai]")
    assert OutgoingMail.objects.count() == 1 and not Delivery.objects.exists()


@pytest.mark.django_db
def test_cron_hands_due_issues_to_the_worker_but_not_one_a_live_sender_holds():
    from news.services.sending import send_due_issues

    due = ready_issue()
    held = Issue.objects.create(
        number=2, title="En cours", status=Issue.Status.SENDING, sender_heartbeat=timezone.now()
    )
    later = timezone.now() + datetime.timedelta(days=1)
    Issue.objects.create(number=3, title="Plus tard", status=Issue.Status.SCHEDULED, send_at=later)
    assert send_due_issues() == [(due.pk, "queued")]
    assert held.pk not in [pk for pk, _ in send_due_issues()]


class RefusingInbox:
    """A mail server that refuses one address for good (550)."""

    def __init__(self, refused: str):
        self.refused, self.envelopes = refused, []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == self.refused:
            return "550 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 OK"


@pytest.mark.django_db(transaction=True)
@pytest.mark.logged_errors  # the refused address is logged as a failed mail
def test_an_address_the_server_refuses_is_marked_bounced_and_never_mailed_again(settings):
    from aiosmtpd.controller import Controller

    from tests.conftest import free_port, use_smtp

    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 1
    subscribe(2)
    inbox = RefusingInbox("abonne1@example.org")
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        send_issue(issue_id=ready_issue().pk, per_minute=0)
    finally:
        controller.stop()
    assert recipients_of(inbox) == ["abonne0@example.org"]
    assert Subscriber.objects.get(email="abonne1@example.org").status == "bounced"
    assert not Subscriber.objects.mailable().filter(email="abonne1@example.org").exists()


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_scheduling_queues_the_sending_for_its_date(
    coordinator_client, django_capture_on_commit_callbacks
):
    from django_tasks_db.models import DBTaskResult

    later = timezone.now() + datetime.timedelta(days=2)
    issue = Issue.objects.create(number=5, title="Lettre programmée", send_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(
            "/admin/news/issue/",
            {"action": "schedule", "_selected_action": [issue.pk]},
            follow=True,
        )
    # The coordinator reads when, and to how many.
    assert "envoi programmé le " in response.content.decode()
    assert "à 0 abonné." in response.content.decode()
    issue.refresh_from_db()
    assert issue.status == Issue.Status.SCHEDULED and issue.send_at == later
    task = DBTaskResult.objects.get(task_path="news.services.sending.send_issue_task")
    assert task.run_after == later
    # On the site when it goes out, not before: neither its page, nor the archives, nor the home.
    assert issue.published_at == later
    assert coordinator_client.get("/lettre/5/").status_code == 404
    assert "/lettre/5/" not in coordinator_client.get("/lettre/").content.decode()
    assert "/lettre/5/" not in coordinator_client.get("/").content.decode()
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        assert coordinator_client.get("/lettre/5/").status_code == 200
        # The pages cached before its hour knew it would change then: no edit needed.
        assert "/lettre/5/" in coordinator_client.get("/lettre/").content.decode()
        assert "/lettre/5/" in coordinator_client.get("/").content.decode()


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_a_scheduled_sending_can_be_called_off_before_its_date(
    coordinator_client, django_capture_on_commit_callbacks
):
    """A mistake seen after scheduling: the coordinator calls the sending off, and the task
    queued for its date sends nothing."""
    from tests.factories import SubscriberFactory

    SubscriberFactory()
    later = timezone.now() + datetime.timedelta(days=2)
    issue = Issue.objects.create(number=6, title="Lettre programmée", send_at=later)
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            "/admin/news/issue/", {"action": "schedule", "_selected_action": [issue.pk]}
        )
    coordinator_client.post(
        "/admin/news/issue/", {"action": "unschedule", "_selected_action": [issue.pk]}
    )
    issue.refresh_from_db()
    assert issue.status == Issue.Status.DRAFT
    assert issue.published_at is None  # nor published on the site at that date
    with time_machine.travel(later + datetime.timedelta(minutes=1)):
        assert send_issue(issue_id=issue.pk, per_minute=0) == "busy"
    assert not OutgoingMail.objects.filter(kind="news_issue").exists()


def _send_test_to_me(client, issue) -> mail.EmailMessage:
    """The admin's « M'envoyer un essai », then the outbox's delivery of what it queued."""
    mail.outbox.clear()
    response = client.post(
        "/admin/news/issue/", {"action": "send_test_to_me", "_selected_action": [issue.pk]}
    )
    assert response.status_code == 302
    queued = OutgoingMail.objects.filter(status=OutgoingMail.Status.PENDING)
    for mail_id in queued.values_list("pk", flat=True):
        deliver_outgoing_mail(mail_id=mail_id)
    (message,) = mail.outbox
    return message


def _unsubscribe_link(message) -> str:
    header = message.extra_headers["List-Unsubscribe"].strip("<>")
    (in_body,) = re.findall(r"Se désabonner en un clic : (\S+)", message.body)
    assert in_body == header and header in message.alternatives[0].content
    return header


@pytest.mark.django_db
@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_the_test_mails_unsubscribe_link_works_for_the_address_it_went_to(client, coordinator):
    coordinator.email = "coordination@example.org"
    coordinator.save()
    client.force_login(coordinator)
    issue = ready_issue()
    # Not a subscriber: the page says so plainly, and the one-click POST changes nothing.
    link = _unsubscribe_link(_send_test_to_me(client, issue))
    client.logout()
    page = client.get(link)
    assert page.status_code == 200
    text = " ".join(page.content.decode().split())
    assert "L'adresse coordination@example.org n'est pas abonnée à la lettre" in text
    assert client.post(link).status_code == 200 and not Subscriber.objects.exists()
    # A subscriber: the link is theirs, and unsubscribes them.
    subscriber = SubscriberFactory(email="coordination@example.org")
    client.force_login(coordinator)
    link = _unsubscribe_link(_send_test_to_me(client, issue))
    client.logout()
    assert "Me désabonner" in client.get(link).content.decode()
    assert "Vous êtes désabonné·e" in client.post(link).content.decode()
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.UNSUBSCRIBED
    # A link altered in transit serves nobody.
    assert client.get(link[:-2] + "xx/").status_code == 400
