"""What the admin says around our models' names, as the coordinator reads it."""

import pytest
from django.urls import reverse

from tests import factories
from tests.conftest import text_of

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def test_a_list_says_its_plural_and_offers_to_add_one_with_the_article(
    coordinator_client, legal_rules
):
    for _ in range(4):
        factories.AssociateFactory()
    page = text_of(coordinator_client.get(reverse("admin:scic_associate_changelist")))
    assert "<title>Associés |" in page
    assert "4 associés" in page
    assert "Ajouter un associé" in page
    factories.MeetingFactory()
    meetings = text_of(coordinator_client.get(reverse("admin:groups_meeting_changelist")))
    assert "Supprimer les réunions sélectionnées" in meetings
    assert "Ajouter une réunion" in meetings


def test_add_and_change_pages_are_titled_with_the_article(coordinator_client):
    page = text_of(coordinator_client.get(reverse("admin:groups_meeting_add")))
    assert "<h1>Ajouter une réunion</h1>" in page
    assert '<li aria-current="page">Ajouter une réunion</li>' in page
    assert 'title="Ajouter un lieu"' in page  # the button beside the venue
    assert ">Annulée</label>" in page
    meeting = factories.MeetingFactory()
    page = text_of(
        coordinator_client.get(reverse("admin:groups_meeting_change", args=[meeting.pk]))
    )
    assert "<h1>Modifier la réunion</h1>" in page
    assert "Ajouter un document" in page  # the documents' inline
    assert 'title="Modifier ce lieu"' in page


def test_a_label_our_form_writes_in_lower_case_starts_with_a_capital(
    coordinator_client, legal_rules
):
    page = text_of(coordinator_client.get(reverse("admin:scic_associate_add")))
    assert ">Parts souscrites\u00a0:</label>" in page or ">Parts souscrites :</label>" in page


def test_the_delete_page_sets_the_name_apart(coordinator_client):
    venue = factories.VenueFactory(name="Salle des fêtes")
    page = text_of(
        coordinator_client.get(reverse("admin:association_venue_delete", args=[venue.pk]))
    )
    assert "Voulez-vous vraiment supprimer «\u00a0Salle des fêtes, Carvin\u00a0» (lieu)" in page
    assert "Oui, supprimer" in page
