"""Registrations are personal data of the member file's people (matched by e-mail): exported,
erased, and deleted once their event is long past."""

import datetime

import pytest
import time_machine

from events import services
from events.models import Registration
from members.services.personal_data import erase_person, export_person_data
from members.services.retention import apply_retention, inactive_people
from outbox.models import OutgoingMail
from tests.factories import EventFactory, PersonFactory, RegistrationFactory
from tests.public_site import frozen

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]


@pytest.fixture
def louise():
    return PersonFactory(first_name="Louise", last_name="Lefebvre", email="louise@example.org")


def registered(email: str) -> Registration:
    event = EventFactory(date=datetime.date(2025, 10, 14), registration_open=True)
    return services.register(
        event=event, name="Louise Lefebvre", email=email, site_url="https://ptce.example"
    )


@frozen()
def test_export_lists_the_registrations_made_with_the_persons_address(louise):
    registered("Louise@Example.org")
    RegistrationFactory(email="someone-else@example.org")

    (exported,) = export_person_data(person=louise)["inscriptions"]
    assert exported["nom"] == "Louise Lefebvre"
    assert exported["état"] == "À confirmer"
    (mail,) = exported["e-mails du site"]
    assert mail["destinataire"] == "Louise@Example.org"


@frozen()
def test_erasure_deletes_them_and_their_mails(louise):
    registered("louise@example.org")
    other = RegistrationFactory(email="someone-else@example.org")

    erase_person(person=louise)

    assert list(Registration.objects.all()) == [other]
    assert not OutgoingMail.objects.exists()


def test_retention_deletes_registrations_a_year_after_their_event():
    with frozen(datetime.date(2025, 9, 1)):
        old = registered("old@example.org")
        old.event.date = datetime.date(2024, 8, 31)
        old.event.save()
        recent = RegistrationFactory(event=EventFactory(date=datetime.date(2024, 9, 2)))

        report = apply_retention()

    assert report.counts["Inscriptions aux événements passés supprimées"] == 1
    assert list(Registration.objects.all()) == [recent]
    assert not OutgoingMail.objects.filter(object_id=old.pk).exists()


def test_a_recent_registration_keeps_a_person_active(louise):
    with time_machine.travel(datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)):
        louise.save()  # last touched long ago: inactive, unless something else says otherwise
    since = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    assert louise in inactive_people(since=since)
    with frozen(datetime.date(2025, 6, 1)):
        registered("louise@example.org")
    assert louise not in inactive_people(since=since)
