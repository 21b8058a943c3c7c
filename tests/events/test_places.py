"""Places: beyond the capacity a waiting list, promoted in order with an e-mail when a place
frees; two people taking the last place at the same moment cannot both get it."""

import datetime
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.urls import reverse

from events import services
from events.models import Event, EventMailKind, Registration
from outbox.models import OutgoingMail
from tests.conftest import run_queued_tasks
from tests.factories import EventFactory, SessionFactory, SiteIdentityFactory
from tests.public_site import frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]

SITE = "https://ptce.example"


def small_event(capacity=2, date=datetime.date(2025, 10, 14), **fields) -> Event:
    return EventFactory(date=date, registration_open=True, capacity=capacity, **fields)


def pending(event, email, session=None) -> Registration:
    return services.register(
        event=event, session=session, name=email.split("@")[0], email=email, site_url=SITE
    )


def confirmed(event, email, session=None) -> Registration:
    registration = pending(event, email, session)
    return services.confirm_registration(registration=registration, site_url=SITE)


def test_beyond_the_capacity_people_wait_in_the_order_they_confirmed(client):
    with frozen() as clock:
        event = small_event()
        first, second = confirmed(event, "a@example.org"), confirmed(event, "b@example.org")
        late_to_register = pending(event, "c@example.org")
        clock.shift(60)
        early = confirmed(event, "d@example.org")
        clock.shift(60)
        late = services.confirm_registration(registration=late_to_register, site_url=SITE)
        check_waiting_list(client, event, first, second, early, late)


def check_waiting_list(client, event, first, second, early, late):

    assert [first.status, second.status] == ["confirmed", "confirmed"]
    assert [early.status, late.status] == ["waiting", "waiting"]
    assert (early.waiting_position(), late.waiting_position()) == (1, 2)
    text = page_text(client.get(event.get_absolute_url()))
    assert "Complet — liste d'attente · 2 personnes inscrites · 2 sur liste d'attente" in text

    services.cancel_registration(registration=first, site_url=SITE)

    early.refresh_from_db()
    late.refresh_from_db()
    assert (early.status, late.status) == ("confirmed", "waiting")
    assert early.promoted_at is not None
    mail = OutgoingMail.objects.get(kind=EventMailKind.REGISTRATION_PROMOTED)
    assert mail.recipient == "d@example.org"
    assert "Une place s'est libérée" in mail.subject
    assert services.registration_url(registration=early, site_url=SITE) in mail.body_text


@frozen()
def test_cancelling_a_waiting_place_promotes_nobody():
    event = small_event(capacity=1)
    confirmed(event, "a@example.org")
    waiting = confirmed(event, "b@example.org")
    third = confirmed(event, "c@example.org")
    services.cancel_registration(registration=waiting, site_url=SITE)
    third.refresh_from_db()
    assert third.status == Registration.Status.WAITING
    assert not OutgoingMail.objects.filter(kind=EventMailKind.REGISTRATION_PROMOTED).exists()


@frozen()
def test_confirming_or_cancelling_twice_changes_nothing_more():
    event = small_event(capacity=1)
    registration = confirmed(event, "a@example.org")
    stamp = registration.confirmed_at
    again = services.confirm_registration(registration=registration, site_url=SITE)
    assert (again.status, again.confirmed_at) == ("confirmed", stamp)
    services.cancel_registration(registration=registration, site_url=SITE)
    services.cancel_registration(registration=registration, site_url=SITE)
    assert Registration.objects.get().status == "cancelled"


@frozen()
def test_more_places_in_the_admin_promote_the_waiting_list(coordinator_client):
    event = small_event(capacity=1)
    confirmed(event, "a@example.org")
    waiting = [confirmed(event, f"w{n}@example.org") for n in range(3)]
    data = {
        "title": event.title,
        "slug": event.slug,
        "kind": event.kind,
        "date": "14/10/2025",
        "venue": event.venue_id,
        "registration_open": "on",
        "capacity": "3",
        "is_published": "on",
        **{
            f"{prefix}-{key}": value
            for prefix in ("sessions", "registrations", "notices")
            for key, value in {"TOTAL_FORMS": "0", "INITIAL_FORMS": "0"}.items()
        },
    }
    response = coordinator_client.post(reverse("admin:events_event_change", args=[event.pk]), data)
    assert response.status_code == 302, response.context["errors"]
    statuses = [Registration.objects.get(pk=r.pk).status for r in waiting]
    assert statuses == ["confirmed", "confirmed", "waiting"]


