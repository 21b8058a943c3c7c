"""Mail goes through a real SMTP server (aiosmtpd) and the real task worker (db_worker):
these tests commit for real, hence `transactional_db`."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from members.models import JoinRequest, OutgoingMail
from members.services import retry_delay
from tests.factories import WorkingGroupFactory
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
    assert reverse("admin:members_joinrequest_change", args=[join_request.pk]) in text
    html = notification.get_body(("html",)).get_content()
    assert "Drocourt &amp; j&#x27;aimerais aider." in html

    acknowledgement = smtp_server.message_to("louise.lefebvre@example.org")
    assert acknowledgement["Subject"] == (
        "PTCE Hénin-Carvin\u00a0: nous avons bien reçu votre demande"
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
            reverse("admin:members_outgoingmail_changelist"),
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
    from members.tasks import send_outgoing_mail

    client.post(JOIN_URL, join_data())
    run_queued_tasks()
    sent = OutgoingMail.objects.first()

    send_outgoing_mail.enqueue(sent.pk)  # e.g. a retry queued before a « Renvoyer »
    run_queued_tasks()

    assert len(smtp_server.messages) == 2
    sent.refresh_from_db()
    assert sent.attempts == 1
