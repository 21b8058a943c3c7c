"""Registrations in the back-office: inline on the event and the session with their state, their
own list with filters, the CSV export for French Excel, cancelling; fixed query counts."""

import csv
import datetime
import io

import pytest
from django.urls import reverse

from events.models import EventMailKind, Registration
from outbox.models import OutgoingMail
from tests.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.public_site import frozen

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.ignore_template_errors,
    pytest.mark.usefixtures("identity"),
]

CHANGELIST = "admin:events_registration_changelist"


@pytest.fixture
def seminar():
    return EventFactory(
        title="Séminaire", date=datetime.date(2025, 10, 14), registration_open=True, capacity=1
    )


def fill(event, count: int) -> None:
    """`count` registrations of every state, on the event and on one workshop."""
    workshop = SessionFactory(event=event, registration_open=True)
    for n in range(count):
        RegistrationFactory(event=event, status="waiting" if n % 2 else "confirmed")
        RegistrationFactory(event=event, session=workshop)


@frozen()
def test_the_event_page_lists_its_registrations_with_their_state(coordinator_client, seminar):
    RegistrationFactory(event=seminar, name="Zoé Attend", status="waiting")
    response = coordinator_client.get(reverse("admin:events_event_change", args=[seminar.pk]))
    content = response.content.decode()
    assert "Zoé Attend" in content and "Liste d&#x27;attente" in content
    assert 'name="capacity"' in content


@frozen()
def test_filters_and_search(coordinator_client, seminar):
    workshop = SessionFactory(event=seminar, registration_open=True)
    RegistrationFactory(event=seminar, name="Anne Confirmée")
    RegistrationFactory(event=seminar, name="Bruno Attend", status="waiting")
    RegistrationFactory(event=seminar, session=workshop, name="Chloé Atelier")
    other = RegistrationFactory(name="Denis Ailleurs")

    def names(params):
        response = coordinator_client.get(reverse(CHANGELIST), params)
        return sorted(r.name for r in response.context["cl"].result_list)

    assert names({"status__exact": "waiting"}) == ["Bruno Attend"]
    assert names({"session__isempty": "0"}) == ["Chloé Atelier"]
    assert names({"event__id__exact": other.event_id}) == ["Denis Ailleurs"]
    assert names({"q": "chloé"}) == ["Chloé Atelier"]


@frozen()
def test_csv_export_opens_in_french_excel_with_formulas_defused(coordinator_client, seminar):
    RegistrationFactory(event=seminar, name='=HYPERLINK("http://x")', email="a@example.org")
    RegistrationFactory(event=seminar, name="Émilie Noël", email="b@example.org")
    selected = list(Registration.objects.values_list("pk", flat=True))
    response = coordinator_client.post(
        reverse(CHANGELIST), {"action": "export_csv", "_selected_action": selected}
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))
    assert rows[0][:6] == ["Événement", "Date", "Séquence", "Nom", "E-mail", "État"]
    assert rows[1][3:6] == ['\'=HYPERLINK("http://x")', "a@example.org", "Confirmée"]
    assert rows[2][3] == "Émilie Noël"


@frozen()
def test_cancelling_from_the_list_gives_the_place_to_the_waiting_list(coordinator_client, seminar):
    holder = RegistrationFactory(event=seminar, email="a@example.org")
    waiting = RegistrationFactory(event=seminar, email="b@example.org", status="waiting")
    response = coordinator_client.post(
        reverse(CHANGELIST), {"action": "cancel_registrations", "_selected_action": [holder.pk]}
    )
    assert response.status_code == 302
    holder.refresh_from_db()
    waiting.refresh_from_db()
    assert (holder.status, waiting.status) == ("cancelled", "confirmed")
    mail = OutgoingMail.objects.get()
    assert (mail.kind, mail.recipient) == (EventMailKind.REGISTRATION_PROMOTED, "b@example.org")


def test_registrations_are_not_added_by_hand(coordinator_client):
    assert coordinator_client.get(reverse("admin:events_registration_add")).status_code == 403


# --- Fixed query counts at two sizes ------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 60])
@frozen()
def test_registration_list_costs_the_same_whatever_its_size(
    coordinator_client, seminar, size, django_assert_num_queries
):
    fill(seminar, size)
    coordinator_client.get(reverse(CHANGELIST))  # warm the session and permissions caches
    # session, user, permissions (2), event filter choices, count (2: filtered and total),
    # page, site identity, date hierarchy (2: bounds and days)
    with django_assert_num_queries(11):
        response = coordinator_client.get(reverse(CHANGELIST))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [3, 60])
@frozen()
def test_event_page_costs_the_same_whatever_its_registrations(
    coordinator_client, seminar, size, django_assert_num_queries
):
    fill(seminar, size)
    url = reverse("admin:events_event_change", args=[seminar.pk])
    coordinator_client.get(url)
    # session, user, permissions (2), event, its venue and organisers (autocomplete), notices,
    # sessions with speakers (2), registrations with their event and session, site identity:
    # none per registration
    with django_assert_num_queries(12):
        response = coordinator_client.get(url)
    assert response.status_code == 200
