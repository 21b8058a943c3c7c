"""Mail goes through a real SMTP server (aiosmtpd) and the real task worker (db_worker):
these tests commit for real, hence `transactional_db`."""

import asyncio
import datetime
import io
import os
import signal
import socket
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

from joining.models import JoinRequest
from outbox.models import OutgoingMail
from outbox.services import deliver_outgoing_mail, retry_delay, send_outgoing_mail
from tests.factories import OutgoingMailFactory, WorkingGroupFactory
from tests.members.conftest import (
    Controller,
    Inbox,
    free_port,
    run_queued_tasks,
    text_of,
    use_smtp,
)

pytestmark = pytest.mark.django_db(transaction=True)

JOIN_URL = "/adherer/"


def test_both_mails_reach_a_real_smtp_server_in_french_with_an_html_part(
    client, site_identity, join_data, smtp_server
):
    group = WorkingGroupFactory(name="Alimentation durable et consommation responsable")
    response = client.post(
        JOIN_URL,
        join_data(
            wants_groups="on",
            groups=[group.pk],
            message="Je cultive des légumes à Drocourt & j'aimerais aider.",
        ),
    )
    assert response.status_code == 302
    assert smtp_server.messages == []  # nothing sent inside the request

    run_queued_tasks()

    assert len(smtp_server.messages) == 2
    notification = smtp_server.message_to("coordination@ptce-hc.example")
    assert notification["Subject"] == "Nouvelle demande sur le site\u00a0: Louise LEFEBVRE"
    assert notification["Reply-To"] == "louise.lefebvre@example.org"
    text = notification.get_body(("plain",)).get_content()
    assert "Une nouvelle demande est arrivée" in text
    assert "Alimentation durable et consommation responsable" in text
    assert "Je cultive des légumes à Drocourt & j'aimerais aider." in text
    join_request = JoinRequest.objects.get()
    assert reverse("admin:joining_joinrequest_change", args=[join_request.pk]) in text
    html = notification.get_body(("html",)).get_content()
    assert "Drocourt &amp; j&#x27;aimerais aider." in html

    acknowledgement = smtp_server.message_to("louise.lefebvre@example.org")
    assert acknowledgement["Subject"] == (
        "Pôle territorial de coopération économique Hénin-Carvin\u00a0: "
        "nous avons bien reçu votre demande"
    )
    assert acknowledgement["Reply-To"] == "contact@ptce-hc.example"
    assert "Bonjour Louise," in acknowledgement.get_body(("plain",)).get_content()
    ack_html = acknowledgement.get_body(("html",)).get_content()
    assert '<html lang="fr">' in ack_html
    assert reverse("members:privacy") in ack_html

    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}
    assert all(m.sent_at and m.attempts == 1 for m in OutgoingMail.objects.all())


def test_without_a_notification_address_the_contact_address_is_notified(
    client, site_identity, join_data, smtp_server
):
    site_identity.notification_email = ""
    site_identity.save()

    client.post(JOIN_URL, join_data())
    run_queued_tasks()

    assert sorted(m["To"] for m in smtp_server.messages) == [
        "contact@ptce-hc.example",
        "louise.lefebvre@example.org",
    ]


@pytest.mark.logged_errors
def test_mail_server_down_the_visitor_still_succeeds_and_sending_is_retried_then_failed(
    client, site_identity, join_data, smtp_down, settings
):
    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 3
    response = client.post(JOIN_URL, join_data(), follow=True)

    # The visitor sees success and the request is in the admin.
    assert response.status_code == 200
    assert "Votre demande est bien enregistrée." in text_of(response)
    assert JoinRequest.objects.count() == 1

    now = timezone.now()
    with time_machine.travel(now, tick=False):
        run_queued_tasks()
    for outgoing in OutgoingMail.objects.all():
        assert outgoing.status == OutgoingMail.Status.PENDING
        assert outgoing.attempts == 1
        assert "ConnectionRefusedError" in outgoing.last_error
        assert outgoing.next_attempt_at == now + retry_delay(1)
    # The retry waits in the queue, not earlier than planned.
    assert DBTaskResult.objects.filter(status="READY").count() == 2

    second = now + retry_delay(1) + datetime.timedelta(seconds=1)
    with time_machine.travel(second, tick=False):
        run_queued_tasks()
    outgoing = OutgoingMail.objects.first()
    assert outgoing.attempts == 2
    assert outgoing.next_attempt_at == second + retry_delay(2)
    assert retry_delay(2) > retry_delay(1)

    with time_machine.travel(outgoing.next_attempt_at + datetime.timedelta(seconds=1)):
        run_queued_tasks()
    for outgoing in OutgoingMail.objects.all():
        assert outgoing.status == OutgoingMail.Status.FAILED
        assert outgoing.attempts == 3
        assert outgoing.next_attempt_at is None
    assert JoinRequest.objects.count() == 1
    # Nothing more is queued once failed.
    assert DBTaskResult.objects.filter(status="READY").count() == 0


