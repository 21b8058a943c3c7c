"""A worker that stops half-way through a send, and two workers racing for one mail: the claim
and its timeout. Real workers and a real SMTP server: these tests commit for real, hence
`transactional_db`."""

import asyncio
import datetime
import io
import os
import signal
import subprocess
import sys
import threading

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from outbox.models import OutgoingMail
from outbox.services import deliver_outgoing_mail, send_outgoing_mail
from tests.conftest import (
    Controller,
    Inbox,
    free_port,
    run_queued_tasks,
    text_of,
    use_smtp,
)
from tests.factories import OutgoingMailFactory

pytestmark = pytest.mark.django_db(transaction=True)

# --- a worker that stops half-way through a send -----------------------------------------------


class StoppingInbox(Inbox):
    """A mail server that, while receiving the message, has the worker stopped the way an
    operator's second Ctrl-C (or `kill -INT` twice) does: `db_worker` then exits in the middle
    of the task, before the server has answered, so the mail is not delivered."""

    def __init__(self, *, took_the_mail: bool = False):
        super().__init__()
        self.stop_worker = True
        self.took_the_mail = took_the_mail

    async def handle_DATA(self, server, session, envelope):
        if self.stop_worker:
            self.stop_worker = False
            if self.took_the_mail:  # delivered, but the worker stops before hearing so
                self.envelopes.append(envelope)
            for _ in range(2):  # the first asks for a graceful stop, the second ends the task
                signal.pthread_kill(threading.main_thread().ident, signal.SIGINT)
                await asyncio.sleep(0.3)
            return "451 4.3.0 Connection lost"
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def mail_left_sending(request, settings):
    """A mail claimed by a worker that stopped before recording the outcome, ten minutes ago,
    and a mail server accepting everything since: that server's inbox. Parametrised
    indirectly with True, the server had delivered the mail when the worker stopped."""
    inbox = StoppingInbox(took_the_mail=getattr(request, "param", False))
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    claimed = timezone.now() - datetime.timedelta(minutes=10)
    with time_machine.travel(claimed, tick=False):
        outgoing = OutgoingMailFactory()
        send_outgoing_mail.enqueue(outgoing.pk)
        run_queued_tasks()
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENDING
    assert len(inbox.messages) == inbox.took_the_mail
    yield inbox
    controller.stop()


@pytest.mark.logged_errors  # the worker records the interrupted task as failed
def test_a_mail_left_sending_by_a_stopped_worker_is_sent_by_the_sweep(mail_left_sending):
    inbox = mail_left_sending

    out = io.StringIO()
    call_command("requeue_stale_mails", stdout=out)
    run_queued_tasks()

    assert (
        "E-mails dont l'envoi avait été interrompu, remis dans la file\u00a0: 1" in out.getvalue()
    )
    assert len(inbox.messages) == 1
    outgoing = OutgoingMail.objects.get()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert outgoing.attempts == 2  # the interrupted attempt counts


@pytest.mark.logged_errors
@pytest.mark.parametrize("mail_left_sending", [True], indirect=True)
def test_delivery_is_at_least_once_a_mail_delivered_before_the_worker_stopped_goes_twice(
    mail_left_sending,
):
    """The accepted trade-off: the worker cannot tell whether the server took the mail before
    it stopped, so it sends it again rather than risk never sending it."""
    inbox = mail_left_sending

    call_command("requeue_stale_mails", stdout=io.StringIO())
    run_queued_tasks()

    assert len(inbox.messages) == 2
    assert OutgoingMail.objects.get().status == OutgoingMail.Status.SENT


