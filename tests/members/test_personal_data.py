import datetime
import json
import re

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.management import call_command
from django.urls import reverse

from joining.models import JoinRequest
from joining.personal_data import DECLINED_DELETED, UNHANDLED_DELETED
from members.models import Membership, Person
from members.privacy import PRIVACY_NOTICE_VERSION
from members.services.personal_data import erase_person, export_person_data
from members.services.retention import apply_retention
from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import (
    GroupLeadFactory,
    JoinRequestFactory,
    MembershipFactory,
    OutgoingMailFactory,
    PersonFactory,
    SessionSpeakerFactory,
    StructureFactory,
    WorkingGroupFactory,
)

PEOPLE = "admin:members_person_changelist"
NOW = datetime.datetime(2025, 10, 7, 10, 0, tzinfo=datetime.UTC)


@pytest.fixture
def odette(db):
    """A member with everything a person can have in the file."""
    person = PersonFactory(
        first_name="Odette", last_name="Dauchet", email="o.dauchet@die.fr",
        phone="03 21 20 79 44", title="Cheffe de file",
    )  # fmt: skip
    group = WorkingGroupFactory(name="Alimentation durable et consommation responsable")
    group.participant_people.add(person)
    GroupLeadFactory(group=group, person=person)
    SessionSpeakerFactory(person=person, role="intervenante")
    MembershipFactory(structure=None, person=person, year=2024, fee=30)
    join_request = JoinRequestFactory(person=person, email="o.dauchet@die.fr", status="accepted",
                                      handled_at=NOW)  # fmt: skip
    join_request.groups.add(group)
    OutgoingMailFactory(join_request=join_request)
    JoinRequestFactory(email="O.Dauchet@DIE.fr", first_name="Odette")  # an older one, by e-mail
    return person


# --- export ------------------------------------------------------------------------------------


def test_export_person_data_holds_everything(odette):
    data = export_person_data(person=odette)

    assert data["personne"]["e-mail"] == "o.dauchet@die.fr"
    assert data["personne"]["structure"] == str(odette.structure)
    assert len(data["demandes d'adhésion"]) == 2
    accepted = next(r for r in data["demandes d'adhésion"] if r["statut"] == "Acceptée")
    assert accepted["groupes de travail souhaités"] == [
        "Alimentation durable et consommation responsable"
    ]
    assert accepted["version de la notice de confidentialité"] == PRIVACY_NOTICE_VERSION
    assert accepted["e-mails du site"][0]["destinataire"] == "o.dauchet@die.fr"
    assert [m["année"] for m in data["adhésions"]] == [2024]
    assert data["groupes de travail"][0]["nom"] == (
        "Alimentation durable et consommation responsable"
    )
    assert len(data["chef·fe·s de file"]) == 1
    assert len(data["intervenant·e·s"]) == 1
    json.dumps(data)  # JSON-ready as it is


def test_export_person_data_says_choices_in_french(odette):
    data = export_person_data(person=odette)

    request = next(r for r in data["demandes d'adhésion"] if r["statut"] == "Acceptée")
    assert request["demandeur"] == "Un particulier"
    assert request["e-mails du site"][0]["type"] in {
        "Notification à la coordination",
        "Accusé de réception au demandeur",
    }
    assert data["adhésions"][0]["statut"] in {"En attente", "Validée", "Annulée"}
    assert "accepted" not in json.dumps(data)