@pytest.mark.logged_errors
@pytest.mark.ignore_template_errors
def test_renvoyer_sends_a_failed_mail_once_the_server_is_back(
    coordinator_client, site_identity, join_data, settings
):
    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 1
    use_smtp(settings, free_port())
    coordinator_client.post(JOIN_URL, join_data())
    run_queued_tasks()
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"failed"}

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        response = coordinator_client.post(
            reverse("admin:outbox_outgoingmail_changelist"),
            {
                "action": "resend",
                "_selected_action": list(OutgoingMail.objects.values_list("pk", flat=True)),
            },
            follow=True,
        )
        assert "E-mails remis dans la file d'envoi\u00a0: 2." in text_of(response)
        outgoing = OutgoingMail.objects.first()
        assert outgoing.status == OutgoingMail.Status.PENDING
        assert outgoing.attempts == 0
        assert outgoing.last_error == ""
        run_queued_tasks()
    finally:
        controller.stop()

    assert len(inbox.messages) == 2
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}


def test_a_mail_already_sent_is_not_sent_twice_by_a_stale_task(
    client, site_identity, join_data, smtp_server
):
    from outbox.services import send_outgoing_mail

    client.post(JOIN_URL, join_data())
    run_queued_tasks()
    sent = OutgoingMail.objects.first()

    send_outgoing_mail.enqueue(sent.pk)  # e.g. a retry queued before a « Renvoyer »
    run_queued_tasks()

    assert len(smtp_server.messages) == 2
    sent.refresh_from_db()
    assert sent.attempts == 1


class RefusingInbox(Inbox):
    """A mail server that refuses some recipients (« 550 mailbox unavailable »)."""

    def __init__(self, refused: set[str]):
        super().__init__()
        self.refused = refused

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address in self.refused:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"


@pytest.fixture
def one_mail_sent_one_failed(coordinator_client, site_identity, join_data, settings):
    """A request whose notification went out and whose acknowledgement was refused, then a
    mail server accepting everyone again: the inbox of that server."""
    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 1
    refusing = RefusingInbox({"louise.lefebvre@example.org"})
    controller = Controller(refusing, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        use_smtp(settings, controller.port)
        coordinator_client.post(JOIN_URL, join_data())
        run_queued_tasks()
    finally:
        controller.stop()
    assert [m["To"] for m in refusing.messages] == ["coordination@ptce-hc.example"]
    statuses = dict(OutgoingMail.objects.values_list("kind", "status"))
    assert statuses == {"notification": "sent", "acknowledgement": "failed"}

    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=free_port())
    controller.start()
    use_smtp(settings, controller.port)
    yield inbox
    controller.stop()


@pytest.mark.logged_errors
@pytest.mark.ignore_template_errors
def test_renvoyer_les_emails_of_a_request_skips_those_already_sent(
    coordinator_client, one_mail_sent_one_failed
):
    inbox = one_mail_sent_one_failed
    join_request = JoinRequest.objects.get()

    response = coordinator_client.post(
        reverse("admin:joining_joinrequest_changelist"),
        {"action": "resend_mails", "_selected_action": [join_request.pk]},
        follow=True,
    )
    run_queued_tasks()

    messages = [str(m) for m in response.context["messages"]]
    assert len(messages) == 1
    assert messages[0].startswith(
        "E-mails remis dans la file d'envoi\u00a0: 1. Déjà envoyés, donc pas renvoyés\u00a0: 1 "
    )
    # The coordinator is not notified a second time; the applicant gets the acknowledgement.
    assert [m["To"] for m in inbox.messages] == ["louise.lefebvre@example.org"]
    assert set(OutgoingMail.objects.values_list("status", flat=True)) == {"sent"}


