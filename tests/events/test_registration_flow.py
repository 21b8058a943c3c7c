"""Registering from the public page, through the real outbox and a real SMTP server: the
confirmation link, what opening it does (nothing), what its button does, and the links that
cannot be used."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from events.models import EventMailKind, Registration
from events.services import registration_token
from outbox.models import OutgoingMail
from tests.conftest import run_queued_tasks, text_of
from tests.factories import EventFactory, RegistrationFactory, SessionFactory
from tests.public_site import PARIS, frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]

# The outbox hands a mail to the worker once the transaction commits: these tests commit.
committing = pytest.mark.django_db(transaction=True)


@pytest.fixture
def breakfast():
    return EventFactory(
        title="Petit déjeuner de l'ESS",
        slug="petit-dejeuner",
        date=datetime.date(2025, 10, 14),
        start_time=datetime.time(8, 30),
        end_time=datetime.time(10, 0),
        registration_open=True,
        capacity=20,
    )


def register(client, event, *, name="Louise Lefebvre", email="louise@example.org", session=None):
    if session is None:
        url = reverse("events:registration_create", kwargs={"slug": event.slug})
    else:
        url = reverse(
            "events:session_registration_create",
            kwargs={"slug": event.slug, "session_pk": session.pk},
        )
    return client.post(url, {"name": name, "email": email, "website": ""})


def link_in(message) -> str:
    body = message.get_body(preferencelist=("plain",)).get_content()
    (link,) = re.findall(r"https?://\S+/mon-inscription/\S+/", body)
    return link


def snapshot():
    return list(Registration.objects.values_list("pk", "status", "confirmed_at", "cancelled_at"))


@committing
@frozen()
def test_the_whole_flow_through_the_outbox_and_a_real_mail_server(client, breakfast, smtp_server):
    response = register(client, breakfast)
    assert response.status_code == 302
    sent_page = page_text(client.get(response["Location"]))
    assert "Un e-mail part à l'adresse louise@example.org" in sent_page

    registration = Registration.objects.get()
    assert registration.status == Registration.Status.PENDING
    # Not counted until confirmed.
    public = page_text(client.get(breakfast.get_absolute_url()))
    assert "Aucune inscription pour l'instant" in public

    run_queued_tasks()
    message = smtp_server.message_to("louise@example.org")
    assert message["Subject"] == "Confirmez votre inscription\u00a0: Petit déjeuner de l'ESS"
    link = link_in(message)
    path = link.removeprefix("http://testserver")

    # Opening the link (a mail scanner does) changes nothing.
    before = snapshot()
    page = client.get(path)
    assert page.status_code == 200
    assert "Confirmer mon inscription" in page_text(page)
    assert snapshot() == before

    response = client.post(path, {"action": "confirm"})
    assert response.status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert "Votre inscription est confirmée" in page_text(client.get(path))

    public = client.get(breakfast.get_absolute_url())
    text = page_text(public)
    assert "19 places disponibles · 1 personne inscrite" in text
    assert "Louise" not in text and "louise@" not in text


@committing
@frozen()
def test_a_session_takes_its_own_registrations(client, breakfast, smtp_server):
    workshop = SessionFactory(event=breakfast, title="Atelier indicateurs", capacity=2)
    workshop.registration_open = True
    workshop.save()

    page = page_text(client.get(breakfast.get_absolute_url()))
    assert "Atelier indicateurs" in page and "Plus que 2 places" in page
    register(client, breakfast, session=workshop)
    run_queued_tasks()

    registration = Registration.objects.get()
    assert (registration.event, registration.session) == (breakfast, workshop)
    message = smtp_server.message_to("louise@example.org")
    assert "Atelier indicateurs (Petit déjeuner de l'ESS)" in message["Subject"]


@committing
@frozen()
def test_registering_twice_sends_the_same_link_again_not_a_second_registration(
    client, breakfast, smtp_server
):
    register(client, breakfast)
    run_queued_tasks()
    register(client, breakfast, email="LOUISE@example.org")  # at once: not sent again
    run_queued_tasks()
    assert len(smtp_server.messages) == 1

    with time_machine.travel(datetime.timedelta(minutes=11)):
        register(client, breakfast)
        run_queued_tasks()
    assert Registration.objects.count() == 1
    assert OutgoingMail.objects.count() == 1
    first, second = smtp_server.messages
    assert link_in(first) == link_in(second)


@frozen()
def test_the_honeypot_saves_nothing_and_says_the_same(client, breakfast):
    url = reverse("events:registration_create", kwargs={"slug": breakfast.slug})
    response = client.post(url, {"name": "Bot", "email": "bot@example.org", "website": "x"})
    assert response.status_code == 302
    assert not Registration.objects.exists()
    assert not OutgoingMail.objects.exists()


@frozen()
def test_no_form_when_registration_is_closed(client, breakfast):
    breakfast.registration_open = False
    breakfast.save()
    assert "S'inscrire" not in page_text(client.get(breakfast.get_absolute_url()))
    url = reverse("events:registration_create", kwargs={"slug": breakfast.slug})
    assert client.get(url).status_code == 404

    breakfast.registration_open = True
    breakfast.is_cancelled = True
    breakfast.save()
    response = register(client, breakfast)
    assert response.status_code == 200
    assert "Les inscriptions sont fermées" in page_text(response)
    assert not Registration.objects.exists()


@frozen()
def test_invalid_form_shows_errors_in_french(client, breakfast):
    response = register(client, breakfast, name="", email="pas-une-adresse")
    assert response.status_code == 200
    assert "Saisissez une adresse de courriel valide." in text_of(response)
    assert not Registration.objects.exists()


# --- Links that cannot be used -----------------------------------------------------------------


def manage_url(token: str) -> str:
    return reverse("events:registration_manage", kwargs={"token": token})


@frozen()
def test_a_forged_link_gets_a_french_page_and_changes_nothing(client, breakfast):
    registration = RegistrationFactory(event=breakfast, status=Registration.Status.PENDING)
    registration.confirmed_at = None
    registration.save()
    forged = registration_token(registration)[:-3] + "abc"
    for method in (client.get, client.post):
        response = method(manage_url(forged), {"action": "confirm"})
        assert response.status_code == 400
        assert "Ce lien n'est pas valide" in page_text(response)
    other = manage_url(f"{registration.pk + 1}:{registration_token(registration).split(':')[1]}")
    assert client.post(other, {"action": "confirm"}).status_code == 400
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING


@frozen()
def test_a_link_expires_when_the_event_ends(client, breakfast):
    registration = RegistrationFactory(event=breakfast)
    url = manage_url(registration_token(registration))
    end = datetime.datetime(2025, 10, 14, 10, 0, tzinfo=PARIS)
    with time_machine.travel(end - datetime.timedelta(minutes=1), tick=False):
        assert client.get(url).status_code == 200
    with time_machine.travel(end, tick=False):
        response = client.post(url, {"action": "cancel"})
    assert response.status_code == 410
    assert "Ce lien a expiré" in page_text(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


@frozen()
def test_a_cancelled_event_link_says_so(client, breakfast):
    registration = RegistrationFactory(event=breakfast)
    breakfast.is_cancelled = True
    breakfast.save()
    response = client.post(manage_url(registration_token(registration)), {"action": "cancel"})
    assert response.status_code == 410
    assert "Cet événement est annulé" in page_text(response)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


@frozen()
def test_an_erased_registration_link_says_so(client, breakfast):
    registration = RegistrationFactory(event=breakfast)
    url = manage_url(registration_token(registration))
    registration.delete()
    response = client.get(url)
    assert response.status_code == 404
    assert "Cette inscription n'existe plus" in page_text(response)


@frozen()
def test_an_unknown_action_changes_nothing(client, breakfast):
    registration = RegistrationFactory(event=breakfast)
    response = client.post(manage_url(registration_token(registration)), {"action": "delete"})
    assert response.status_code == 400
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


@frozen()
def test_cancelling_from_the_link(client, breakfast):
    registration = RegistrationFactory(event=breakfast)
    url = manage_url(registration_token(registration))
    assert client.post(url, {"action": "cancel"}).status_code == 302
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    assert "Cette inscription est annulée" in page_text(client.get(url))
    # The same address may register again: a new registration.
    register(client, breakfast, email=registration.email)
    assert Registration.objects.filter(email=registration.email).count() == 2


def test_mail_kinds_are_declared():
    from outbox.models import mail_kinds

    assert set(EventMailKind.values) <= {code for code, _ in mail_kinds()}


@frozen()
def test_one_client_address_cannot_flood_the_registration_form(client, breakfast, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    statuses = [
        register(client, breakfast, email=f"personne{i}@example.org").status_code for i in range(3)
    ]
    assert statuses == [302, 302, 429]
    assert Registration.objects.count() == 2
    assert "Merci de patienter un peu" in text_of_page(client, breakfast)


def text_of_page(client, event):
    url = reverse("events:registration_create", kwargs={"slug": event.slug})
    return client.post(
        url, {"name": "X", "email": "x@example.org", "website": ""}
    ).content.decode()


@frozen()
def test_a_page_opened_by_a_personal_link_is_never_stored(client, breakfast):
    from django.core.cache import caches

    registration = RegistrationFactory(event=breakfast, name="Louise Lefebvre")
    url = manage_url(registration_token(registration))
    client.post(url, {"action": "cancel"})
    client.cookies.clear()  # the next visitor
    stored = len(caches["pages"]._cache)
    page = client.get(url)
    assert "Louise Lefebvre" in page_text(page)  # her name and address: hers alone
    assert len(caches["pages"]._cache) == stored
