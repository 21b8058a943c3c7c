"""Events: constraints the database enforces."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from events.models import Event
from tests.factories import EventFactory, SessionSpeakerFactory

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
