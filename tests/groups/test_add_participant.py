"""A lead adds a new participant to their own group (a person with their structure, consent
recorded) and invites them, without asking the coordinator; a lead picks any venue for a
meeting and proposes a new one."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from association.models import Venue
from groups.models import MeetingAnswer, MeetingMailKind
from members.models import Person, Structure
from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import MeetingFactory, PersonFactory, VenueFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.ignore_template_errors,  # the admin's own templates rely on silent variables
]


def _url(group):
    return reverse("admin:groups_workinggroup_add_participant", args=[group.pk])


def _data(**changes):
    return {
        "first_name": "lucie",
        "last_name": "MARTIN",
        "email": "Lucie.Martin@example.org",
        "structure": "",
        "new_structure_name": "",
        "consent": "on",
        "invite": "on",
        **changes,
    }


def test_a_lead_adds_and_invites_a_new_participant_with_their_structure(two_groups, client):
    group = two_groups.group_a
    announced = MeetingFactory(
        group=group,
        date=timezone.localdate() + datetime.timedelta(days=12),
        invitations_sent_at=timezone.now(),
    )
    client.force_login(two_groups.lead_user_a)
    change_page = text_of(client.get(reverse("admin:groups_workinggroup_change", args=[group.pk])))
    assert _url(group) in change_page

    response = client.post(_url(group), _data(new_structure_name="La Ressourcerie du Bassin"))

    assert response.status_code == 302, text_of(response)
    person = Person.objects.get(email="lucie.martin@example.org")
    assert (person.first_name, person.last_name.upper()) == ("Lucie", "MARTIN")
    assert person.structure == Structure.objects.get(name="La Ressourcerie du Bassin")
    assert person.consent_given_at is not None
    assert "chef-a" in person.consent_recorded_by
    assert person in group.participant_people.all()
    assert MeetingAnswer.objects.filter(meeting=announced, person=person).exists()
    invitation = OutgoingMail.objects.get(
        kind=MeetingMailKind.INVITATION, recipient="lucie.martin@example.org"
    )
    assert invitation.object_id == announced.pk
    page = text_of(client.get(response["Location"]))
    assert "Lucie MARTIN participe désormais au groupe" in page
    # The new participant is now within the lead's reach in the member file.
    assert client.get(reverse("admin:members_person_change", args=[person.pk])).status_code == 200


def test_without_consent_nobody_is_added(two_groups, lead_client):
    response = lead_client.post(_url(two_groups.group_a), _data(consent=""))
    assert response.status_code == 200
    assert "Sans son accord, elle ne peut pas être ajoutée." in text_of(response)
    assert not Person.objects.filter(email="lucie.martin@example.org").exists()


def test_someone_already_in_the_file_is_added_as_they_are(two_groups, client):
    known = PersonFactory(first_name="Odette", last_name="Dauchet", email="odette@example.org")
    client.force_login(two_groups.lead_user_a)
    client.post(
        _url(two_groups.group_a), _data(first_name="X", last_name="Y", email="ODETTE@example.org")
    )
    known.refresh_from_db()
    assert (known.first_name, known.last_name) == ("Odette", "Dauchet")
    assert known in two_groups.group_a.participant_people.all()
    assert Person.objects.filter(email="odette@example.org").count() == 1


def test_a_lead_cannot_add_to_another_group(two_groups, lead_client):
    assert lead_client.get(_url(two_groups.group_b)).status_code == 403
    assert lead_client.post(_url(two_groups.group_b), _data()).status_code == 403
    assert not Person.objects.filter(email="lucie.martin@example.org").exists()


def test_a_lead_picks_any_venue_and_proposes_a_new_one(two_groups, client):
    elsewhere = VenueFactory(name="Salle des fêtes de Courrières")
    client.force_login(two_groups.lead_user_a)
    found = client.get(
        reverse("admin:autocomplete"),
        {
            "term": "Courrières",
            "app_label": "groups",
            "model_name": "meeting",
            "field_name": "venue",
        },
    ).json()
    assert [r["text"] for r in found["results"]] == [str(elsewhere)]
    add_page = text_of(client.get(reverse("admin:groups_meeting_add")))
    assert reverse("admin:association_venue_add") in add_page
    response = client.post(
        reverse("admin:association_venue_add"),
        {"name": "Tiers-lieu du Bassin", "address": "1 rue de la Gare", "town": "Carvin"},
    )
    assert response.status_code == 302
    assert Venue.objects.filter(name="Tiers-lieu du Bassin").exists()
    # Changing a venue others meet at stays the coordinator's.
    client.post(
        reverse("admin:association_venue_change", args=[elsewhere.pk]),
        {"name": "Renommée", "address": "", "town": "Courrières"},
    )
    elsewhere.refresh_from_db()
    assert elsewhere.name == "Salle des fêtes de Courrières"