@pytest.mark.ignore_template_errors
def test_export_action_downloads_json(coordinator_client, odette):
    response = coordinator_client.post(
        reverse(PEOPLE), {"action": "export_personal_data", "_selected_action": [odette.pk]}
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="donnees-personnelles-odette-dauchet-' in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["personne"]["prénom"] == "Odette"
    assert "Odette DAUCHET" in response.content.decode()  # UTF-8, not \\u escapes


# --- erase -------------------------------------------------------------------------------------


@pytest.mark.ignore_template_errors
def test_erase_through_the_admin_with_a_confirmation_page(coordinator_client, odette):
    coordinator_client.post(  # the export is logged in the admin's history, with her name
        reverse(PEOPLE), {"action": "export_personal_data", "_selected_action": [odette.pk]}
    )
    assert LogEntry.objects.filter(object_repr__icontains="dauchet").exists()
    response = coordinator_client.post(
        reverse(PEOPLE), {"action": "erase_personal_data", "_selected_action": [odette.pk]}
    )
    confirm_url = response["Location"]
    page = text_of(coordinator_client.get(confirm_url))
    assert "anonymisée" in page
    assert "Supprimé\u00a0: demandes d'adhésion (2)." in page
    assert Person.objects.filter(email="o.dauchet@die.fr").exists()  # nothing done yet

    response = coordinator_client.post(confirm_url, {"confirm": "yes"})

    assert response.status_code == 302
    odette.refresh_from_db()
    assert str(odette) == f"Personne anonymisée n°\u00a0{odette.pk}"  # not « ANONYMISÉE N° »
    assert "dauchet" not in f"{odette.first_name} {odette.last_name}".lower()
    assert odette.anonymised_at is not None
    assert (odette.email, odette.phone, odette.title, odette.structure) == ("", "", "", None)
    # Kept for the figures: the membership's year and fee.
    membership = Membership.objects.get()
    assert (membership.person, membership.year, membership.fee) == (odette, 2024, 30)
    # Deleted: requests (matched by person or e-mail) with their mails, groups, leads, talks.
    assert JoinRequest.objects.count() == 0
    assert OutgoingMail.objects.count() == 0
    assert odette.working_groups.count() == 0
    assert odette.group_leads.count() == 0
    assert odette.talks.count() == 0
    # The admin's history no longer names her.
    assert not LogEntry.objects.filter(object_repr__icontains="dauchet").exists()
    # Where she still appears, she reads well.
    memberships = text_of(coordinator_client.get(reverse("admin:members_membership_changelist")))
    assert f"Personne anonymisée n°\u00a0{odette.pk}" in memberships
    assert "ANONYMISÉE" not in memberships


def test_erase_a_person_without_memberships_deletes_the_record(db):
    person = PersonFactory(email="passant@example.org")
    JoinRequestFactory(email="passant@example.org")

    plan = erase_person(person=person)

    assert plan.anonymise is False
    assert not Person.objects.filter(pk=person.pk).exists()
    assert JoinRequest.objects.count() == 0


def test_erase_needs_the_delete_permission(client, odette):
    from django.contrib.auth.models import Permission

    from tests.factories import UserFactory

    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(*Permission.objects.filter(codename="view_person"))
    client.force_login(viewer)

    response = client.get(reverse("admin:members_person_erase") + f"?ids={odette.pk}")

    assert response.status_code == 403


# --- retention ---------------------------------------------------------------------------------


def _at(year, month, day):
    return datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def requests_of_2024(db):
    with time_machine.travel(_at(2024, 1, 10), tick=False):
        declined = JoinRequestFactory(status="declined", decline_reason="Hors territoire",
                                      handled_at=_at(2024, 1, 15))  # fmt: skip
        OutgoingMailFactory(join_request=declined)
        unhandled = JoinRequestFactory(status="new")
        in_progress = JoinRequestFactory(status="in_progress")
        accepted = JoinRequestFactory(status="accepted", handled_at=_at(2024, 1, 12))
    return declined, unhandled, in_progress, accepted


def test_retention_deletes_declined_after_6_months_and_unanswered_after_12(requests_of_2024):
    declined, _unhandled, in_progress, accepted = requests_of_2024

    with time_machine.travel(_at(2024, 7, 14), tick=False):
        report = apply_retention()
    assert report.counts[DECLINED_DELETED] == 0
    with time_machine.travel(_at(2024, 7, 16), tick=False):
        report = apply_retention()
    assert report.counts[DECLINED_DELETED] == 1
    assert not JoinRequest.objects.filter(pk=declined.pk).exists()
    assert OutgoingMail.objects.count() == 0

    with time_machine.travel(_at(2025, 1, 9), tick=False):
        assert apply_retention().counts[UNHANDLED_DELETED] == 0
    with time_machine.travel(_at(2025, 1, 11), tick=False):
        # « Nouvelle » and « en cours » alike: neither got an answer.
        assert apply_retention().counts[UNHANDLED_DELETED] == 2
        assert apply_retention().counts[UNHANDLED_DELETED] == 0  # safe to run again
    assert set(JoinRequest.objects.values_list("pk", flat=True)) == {accepted.pk}
    assert not JoinRequest.objects.filter(pk=in_progress.pk).exists()


def test_retention_counts_an_unanswered_request_from_its_sending_not_its_taking(db):
    """The privacy page: « supprimée 12 mois après son envoi », even if taken in hand late."""
    with time_machine.travel(_at(2024, 1, 10), tick=False):
        request = JoinRequestFactory(status="new")
    with time_machine.travel(_at(2024, 12, 20), tick=False):
        JoinRequest.objects.filter(pk=request.pk).update(
            status="in_progress", handled_at=_at(2024, 12, 20)
        )

    with time_machine.travel(_at(2025, 1, 11), tick=False):
        assert apply_retention().counts[UNHANDLED_DELETED] == 1

    assert not JoinRequest.objects.filter(pk=request.pk).exists()


def test_retention_periods_are_settings(requests_of_2024, settings):
    settings.RETENTION_DECLINED_MONTHS = 1

    with time_machine.travel(_at(2024, 2, 16), tick=False):
        assert apply_retention().counts[DECLINED_DELETED] == 1


def test_retention_erases_contact_details_of_former_members_after_3_years(db):
    former = PersonFactory(email="ancien@example.org", phone="06 00 00 00 01")
    MembershipFactory(structure=None, person=former, year=2021)
    accepted = JoinRequestFactory(person=former, status="accepted", handled_at=_at(2021, 2, 1))
    recent = PersonFactory(email="recent@example.org", phone="06 00 00 00 02")
    MembershipFactory(structure=None, person=recent, year=2021)
    MembershipFactory(structure=None, person=recent, year=2023)
    lead = PersonFactory(email="lead@example.org")
    MembershipFactory(structure=None, person=lead, year=2020)
    GroupLeadFactory(person=lead)
    never_member = PersonFactory(email="partenaire@example.org")

    with time_machine.travel(_at(2024, 12, 31), tick=False):
        assert apply_retention().people_anonymised == 0  # 2021 + 3 years not over yet
    with time_machine.travel(_at(2025, 1, 2), tick=False):
        report = apply_retention()
        again = apply_retention()

    assert report.people_anonymised == 1
    assert again.people_anonymised == 0
    former.refresh_from_db()
    assert (former.email, former.phone) == ("", "")
    assert former.memberships.count() == 1  # kept for the figures
    assert not JoinRequest.objects.filter(pk=accepted.pk).exists()
    for kept in (recent, lead, never_member):
        kept.refresh_from_db()
        assert kept.email


@pytest.fixture
def people_without_membership(db):
    """Created in May 2020, never members themselves."""
    with time_machine.travel(_at(2020, 5, 4), tick=False):
        group_only = PersonFactory(email="groupe@example.org", phone="06 00 00 00 03")
        accepted = JoinRequestFactory(person=group_only, status="accepted",
                                      handled_at=_at(2021, 3, 1))  # fmt: skip
        by_hand = PersonFactory(email="contact@example.org", structure=None)
        member_structure = StructureFactory(name="Les Compagnons Bâtisseurs")
        MembershipFactory(structure=member_structure, year=2020)
        structure_contact = PersonFactory(email="cb@example.org", structure=member_structure)
        team = PersonFactory(email="equipe@example.org", team_role="consultant")
        public = PersonFactory(email="public@example.org", show_contact_publicly=True)
        lead = PersonFactory(email="lead@example.org")
        GroupLeadFactory(person=lead, group=WorkingGroupFactory(is_active=True))
        former_lead = PersonFactory(email="ancien-lead@example.org")
        GroupLeadFactory(person=former_lead, group=WorkingGroupFactory(is_active=False))
    return {
        "group_only": group_only, "accepted": accepted, "by_hand": by_hand,
        "structure_contact": structure_contact, "member_structure": member_structure,
        "team": team, "public": public, "lead": lead, "former_lead": former_lead,
    }  # fmt: skip


def _emails():
    return set(Person.objects.exclude(email="").values_list("email", flat=True))


def test_retention_erases_contacts_of_people_never_members_after_3_years_inactive(
    people_without_membership,
):
    p = people_without_membership

    with time_machine.travel(_at(2023, 5, 3), tick=False):
        assert apply_retention().people_anonymised == 0
    with time_machine.travel(_at(2023, 5, 5), tick=False):
        # Entered by hand, untouched since: its last change is its last activity; so for the
        # lead of a group that closed.
        assert apply_retention().people_anonymised == 2
    assert "contact@example.org" not in _emails()
    assert "ancien-lead@example.org" not in _emails()
    assert "cb@example.org" in _emails()

    with time_machine.travel(_at(2024, 1, 2), tick=False):
        # The contact of a structure whose last membership year was 2020.
        assert apply_retention().people_anonymised == 1
    assert "cb@example.org" not in _emails()

    with time_machine.travel(_at(2024, 2, 28), tick=False):
        assert apply_retention().people_anonymised == 0
    with time_machine.travel(_at(2024, 3, 2), tick=False):
        # Accepted into a working group on 1 March 2021, nothing since.
        assert apply_retention().people_anonymised == 1
    p["group_only"].refresh_from_db()
    assert (p["group_only"].email, p["group_only"].phone) == ("", "")
    assert p["group_only"].first_name  # the name stays, for the groups' history
    assert not JoinRequest.objects.filter(pk=p["accepted"].pk).exists()

    with time_machine.travel(_at(2030, 1, 1), tick=False):
        apply_retention()
    # Their role needs their contact details, however long ago their last activity.
    assert _emails() == {"equipe@example.org", "public@example.org", "lead@example.org"}


def test_retention_keeps_the_contact_of_a_structure_that_still_adheres(
    people_without_membership,
):
    p = people_without_membership
    MembershipFactory(structure=p["member_structure"], year=2024)

    with time_machine.travel(_at(2027, 12, 30), tick=False):
        apply_retention()
    assert "cb@example.org" in _emails()
    with time_machine.travel(_at(2028, 1, 2), tick=False):
        apply_retention()
    assert "cb@example.org" not in _emails()


def test_retention_counts_a_change_to_a_hand_entered_record_as_activity(
    people_without_membership,
):
    p = people_without_membership
    with time_machine.travel(_at(2022, 9, 1), tick=False):
        p["by_hand"].phone = "06 00 00 00 04"
        p["by_hand"].save()

    with time_machine.travel(_at(2025, 8, 30), tick=False):
        apply_retention()
    assert "contact@example.org" in _emails()
    with time_machine.travel(_at(2025, 9, 2), tick=False):
        apply_retention()
    assert "contact@example.org" not in _emails()


def test_retention_keeps_someone_with_a_membership_this_year(db):
    with time_machine.travel(_at(2019, 1, 1), tick=False):
        person = PersonFactory(email="fidele@example.org")
    MembershipFactory(structure=None, person=person, year=2025, status="pending")

    with time_machine.travel(_at(2025, 12, 31), tick=False):
        assert apply_retention().people_anonymised == 0


def test_retention_command_says_what_it_did(requests_of_2024, capsys):
    with time_machine.travel(_at(2025, 6, 1), tick=False):
        call_command("apply_retention")

    out = capsys.readouterr().out
    assert "Demandes refusées supprimées\u00a0: 1" in out
    assert "Demandes restées sans réponse supprimées\u00a0: 2" in out


# --- the privacy page --------------------------------------------------------------------------


def test_privacy_page_states_the_periods_from_the_settings(client, site_identity, settings):
    settings.RETENTION_DECLINED_MONTHS = 4
    settings.RETENTION_UNHANDLED_MONTHS = 9
    settings.RETENTION_FORMER_MEMBER_YEARS = 2
    settings.NEWSLETTER_UNCONFIRMED_DAYS = 21

    html = text_of(client.get(reverse("members:privacy")))
    words = re.sub(r"<[^>]+>", "", html)

    assert "supprimée 4\u00a0mois après la décision" in words
    assert "supprimée 9\u00a0mois après son envoi" in words
    assert "effacés 2\u00a0ans après sa dernière activité" in words
    # The newsletter's consent links here: its retention is said too.
    assert "jamais confirmé est supprimé 21\u00a0jours après la demande" in words
    for activity in ("fin de sa dernière année d'adhésion ou de celle de sa structure",
                     "l'acceptation de sa dernière demande", "dernière mise à jour de sa fiche",
                     "chef·fe·s de file d'un groupe de travail actif"):  # fmt: skip
        assert activity in words
    assert PRIVACY_NOTICE_VERSION in html
    assert 'href="mailto:contact@ptce-hc.example"' in html
    assert "www.cnil.fr/fr/plaintes" in html
    # Where the host keeps the data is not recorded anywhere: the page promises nothing.
    assert "Union européenne" not in html
    assert "Montigny-en-Gohelle" in html
    for heading in ("Ce que nous recueillons", "Pourquoi, et sur quelle base", "Qui les voit",
                    "Combien de temps", "Vos droits"):  # fmt: skip
        assert heading in html


def test_join_form_notice_states_the_unhandled_period(client, site_identity, settings):
    settings.RETENTION_UNHANDLED_MONTHS = 7

    html = text_of(client.get(reverse("joining:join")))

    assert "au plus tard 7\u00a0mois après" in html


# --- the Person admin ------------------------------------------------------------------------


@pytest.mark.ignore_template_errors
def test_person_admin_offers_the_personal_data_actions(coordinator_client):
    person = PersonFactory()
    response = coordinator_client.get(reverse(PEOPLE))
    actions = [value for value, _ in response.context["action_form"].fields["action"].choices]
    assert "export_personal_data" in actions and "erase_personal_data" in actions
    change = coordinator_client.get(reverse("admin:members_person_change", args=[person.pk]))
    assert "Exporter ses données personnelles" in change.text


@pytest.mark.ignore_template_errors
@pytest.mark.parametrize("size", [2, 8])
def test_person_list_up_to_date_filter_and_query_count(
    coordinator_client, django_assert_num_queries, size
):
    with time_machine.travel(NOW, tick=False):
        for _ in range(size):
            MembershipFactory(structure=None, person=PersonFactory(), year=2025)
            MembershipFactory(structure=None, person=PersonFactory(), year=2024)
        coordinator_client.get(reverse(PEOPLE))

        # session, user, perms (2), counts (2), page, site identity
        with django_assert_num_queries(8):
            response = coordinator_client.get(reverse(PEOPLE), {"membre": "oui"})

    assert response.context["cl"].result_count == size