@frozen()
def test_a_session_counts_its_own_places():
    event = small_event(capacity=None)
    workshop = SessionFactory(event=event, registration_open=True, capacity=1)
    in_event = confirmed(event, "a@example.org")
    in_workshop = confirmed(event, "a@example.org", session=workshop)
    other = confirmed(event, "b@example.org", session=workshop)
    assert (in_event.status, in_workshop.status, other.status) == (
        "confirmed",
        "confirmed",
        "waiting",
    )


@frozen()
def test_a_session_of_another_event_is_refused():
    from django.core.exceptions import ValidationError

    workshop = SessionFactory(registration_open=True)
    with pytest.raises(ValidationError):
        pending(small_event(), "a@example.org", session=workshop)


# --- The last place, taken twice at the same moment ---------------------------------------------


def confirm_waiting_for_the_lock(registration: Registration) -> Registration:
    """On PostgreSQL, the second transaction waits on the row lock by itself. SQLite's test
    database lives in memory (shared cache), which answers « table is locked » at once where
    the file database of the site waits for the lock (busy_timeout, IMMEDIATE transactions):
    wait and try again, as the site's database would."""
    for _attempt in range(200):
        try:
            return services.confirm_registration(registration=registration, site_url=SITE)
        except OperationalError as error:
            if connection.vendor != "sqlite" or "locked" not in str(error):
                raise
            time.sleep(0.01)
    raise AssertionError("The lock was never released.")


def confirm_at_the_same_moment(registrations: list[Registration]) -> list[str]:
    """Each registration confirmed in its own thread (its own database connection), released
    together; the statuses they got."""
    start = threading.Barrier(len(registrations))
    outcomes, errors = [], []

    def confirm(registration):
        try:
            start.wait(5)
            outcomes.append(confirm_waiting_for_the_lock(registration).status)
        except Exception as error:  # reported below, with the test's failure
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in registrations]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors, errors
    return sorted(outcomes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("on_session", [False, True], ids=["event", "session"])
def test_two_people_taking_the_last_place_at_the_same_moment(on_session):
    """Runs on SQLite (IMMEDIATE transactions) and on PostgreSQL (row lock: SELECT … FOR
    UPDATE on the event or the session), whichever DATABASE_URL names."""
    SiteIdentityFactory()
    # Time is not frozen here: threads would not share a frozen clock.
    soon = datetime.date.today() + datetime.timedelta(days=30)
    event = small_event(capacity=None if on_session else 3, date=soon)
    session = SessionFactory(event=event, registration_open=True, capacity=3)
    target = session if on_session else None
    confirmed(event, "first@example.org", target)
    confirmed(event, "second@example.org", target)
    racers = [pending(event, f"racer{n}@example.org", target) for n in range(4)]

    for _round in range(3):
        outcomes = confirm_at_the_same_moment(racers)
        assert outcomes == ["confirmed", "waiting", "waiting", "waiting"]
        holders = Registration.objects.for_target(event=event, session=target).confirmed()
        assert holders.count() == 3
        # Back to the start for another round.
        Registration.objects.filter(pk__in=[r.pk for r in racers]).update(
            status="pending", confirmed_at=None
        )


@pytest.mark.django_db(transaction=True)
def test_promotion_mail_reaches_the_mail_server(smtp_server):
    SiteIdentityFactory()
    with frozen():
        event = small_event(capacity=1)
        first = confirmed(event, "a@example.org")
        confirmed(event, "b@example.org")
        services.cancel_registration(registration=first, site_url=SITE)
        run_queued_tasks()
    (promoted,) = [m for m in smtp_server.messages if "Une place" in m["Subject"]]
    assert promoted["To"] == "b@example.org"
