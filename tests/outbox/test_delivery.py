"""Mail goes through a real SMTP server (aiosmtpd) and the real task worker (db_worker):
these tests commit for real, hence `transactional_db`."""

import datetime
import io
import logging
import socket

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from joining.models import JoinRequest
from outbox.models import OutgoingMail
from outbox.services import deliver_outgoing_mail, retry_delay, send_outgoing_mail
from tests.conftest import (
    Controller,
    Inbox,
    free_port,
    run_queued_tasks,
    text_of,
    use_smtp,
)
from tests.factories import OutgoingMailFactory, WorkingGroupFactory

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


@pytest.mark.logged_errors
@pytest.mark.parametrize(
    ("recipient", "reply_to"),
    [
        ("zoe@example.org\r\nBcc: victime@example.net", ""),
        ("zoe@example.org\u2028", ""),
        ("pas une adresse", ""),
        ("zoe@example.org", "coord@example.org\nBcc: victime@example.net"),
    ],
    ids=["crlf", "separator", "no-address", "reply-to"],
)
def test_an_invalid_address_fails_the_mail_at_once_without_building_a_header(
    smtp_server, recipient, reply_to
):
    outgoing = OutgoingMailFactory(recipient=recipient, reply_to=reply_to)

    outcome = deliver_outgoing_mail(mail_id=outgoing.pk)

    outgoing.refresh_from_db()
    assert outcome.status == outgoing.status == OutgoingMail.Status.FAILED
    assert outgoing.next_attempt_at is None  # retrying would not mend the address
    assert outgoing.last_error.startswith("Adresse invalide\u00a0: ")
    assert smtp_server.messages == []


@pytest.mark.logged_errors  # the refusal is logged for the operator: without the address
@pytest.mark.django_db(transaction=True)
def test_the_workers_log_names_no_refused_recipient(site_identity, settings, join_data, client):
    """What the operator reads on the console, as settings.LOGGING writes it."""
    settings.OUTGOING_MAIL_MAX_ATTEMPTS = 1
    refusing = RefusingInbox({"louise.lefebvre@example.org"})
    controller = Controller(refusing, hostname="127.0.0.1", port=free_port())
    controller.start()
    console = io.StringIO()
    handler = logging.StreamHandler(console)
    handler.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
    handler.addFilter(lambda record: not record.name.startswith("mail.log"))  # the test server's
    for name in settings.LOGGING["handlers"]["console"].get("filters", []):
        handler.addFilter(import_string(settings.LOGGING["filters"][name]["()"])())
    logging.getLogger().addHandler(handler)
    try:
        use_smtp(settings, controller.port)
        client.post(JOIN_URL, join_data())
        run_queued_tasks()
    finally:
        logging.getLogger().removeHandler(handler)
        controller.stop()
    logged = console.getvalue()
    assert "failed after 1 attempts" in logged  # the operator still sees what failed
    assert "louise" not in logged.lower()