@pytest.mark.logged_errors
@pytest.mark.ignore_template_errors
def test_a_mail_left_sending_is_shown_interrupted_and_renvoyer_sends_it(
    coordinator_client, mail_left_sending
):
    inbox = mail_left_sending
    outgoing = OutgoingMail.objects.get()
    changelist = reverse("admin:outbox_outgoingmail_changelist")
    assert "⚠ Envoi interrompu" in text_of(
        coordinator_client.get(changelist + "?etat=interrupted")
    )
    assert "⚠ Envoi interrompu" not in text_of(
        coordinator_client.get(changelist + "?etat=sending")
    )
    request_page = reverse("admin:joining_joinrequest_change", args=[outgoing.object_id])
    assert "Envoi interrompu" in text_of(coordinator_client.get(request_page))

    response = coordinator_client.post(
        changelist, {"action": "resend", "_selected_action": [outgoing.pk]}, follow=True
    )
    run_queued_tasks()

    assert "E-mails remis dans la file d'envoi\u00a0: 1." in text_of(response)
    assert "En cours d'envoi" not in text_of(response)
    assert len(inbox.messages) == 1
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert outgoing.attempts == 1


def claimed_mail(ago: datetime.timedelta, **fields) -> OutgoingMail:
    fields.setdefault("attempts", 1)
    return OutgoingMailFactory(
        status=OutgoingMail.Status.SENDING, claimed_at=timezone.now() - ago, **fields
    )


@pytest.mark.ignore_template_errors
def test_a_fresh_claim_is_left_to_its_worker(coordinator_client, smtp_server):
    outgoing = claimed_mail(datetime.timedelta(seconds=30))

    call_command("requeue_stale_mails", stdout=io.StringIO())
    run_queued_tasks()
    assert deliver_outgoing_mail(mail_id=outgoing.pk).status == "skipped"
    response = coordinator_client.post(
        reverse("admin:outbox_outgoingmail_changelist"),
        {"action": "resend", "_selected_action": [outgoing.pk]},
        follow=True,
    )
    run_queued_tasks()

    assert "En cours d'envoi, laissés tels quels\u00a0: 1." in text_of(response)
    assert "⏳ Envoi en cours" in text_of(response)
    assert "⚠ Envoi interrompu" not in text_of(response)
    assert smtp_server.messages == []
    refreshed = OutgoingMail.objects.get()
    assert (refreshed.status, refreshed.claimed_at, refreshed.attempts) == (
        OutgoingMail.Status.SENDING,
        outgoing.claimed_at,
        1,
    )


def test_a_claim_becomes_stale_after_the_claim_timeout(settings, smtp_server):
    settings.OUTGOING_MAIL_CLAIM_TIMEOUT = 120
    outgoing = claimed_mail(datetime.timedelta(seconds=119))
    assert deliver_outgoing_mail(mail_id=outgoing.pk).status == "skipped"
    with time_machine.travel(timezone.now() + datetime.timedelta(seconds=2)):
        assert deliver_outgoing_mail(mail_id=outgoing.pk).status == OutgoingMail.Status.SENT
    assert len(smtp_server.messages) == 1


@pytest.mark.logged_errors
def test_a_mail_that_keeps_stopping_the_worker_ends_failed(settings, smtp_server):
    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 3
    outgoing = claimed_mail(datetime.timedelta(minutes=10), attempts=3)

    call_command("requeue_stale_mails", stdout=io.StringIO())
    run_queued_tasks()

    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.FAILED
    assert outgoing.last_error.startswith("Envoi interrompu")
    assert smtp_server.messages == []


def test_a_pending_mail_whose_task_was_lost_is_queued_again(smtp_server):
    late = timezone.now() - datetime.timedelta(hours=1)
    outgoing = OutgoingMailFactory(created_at=late)  # its task never reached the queue
    recent = OutgoingMailFactory()  # its task is waiting in the queue: left alone
    send_outgoing_mail.enqueue(recent.pk)

    call_command("requeue_stale_mails", stdout=io.StringIO())

    assert DBTaskResult.objects.filter(status="READY").count() == 2
    run_queued_tasks()
    assert sorted(m["To"] for m in smtp_server.messages) == sorted(
        [outgoing.recipient, recent.recipient]
    )


# --- two workers, one mail ---------------------------------------------------------------------


