"""Events: constraints the database enforces."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from events.models import Event, SessionSpeaker
from tests.factories import EventFactory, SessionSpeakerFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_event_slugs_are_unique():
    EventFactory(slug="premier-seminaire-2025")
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.create(title="Autre", slug="premier-seminaire-2025", date="2025-05-13")


def test_an_event_cannot_end_before_it_starts():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start_time=datetime.time(10, 0), end_time=datetime.time(8, 30))


def test_an_event_cannot_have_an_end_without_a_start():
    with pytest.raises(IntegrityError), transaction.atomic():
        EventFactory(start_time=None, end_time=datetime.time(12, 0))


def test_a_person_speaks_once_in_a_session():
    speaker = SessionSpeakerFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionSpeakerFactory(session=speaker.session, person=speaker.person)


@pytest.mark.parametrize(
    ("role", "label"),
    [
        ("vice-président de la CAHC", ""),  # the acronym is in the role
        ("Vice-président de la cahc", ""),  # whatever the case
        ("directrice de la Communauté d\u2019agglomération Hénin-Carvin", ""),  # the name
        ("chargée de mission ESS", "CAHC"),
        ("", "CAHC"),
        ("chargé de mission CAHCE", "CAHC"),  # a longer word is not the acronym
    ],
)
def test_a_speakers_structure_is_not_repeated_when_the_role_names_it(role, label):
    cahc = StructureFactory(
        name="Communauté d'agglomération Hénin-Carvin", acronym="CAHC", slug="cahc"
    )
    assert SessionSpeaker(role=role, structure=cahc).structure_label == label


def test_a_speakers_structure_without_acronym_reads_its_name():
    structure = StructureFactory(name="Garage solidaire", acronym="")
    assert SessionSpeaker(role="fondateur", structure=structure).structure_label == (
        "Garage solidaire"
    )
    assert (
        SessionSpeaker(role="fondateur du Garage solidaire", structure=structure).structure_label
        == ""
    )
    assert SessionSpeaker(role="maire", structure=None).structure_label == ""
