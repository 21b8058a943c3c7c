"""Reminders: the group's delays (7 and 1 days by default), to those who come, hesitate or have
not answered; `send_reminders` run twice, even at the same moment, sends each reminder once."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection

from groups.models import InvitationOptOut, MeetingMailKind, MeetingReminder
from groups.services.reminders import send_due_reminders
from outbox.models import OutgoingMail
from tests.conftest import run_queued_tasks
from tests.factories import MeetingAnswerFactory, MeetingFactory, WorkingGroupFactory
from tests.public_site import frozen

pytestmark = pytest.mark.django_db(transaction=True)
DAY = datetime.date(2025, 10, 7)


@pytest.fixture
def invited_meeting(site_identity):
    meeting = MeetingFactory(
        group=WorkingGroupFactory(reminder_days="7, 1"),
        date=DAY,
        start_time=datetime.time(14),
        invitations_sent_at=datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC),
    )
    answers = {
        response: MeetingAnswerFactory(meeting=meeting, response=response)
        for response in ("yes", "maybe", "no", "")
    }
    return meeting, answers


def reminders_sent() -> list[str]:
    return list(
        OutgoingMail.objects.filter(kind=MeetingMailKind.REMINDER).values_list(
            "recipient", flat=True
        )
    )


def test_reminders_go_seven_days_and_one_day_before_to_all_but_those_who_said_no(
    invited_meeting, smtp_server
):
    _meeting, answers = invited_meeting
    with frozen(DAY - datetime.timedelta(days=8)):
        assert send_due_reminders(site_url="https://portail.example.org").sent == 0
    with frozen(DAY - datetime.timedelta(days=7)):
        out = io.StringIO()
        call_command("send_reminders", stdout=out)
        assert "Rappels mis dans la file d'envoi\u00a0: 3" in out.getvalue()
    expected = {answers[r].person.email for r in ("yes", "maybe", "")}
    assert set(reminders_sent()) == expected
    with frozen(DAY - datetime.timedelta(days=1)):
        assert send_due_reminders(site_url="https://portail.example.org").sent == 3
    assert set(MeetingReminder.objects.values_list("days_before", flat=True)) == {7, 1}
    run_queued_tasks()
    *_earlier, message = [m for m in smtp_server.messages if m["To"] == answers[""].person.email]
    assert "demain" in message["Subject"]
    body = message.get_body(("plain",)).get_content()
    assert "Vous n'avez pas encore répondu" in body
    assert "https://portail.example.org/groupes/reponse/" in body


def test_running_the_command_twice_sends_each_reminder_once(invited_meeting):
    with frozen(DAY - datetime.timedelta(days=7)):
        call_command("send_reminders", stdout=io.StringIO())
        call_command("send_reminders", stdout=io.StringIO())
    assert len(reminders_sent()) == 3
    assert MeetingReminder.objects.count() == 3


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite's shared in-memory test database locks whole tables: run on PostgreSQL",
)
def test_two_runs_at_the_same_moment_send_each_reminder_once(invited_meeting):
    """Two workers race: the unique constraint, not a check in Python, keeps one of each."""
    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait(5)
            with frozen(DAY - datetime.timedelta(days=1)):
                outcomes.append(send_due_reminders(site_url="https://portail.example.org"))
        except Exception as error:  # reported below, not lost in the thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    assert len(outcomes) == 2
    assert sum(outcome.sent for outcome in outcomes) == 3
    assert len(reminders_sent()) == 3
    assert MeetingReminder.objects.count() == 3


def test_a_cancelled_or_uninvited_meeting_gets_no_reminder(invited_meeting):
    meeting, _answers = invited_meeting
    meeting.is_cancelled = True
    meeting.save()
    other = MeetingFactory(date=DAY)  # never invited
    MeetingAnswerFactory(meeting=other)
    with frozen(DAY - datetime.timedelta(days=1)):
        assert send_due_reminders(site_url="https://portail.example.org").sent == 0


def test_who_stopped_the_groups_invitations_is_not_reminded_and_each_reminder_can_stop_them(
    invited_meeting, smtp_server
):
    meeting, answers = invited_meeting
    InvitationOptOut.objects.create(group=meeting.group, person=answers[""].person)
    with frozen(DAY - datetime.timedelta(days=7)):
        assert send_due_reminders(site_url="https://portail.example.org").sent == 2
    assert answers[""].person.email not in reminders_sent()
    run_queued_tasks()
    message = smtp_server.message_to(answers["yes"].person.email)
    # One click in the mail client stops them (RFC 8058), as from an invitation.
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "https://portail.example.org/groupes/desinscription/" in message["List-Unsubscribe"]