@pytest.mark.logged_errors
@pytest.mark.ignore_template_errors
def test_renvoyer_on_the_mail_list_skips_those_already_sent(
    coordinator_client, one_mail_sent_one_failed
):
    inbox = one_mail_sent_one_failed

    response = coordinator_client.post(
        reverse("admin:outbox_outgoingmail_changelist"),
        {
            "action": "resend",
            "_selected_action": list(OutgoingMail.objects.values_list("pk", flat=True)),
        },
        follow=True,
    )
    run_queued_tasks()

    assert "Déjà envoyés, donc pas renvoyés\u00a0: 1" in text_of(response)
    assert [m["To"] for m in inbox.messages] == ["louise.lefebvre@example.org"]


@pytest.mark.logged_errors
@pytest.mark.ignore_template_errors
def test_a_sent_mail_is_resent_only_when_asked_on_its_page(
    coordinator_client, one_mail_sent_one_failed
):
    inbox = one_mail_sent_one_failed
    notification = OutgoingMail.objects.get(kind="notification")
    page = reverse("admin:outbox_outgoingmail_change", args=[notification.pk])
    assert "Renvoyer, même s'il a déjà été envoyé" in text_of(coordinator_client.get(page))
    changelist = coordinator_client.get(reverse("admin:outbox_outgoingmail_changelist"))
    assert "Renvoyer, même s'il a déjà été envoyé" not in text_of(changelist)

    coordinator_client.post(
        page, {"CHANGE_FORM-action": "resend", "_selected_action": notification.pk}
    )
    run_queued_tasks()
    assert inbox.messages == []

    response = coordinator_client.post(
        page,
        {"CHANGE_FORM-action": "resend_even_if_sent", "_selected_action": notification.pk},
        follow=True,
    )
    run_queued_tasks()

    assert "E-mails remis dans la file d'envoi\u00a0: 1." in text_of(response)
    assert [m["To"] for m in inbox.messages] == ["coordination@ptce-hc.example"]


# --- errors, in French first -------------------------------------------------------------------


def test_a_closed_port_is_an_unreachable_server(smtp_down):
    outgoing = OutgoingMailFactory()

    deliver_outgoing_mail(mail_id=outgoing.pk)

    outgoing.refresh_from_db()
    assert outgoing.last_error.startswith(
        "Serveur d'envoi injoignable. Détail technique\u00a0: ConnectionRefusedError: "
    )


def test_a_refused_recipient_says_so(settings):
    outgoing = OutgoingMailFactory(recipient="inconnu@example.org")
    controller = Controller(RefusingInbox({"inconnu@example.org"}), hostname="127.0.0.1",
                            port=free_port())  # fmt: skip
    controller.start()
    try:
        use_smtp(settings, controller.port)
        deliver_outgoing_mail(mail_id=outgoing.pk)
    finally:
        controller.stop()

    outgoing.refresh_from_db()
    assert outgoing.last_error.startswith(
        "Adresse refusée par le serveur d'envoi (destinataire inconnu ou bloqué). "
        "Détail technique\u00a0: SMTPRecipientsRefused: "
    )
    assert "Mailbox unavailable" in outgoing.last_error


def test_a_server_that_never_answers_is_a_timeout(settings):
    outgoing = OutgoingMailFactory()
    with socket.socket() as silent:  # accepts the connection, never greets
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        use_smtp(settings, silent.getsockname()[1])
        settings.MAILERS["default"]["OPTIONS"]["timeout"] = 0.5
        deliver_outgoing_mail(mail_id=outgoing.pk)

    outgoing.refresh_from_db()
    assert outgoing.last_error.startswith(
        "Délai dépassé\u00a0: le serveur d'envoi n'a pas répondu à temps. Détail technique"
    )


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