class HoldingInbox(Inbox):
    """A mail server that holds the first message until told to answer."""

    def __init__(self):
        super().__init__()
        self.receiving = threading.Event()
        self.answer = threading.Event()

    async def handle_DATA(self, server, session, envelope):
        if not self.receiving.is_set():
            self.receiving.set()
            while not self.answer.is_set():
                await asyncio.sleep(0.01)
        return await super().handle_DATA(server, session, envelope)


@pytest.fixture
def holding_server(settings):
    inbox = HoldingInbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    inbox.answer.set()
    controller.stop()


def deliver_in_a_thread(mail_id: int) -> tuple[threading.Thread, list]:
    outcomes = []

    def deliver():
        try:
            outcomes.append(deliver_outgoing_mail(mail_id=mail_id))
        finally:
            connection.close()

    thread = threading.Thread(target=deliver)
    thread.start()
    return thread, outcomes


def test_a_second_worker_does_not_send_a_mail_being_sent(holding_server):
    outgoing = OutgoingMailFactory()
    first, outcomes = deliver_in_a_thread(outgoing.pk)
    assert holding_server.receiving.wait(5)

    # While the first worker waits for the server, the mail is claimed: nothing else sends it.
    assert deliver_outgoing_mail(mail_id=outgoing.pk).status == "skipped"
    call_command("requeue_stale_mails", stdout=io.StringIO())
    run_queued_tasks()
    holding_server.answer.set()
    first.join(5)

    assert [o.status for o in outcomes] == [OutgoingMail.Status.SENT]
    assert len(holding_server.messages) == 1
    outgoing.refresh_from_db()
    assert (outgoing.status, outgoing.attempts) == (OutgoingMail.Status.SENT, 1)


def test_a_worker_slower_than_the_claim_timeout_does_not_overwrite_the_next_one(
    holding_server, caplog
):
    """At least once: a worker stuck longer than the claim timeout loses its claim; the mail
    goes again and the late worker's outcome is not recorded over the new one's."""
    outgoing = OutgoingMailFactory()
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        first, outcomes = deliver_in_a_thread(outgoing.pk)
        assert holding_server.receiving.wait(5)
        traveller.shift(datetime.timedelta(minutes=10))
        assert deliver_outgoing_mail(mail_id=outgoing.pk).status == OutgoingMail.Status.SENT
        holding_server.answer.set()
        first.join(5)

    assert len(holding_server.messages) == 2
    assert [o.status for o in outcomes] == ["superseded"]
    assert "was claimed again" in caplog.text
    outgoing.refresh_from_db()
    assert outgoing.status == OutgoingMail.Status.SENT
    assert outgoing.sent_at == start + datetime.timedelta(minutes=10)
    assert outgoing.attempts == 2


def test_claiming_is_a_conditional_update(django_assert_num_queries):
    outgoing = claimed_mail(datetime.timedelta(minutes=10))
    fresh = timezone.now()

    # Two workers that both read the mail as stale: only the first claim succeeds.
    assert OutgoingMail.objects.filter(pk=outgoing.pk).claim(now=fresh) == 1
    assert OutgoingMail.objects.filter(pk=outgoing.pk).claim(now=fresh) == 0
    outgoing.refresh_from_db()
    assert (outgoing.claimed_at, outgoing.attempts) == (fresh, 2)


def test_a_claim_timeout_shorter_than_a_slow_send_is_refused():
    environment = {
        **os.environ,
        "EMAIL_URL": "smtp://mail.example.org:25",
        "EMAIL_TIMEOUT": "30",
        "OUTGOING_MAIL_CLAIM_TIMEOUT": "300",
    }
    refused = subprocess.run(
        [sys.executable, "manage.py", "check"], env=environment, capture_output=True, text=True
    )
    assert refused.returncode != 0
    assert "OUTGOING_MAIL_CLAIM_TIMEOUT (300 s) must exceed 12 times EMAIL_TIMEOUT = 360 s" in (
        refused.stderr
    )

    environment["OUTGOING_MAIL_CLAIM_TIMEOUT"] = "400"
    accepted = subprocess.run(
        [sys.executable, "manage.py", "check"], env=environment, capture_output=True, text=True
    )
    assert accepted.returncode == 0, accepted.stderr
