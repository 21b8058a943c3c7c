"""An event moved or cancelled after registrations: the people registered (and waiting) are
told by e-mail at once, from the admin's save."""

import datetime

import pytest
from django.urls import reverse

from events.models import EventMailKind, Registration, RegistrationNotice
from outbox.models import OutgoingMail
from tests.conftest import run_queued_tasks
from tests.factories import (
    EventFactory,
    RegistrationFactory,
    SessionFactory,
    SiteIdentityFactory,
    VenueFactory,
)
from tests.public_site import frozen

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.ignore_template_errors,
    pytest.mark.usefixtures("identity"),
]


@pytest.fixture
def seminar():
    event = EventFactory(
        title="Séminaire",
        date=datetime.date(2025, 10, 14),
        start_time=datetime.time(9, 0),
        registration_open=True,
        capacity=1,
    )
    workshop = SessionFactory(event=event, title="Atelier mobilité", registration_open=True)
    RegistrationFactory(event=event, email="present@example.org", name="Présente")
    RegistrationFactory(event=event, email="attend@example.org", status="waiting")
    RegistrationFactory(event=event, session=workshop, email="present@example.org")
    RegistrationFactory(event=event, session=workshop, email="atelier@example.org")
    RegistrationFactory(event=event, email="pas-confirme@example.org", status="pending")
    RegistrationFactory(
        event=event,
        email="annule@example.org",
        status="cancelled",
        cancelled_at=datetime.datetime(2025, 8, 1, tzinfo=datetime.UTC),
    )
    return event


def event_form(event, **changes) -> dict:
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "date": event.date.strftime("%d/%m/%Y"),
        "start_time": event.start_time.strftime("%H:%M") if event.start_time else "",
        "venue": event.venue_id,
        "registration_open": "on",
        "capacity": event.capacity or "",
        "is_published": "on",
    }
    sessions = list(event.sessions.all())
    data.update({"sessions-TOTAL_FORMS": len(sessions), "sessions-INITIAL_FORMS": len(sessions)})
    for index, session in enumerate(sessions):
        prefix = f"sessions-{index}-"
        data.update(
            {
                f"{prefix}id": session.pk,
                f"{prefix}event": event.pk,
                f"{prefix}order": session.order,
                f"{prefix}part_of_day": session.part_of_day,
                f"{prefix}kind": session.kind,
                f"{prefix}title": session.title,
                f"{prefix}registration_open": "on" if session.registration_open else "",
            }
        )
    for prefix in ("registrations", "notices"):
        data.update({f"{prefix}-TOTAL_FORMS": 0, f"{prefix}-INITIAL_FORMS": 0})
    data.update(changes)
    return {key: value for key, value in data.items() if value != ""}


def save(client, event, **changes):
    url = reverse("admin:events_event_change", args=[event.pk])
    response = client.post(url, event_form(event, **changes), follow=True)
    assert response.redirect_chain, response.context["adminform"].form.errors
    return response


def plain(text: str) -> str:
    """No-break spaces (French typography) as plain ones, for readable assertions."""
    return text.replace("\u00a0", " ").replace("\u202f", " ")


def notices(kind):
    return sorted(OutgoingMail.objects.filter(kind=kind).values_list("recipient", flat=True))


@frozen()
def test_moving_the_event_tells_everyone_confirmed_or_waiting_once(coordinator_client, seminar):
    response = save(coordinator_client, seminar, date="21/10/2025", venue=VenueFactory().pk)

    # One mail per address: registered to the event and to a workshop, told once.
    assert notices(EventMailKind.EVENT_MOVED) == [
        "atelier@example.org",
        "attend@example.org",
        "present@example.org",
    ]
    notice = RegistrationNotice.objects.get()
    assert (notice.kind, notice.recipients) == ("moved", 3)
    mail = OutgoingMail.objects.get(recipient="present@example.org", kind="event_moved")
    assert "mardi 21 octobre 2025 à 9 h" in plain(mail.body_text)
    assert "/mon-inscription/" in mail.body_text
    assert "Déplacement annoncé par e-mail à 3 personnes inscrites." in response.content.decode()


@frozen()
def test_cancelling_the_event_tells_them_too(coordinator_client, seminar):
    save(coordinator_client, seminar, is_cancelled="on")
    assert notices(EventMailKind.EVENT_CANCELLED) == [
        "atelier@example.org",
        "attend@example.org",
        "present@example.org",
    ]
    mail = OutgoingMail.objects.get(recipient="attend@example.org")
    assert "est annulé" in mail.body_text and "liste d'attente" in mail.body_text
    # The waiting list is not promoted into a cancelled event.
    assert Registration.objects.get(email="attend@example.org").status == "waiting"


@frozen()
def test_saving_without_a_change_of_date_or_place_sends_nothing(coordinator_client, seminar):
    save(coordinator_client, seminar, summary="Un résumé plus clair.")
    assert not OutgoingMail.objects.exists()
    assert not RegistrationNotice.objects.exists()


@frozen()
def test_moving_a_workshop_tells_its_own_people(coordinator_client, seminar):
    workshop = seminar.sessions.get()
    url = reverse("admin:events_session_change", args=[workshop.pk])
    data = {
        "event": seminar.pk,
        "order": workshop.order,
        "part_of_day": workshop.part_of_day,
        "start_time": "11:00",
        "kind": workshop.kind,
        "title": workshop.title,
        "registration_open": "on",
        "speakers-TOTAL_FORMS": 0,
        "speakers-INITIAL_FORMS": 0,
        "registrations-TOTAL_FORMS": 0,
        "registrations-INITIAL_FORMS": 0,
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    assert notices(EventMailKind.EVENT_MOVED) == ["atelier@example.org", "present@example.org"]
    mail = OutgoingMail.objects.get(recipient="atelier@example.org")
    assert "« Atelier mobilité » aura lieu à 11 h" in plain(mail.body_text)


@pytest.mark.django_db(transaction=True)
def test_a_second_move_is_told_again_through_the_mail_server(coordinator_client, smtp_server):
    SiteIdentityFactory()
    with frozen():
        event = EventFactory(date=datetime.date(2025, 10, 14), registration_open=True)
        RegistrationFactory(event=event, email="present@example.org")
        save(coordinator_client, event, date="15/10/2025")
        event.refresh_from_db()
        save(coordinator_client, event, date="16/10/2025")
        run_queued_tasks()
    subjects = [m["Subject"] for m in smtp_server.messages]
    assert subjects == [f"Changement\u00a0: {event.title}"] * 2
    last = smtp_server.messages[-1].get_body(("plain",)).get_content()
    assert "jeudi 16 octobre 2025" in plain(last)
