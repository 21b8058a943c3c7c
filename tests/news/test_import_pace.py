"""A list imported in the admin: the request records the addresses and queues their
confirmations in the database; the task worker mails them at the newsletter's pace
(NEWSLETTER_MAILS_PER_MINUTE), and cron starts it again if the worker lost the queue."""

import datetime
import re

import pytest
import time_machine
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from news.models import Subscriber
from outbox.models import OutgoingMail
from tests.conftest import run_queued_tasks


def _import(client, count: int, first: int = 0, proof: str = ""):
    lines = "".join(f"personne{first + i}@example.org;{proof}\n" for i in range(count))
    upload = SimpleUploadedFile("liste.csv", f"email;consentement\n{lines}".encode())
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/admin/news/subscriber/importer/",
            {"file": upload, "source_detail": "ancienne liste"},
            follow=True,
        )
    assert response.status_code == 200
    return response, len(queries)


@pytest.mark.django_db(transaction=True)
@pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables
def test_an_imported_list_is_recorded_at_once_and_confirmed_at_the_newsletters_pace(
    coordinator_client, settings
):
    settings.NEWSLETTER_MAILS_PER_MINUTE = 5
    start = timezone.now()
    with time_machine.travel(start, tick=False):
        _import(coordinator_client, 1, first=2000, proof="papier")  # the session, the cache
        _response, few = _import(coordinator_client, 3, first=1000)
        response, many = _import(coordinator_client, 12)
        # The request records the addresses and queues: no mail, and as many queries for 12
        # lines as for 3.
        assert many == few
        assert not OutgoingMail.objects.exists() and not mail.outbox
        assert Subscriber.objects.awaiting_confirmation_mail().count() == 15
        assert "au rythme de 5 par minute, en 3\u00a0minutes environ" in (
            response.content.decode()
        )
        # The worker is down and its queue lost: cron starts the confirmations again.
        DBTaskResult.objects.all().delete()
        assert "relancées" in _command("send_newsletters")
    queued_by_minute = []
    for minute in range(5):
        for second in (0, 30):
            moment = start + datetime.timedelta(minutes=minute, seconds=second + 1)
            with time_machine.travel(moment, tick=False):
                run_queued_tasks()
        queued_by_minute.append(OutgoingMail.objects.count())
    # Five mails written each minute, no more, spaced through it; every one sent in the end.
    assert queued_by_minute == [5, 10, 15, 15, 15]
    with time_machine.travel(start + datetime.timedelta(minutes=10), tick=False):
        run_queued_tasks()
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert len(recipients) == 15 == len(set(recipients))
    assert not Subscriber.objects.awaiting_confirmation_mail().exists()
    sent_at = sorted(OutgoingMail.objects.values_list("sent_at", flat=True))
    for earlier, later in zip(sent_at, sent_at[5:], strict=False):
        assert later - earlier >= datetime.timedelta(seconds=59)  # never 6 in a minute
    assert all(re.search(r"/lettre/abonnement/confirmer/", m.body) for m in mail.outbox)


def _command(name: str) -> str:
    import io

    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()
