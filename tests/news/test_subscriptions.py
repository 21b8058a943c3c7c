"""Subscribing with double opt-in: nothing but the confirmation until its link is opened, the
same answer whatever the address, consent recorded; one-click unsubscribe (RFC 8058); « Mon
espace »; the CSV import; export, erasure and retention."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from members.services.personal_data import erase_person, export_person_data
from members.services.retention import apply_retention
from news.models import NewsMailKind, Subscriber
from news.services import subscriptions
from outbox.models import OutgoingMail
from tests.conftest import sign_in_to_space
from tests.factories import PersonFactory


def confirmation_link(email: str) -> str:
    mail = OutgoingMail.objects.get(recipient=email, kind=NewsMailKind.CONFIRMATION)
    (link,) = [line for line in mail.body_text.splitlines() if "/confirmer/" in line]
    return link.split("127.0.0.1:8000", 1)[-1].strip()


@pytest.mark.django_db
def test_subscribing_sends_only_the_confirmation_and_consent_is_recorded_on_opening_it():
    visitor = Client()
    response = visitor.post("/lettre/abonnement/", {"email": "ana@example.org"})
    assert response.status_code == 302
    subscriber = Subscriber.objects.get()
    assert subscriber.status == Subscriber.Status.PENDING
    assert not Subscriber.objects.mailable().exists()
    assert list(OutgoingMail.objects.values_list("kind", flat=True)) == ["news_confirmation"]
    # The retention the privacy notice states (NEWSLETTER_UNCONFIRMED_DAYS).
    assert "sera effacée dans 30 jours" in OutgoingMail.objects.get().body_text
    link = confirmation_link("ana@example.org")
    page = visitor.get(link)
    assert page.status_code == 200
    # Its consent line promises no other confirmation mail (the footer's form still does).
    assert "pour confirmer" not in page.content.decode().split("<footer")[0]
    assert Subscriber.objects.get().status == Subscriber.Status.PENDING  # a scanner's GET
    visitor.post(link)
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED
    assert subscriber.confirmed_at is not None and subscriber.consent_version == "2026-12"


@pytest.mark.django_db
def test_the_answer_is_the_same_whether_the_address_is_known_or_not():
    subscriptions.request_subscription(email="known@example.org")
    Subscriber.objects.update(status="confirmed", confirmed_at=timezone.now())
    known = Client().post("/lettre/abonnement/", {"email": "known@example.org"}, follow=True)
    new = Client().post("/lettre/abonnement/", {"email": "new@example.org"}, follow=True)
    assert known.content == new.content
    # The confirmed address got no second confirmation.
    assert OutgoingMail.objects.filter(recipient="known@example.org").count() == 1


@pytest.mark.django_db
def test_a_robot_filling_the_honeypot_gets_the_same_answer_and_nothing_is_saved():
    response = Client().post(
        "/lettre/abonnement/", {"email": "bot@example.org", "website": "x"}, follow=True
    )
    assert "Vérifiez votre messagerie" in response.content.decode()
    assert not Subscriber.objects.exists()


@pytest.mark.django_db
def test_one_click_unsubscribe_by_rfc_8058_post_and_never_mailed_again():
    subscriber = subscriptions.request_subscription(email="ana@example.org")
    subscriptions.confirm_subscription(subscriber=subscriber)
    url = subscriptions.unsubscribe_url(subscriber).split("127.0.0.1:8000", 1)[-1]
    # The mail's visible link opens a page that asks for the click, without claiming it done.
    page = Client().get(url).content.decode().split("<footer")[0]
    assert "confirmez" in page and "ne recevra plus" not in page
    assert Subscriber.objects.get().status == Subscriber.Status.CONFIRMED
    # What a mail client sends: no cookie, no CSRF token.
    client = Client(enforce_csrf_checks=True)
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED
    assert not Subscriber.objects.mailable().exists()
    # A forged token changes nothing.
    assert client.post(url[:-3] + "xyz/").status_code == 400


@pytest.mark.django_db
def test_an_old_confirmation_link_does_not_bring_back_an_unsubscribed_address():
    subscriber = subscriptions.request_subscription(email="ana@example.org")
    link = confirmation_link("ana@example.org")
    subscriptions.unsubscribe(subscriber=subscriber)
    Client().post(link)
    assert Subscriber.objects.get().status == Subscriber.Status.UNSUBSCRIBED


@pytest.mark.django_db
def test_my_space_box_subscribes_and_unsubscribes_the_signed_in_partner():
    person = PersonFactory(email="partenaire@example.org")
    client = Client()
    sign_in_to_space(client, person)
    box = client.get("/lettre/mon-abonnement/").content.decode().split("<footer")[0]
    assert "Vous ne recevez pas la lettre" in box
    # Subscribed at once, from here: no confirmation mail is promised.
    assert "se désabonner en un clic" in box and "pour confirmer" not in box
    client.post("/lettre/mon-abonnement/changer/", {"subscribe": "1"})
    subscriber = Subscriber.objects.get()
    assert subscriber.status == "confirmed" and subscriber.source == "space"
    client.post("/lettre/mon-abonnement/changer/")
    assert Subscriber.objects.get().status == "unsubscribed"
    assert "/lettre/mon-abonnement/" in client.get("/mon-espace/").content.decode()


@pytest.mark.django_db
def test_the_import_records_the_consent_source_and_unproven_addresses_must_confirm():
    counts = subscriptions.import_subscribers(
        csv_text="email;consentement\nprouve@example.org;bulletin papier 2024\n"
        "sans@example.org;\npas-une-adresse;\n",
        source_detail="ancienne liste",
    )
    assert counts == {"confirmed": 1, "to_confirm": 1, "known": 0, "invalid": 1}
    proven = Subscriber.objects.get(email="prouve@example.org")
    assert proven.status == "confirmed"
    assert proven.source_detail == "ancienne liste — bulletin papier 2024"
    unproven = Subscriber.objects.get(email="sans@example.org")
    assert unproven.status == "pending"
    assert not OutgoingMail.objects.exists()  # queued, sent at the newsletter's pace
    subscriptions.send_queued_confirmations()
    assert OutgoingMail.objects.get(recipient="sans@example.org").kind == "news_confirmation"
    assert not OutgoingMail.objects.filter(recipient="prouve@example.org").exists()


@pytest.mark.django_db
def test_export_and_erasure_cover_the_subscription():
    person = PersonFactory(email="ana@example.org")
    subscriptions.request_subscription(email="ana@example.org")
    exported = export_person_data(person=person)
    assert "abonnement à la lettre" in str(exported)
    erase_person(person=person)
    assert not Subscriber.objects.exists()
    assert not OutgoingMail.objects.filter(recipient="ana@example.org").exists()


@pytest.mark.django_db
def test_unconfirmed_subscriptions_are_forgotten_after_the_retention_period(settings):
    settings.NEWSLETTER_UNCONFIRMED_DAYS = 30
    old = subscriptions.request_subscription(email="old@example.org")
    Subscriber.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=31)
    )
    subscriptions.request_subscription(email="recent@example.org")
    apply_retention()
    assert list(Subscriber.objects.values_list("email", flat=True)) == ["recent@example.org"]


@pytest.mark.django_db
def test_the_import_reads_a_no_in_the_consent_column_as_no_proof():
    """A list kept in a spreadsheet says « oui » or « non »: « non » is no consent."""
    counts = subscriptions.import_subscribers(
        csv_text="email,consentement\noui@example.org,oui\nnon@example.org,Non\n"
        "faux@example.org,FAUX\nzero@example.org,0\n",
        source_detail="tableur",
    )
    assert counts["confirmed"] == 1 and counts["to_confirm"] == 3
    assert list(Subscriber.objects.mailable().values_list("email", flat=True)) == [
        "oui@example.org"
    ]


@pytest.mark.django_db
def test_someone_typing_an_unsubscribed_address_does_not_erase_its_withdrawal():
    """Anyone may type an address in the form: until its owner confirms, the record keeps when
    they consented and when they withdrew."""
    subscriber = subscriptions.request_subscription(email="ana@example.org")
    subscriptions.confirm_subscription(subscriber=subscriber)
    subscriptions.unsubscribe(subscriber=subscriber)
    Client().post("/lettre/abonnement/", {"email": "ana@example.org"})
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.PENDING
    assert subscriber.confirmed_at is not None and subscriber.unsubscribed_at is not None
    Client().post(confirmation_link("ana@example.org"))
    subscriber.refresh_from_db()
    assert subscriber.status == Subscriber.Status.CONFIRMED and subscriber.unsubscribed_at is None
