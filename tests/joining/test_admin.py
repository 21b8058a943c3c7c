import datetime

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.urls import reverse

from joining.models import JoinRequest
from joining.services import accept_join_request, find_matches
from members.models import Membership, Person, Structure
from members.services.names import normalize_name
from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import (
    JoinRequestFactory,
    MembershipFactory,
    OutgoingMailFactory,
    PersonFactory,
    StructureFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

CHANGELIST = "admin:joining_joinrequest_changelist"
NOW = datetime.datetime(2025, 10, 7, 14, 0, tzinfo=datetime.UTC)


def _change_url(join_request):
    return reverse("admin:joining_joinrequest_change", args=[join_request.pk])


def _run_action(client, action, *objects, url=CHANGELIST):
    return client.post(
        reverse(url),
        {"action": action, "_selected_action": [obj.pk for obj in objects]},
    )


# --- names and matches -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Batisseurs", "Bâtisseurs"),
        ("Compagnons-Bâtisseurs", "compagnons batisseurs"),
        ("Les Compagnons Bâtisseurs", "Compagnons-Bâtisseurs"),
        ("L'Atelier du Cœur", "atelier du coeur"),
        ("  APEI   Hénin-Carvin ", "apei henin carvin"),
    ],
)
def test_normalize_name_ignores_case_accents_punctuation_and_articles(a, b):
    assert normalize_name(a) == normalize_name(b)


def test_normalize_name_keeps_different_names_apart():
    assert normalize_name("ADDS") != normalize_name("APEI")
    assert normalize_name("Les") == "les"  # a name that is only an article stays itself


def test_find_matches_by_email_in_any_case_then_by_name(db):
    by_email = PersonFactory(first_name="Serge", last_name="Roussel", email="s.roussel@cb.eu")
    by_name = PersonFactory(first_name="Sérge", last_name="ROUSSEL", email="autre@example.org")
    PersonFactory(first_name="Serge", last_name="Rousseau")
    join_request = JoinRequestFactory(
        first_name="Serge", last_name="Roussel", email="S.Roussel@CB.eu"
    )

    matches = find_matches(join_request=join_request)

    assert matches.people == [by_email, by_name]


def test_find_matches_structures_by_name_or_acronym(db):
    compagnons = StructureFactory(name="Les Compagnons Bâtisseurs", slug="cb")
    apei = StructureFactory(name="Association de parents", acronym="APEI", slug="apei")
    StructureFactory(name="Compagnons du devoir", slug="cdd")

    assert find_matches(
        join_request=JoinRequestFactory(
            applicant_kind="structure", structure_name="compagnons-batisseurs"
        )
    ).structures == [compagnons]
    assert find_matches(
        join_request=JoinRequestFactory(applicant_kind="structure", structure_name="A.P.E.I.")
    ).structures == [apei]


# --- the list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [3, 12])
def test_changelist_query_count_does_not_grow(coordinator_client, django_assert_num_queries, size):
    for _ in range(size):
        OutgoingMailFactory(join_request=JoinRequestFactory(handled_by=None))
    coordinator_client.get(reverse(CHANGELIST))  # warm the session and content types

    # session, user, perms (2), filter choices (groups, users), counts (2), page, mails,
    # site identity: the same at both sizes, and no date hierarchy (a pass over every request).
    with django_assert_num_queries(11):
        response = coordinator_client.get(reverse(CHANGELIST))

    assert response.status_code == 200
    assert text_of(response).count("En attente d'envoi") >= size


def test_changelist_shows_each_request_with_its_own_mails(coordinator_client):
    odette = JoinRequestFactory(first_name="Odette", last_name="Dauchet")
    OutgoingMailFactory(join_request=odette, status=OutgoingMail.Status.FAILED, attempts=5)
    JoinRequestFactory(first_name="Brigitte", last_name="Monseu")

    html = coordinator_client.get(reverse(CHANGELIST)).text
    rows = {
        name: next(row for row in html.split("<tr")[1:] if name in row)
        for name in ("DAUCHET", "MONSEU")
    }

    assert "Échec" in rows["DAUCHET"]
    assert "Échec" not in rows["MONSEU"] and "—" in rows["MONSEU"]


def test_changelist_search_and_status_filter(coordinator_client):
    JoinRequestFactory(first_name="Odette", last_name="Dauchet", status="new")
    JoinRequestFactory(
        first_name="Brigitte",
        last_name="Monseu",
        status="declined",
        handled_at=NOW,
        decline_reason="Hors territoire",
    )

    found = text_of(coordinator_client.get(reverse(CHANGELIST), {"q": "dauchet"}))
    declined = text_of(coordinator_client.get(reverse(CHANGELIST), {"status__exact": "declined"}))

    assert "Odette DAUCHET" in found and "MONSEU" not in found
    assert "Brigitte MONSEU" in declined and "DAUCHET" not in declined


def test_change_page_shows_consent_and_each_mail_state(coordinator_client):
    join_request = JoinRequestFactory()
    OutgoingMailFactory(
        join_request=join_request,
        status=OutgoingMail.Status.FAILED,
        attempts=5,
        last_error="ConnectionRefusedError: [Errno 111] Connection refused",
    )

    html = text_of(coordinator_client.get(_change_url(join_request)))

    assert "Échec" in html
    assert "ConnectionRefusedError" in html
    assert join_request.privacy_notice_version in html
    assert "Accepter…" in html and "Refuser…" in html  # actions on the request's page


def test_no_one_adds_a_request_by_hand(coordinator_client):
    response = coordinator_client.get(reverse("admin:joining_joinrequest_add"))
    assert response.status_code == 403


def test_coordinator_role_holds_the_new_permissions(coordinator):
    assert coordinator.has_perms(
        [
            "joining.view_joinrequest",
            "joining.change_joinrequest",
            "joining.delete_joinrequest",
            "outbox.view_outgoingmail",
            "outbox.change_outgoingmail",
            "members.import_membership",
            "members.export_membership",
        ]
    )
    assert not coordinator.has_perm("members.add_joinrequest")
    assert not coordinator.has_perm("members.change_outgoingmail")
    assert Permission.objects.filter(codename="import_membership").exists()


# --- taking, accepting, declining --------------------------------------------------------------


def test_take_marks_in_progress_with_who_and_when(coordinator_client, coordinator):
    join_request = JoinRequestFactory()

    with time_machine.travel(NOW, tick=False):
        _run_action(coordinator_client, "take", join_request)

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.IN_PROGRESS
    assert join_request.handled_by == coordinator
    assert join_request.handled_at == NOW


def test_accept_a_new_person_end_to_end(coordinator_client, coordinator):
    group = WorkingGroupFactory(name="Transition énergétique et économie circulaire")
    join_request = JoinRequestFactory(
        first_name="Louise",
        last_name="Lefebvre",
        email="louise@example.org",
        phone="06 12 34 56 78",
        wants_membership=True,
        wants_groups=True,
    )
    join_request.groups.add(group)

    response = _run_action(coordinator_client, "accept", join_request)
    accept_url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])
    assert response["Location"] == accept_url
    page = text_of(coordinator_client.get(accept_url))
    assert "Aucune fiche existante ne lui ressemble." in page
    assert "Transition énergétique et économie circulaire" in page

    with time_machine.travel(NOW, tick=False):
        response = coordinator_client.post(accept_url, {"person_choice": "new"})

    assert response.status_code == 302
    join_request.refresh_from_db()
    person = Person.objects.get(email="louise@example.org")
    assert join_request.status == JoinRequest.Status.ACCEPTED
    assert join_request.handled_by == coordinator
    assert join_request.handled_at == NOW
    assert join_request.person == person
    assert person.phone == "06 12 34 56 78"
    assert list(group.participant_people.all()) == [person]
    membership = Membership.objects.get(person=person)
    assert (membership.year, membership.status) == (2025, Membership.Status.PENDING)
    assert LogEntry.objects.filter(object_id=str(join_request.pk)).exists()


def test_accept_a_structure_shows_lookalikes_and_links_the_chosen_one(coordinator_client):
    existing = StructureFactory(name="Les Compagnons Bâtisseurs", slug="compagnons")
    namesake = PersonFactory(first_name="Serge", last_name="Roussel", email="", structure=None)
    group = WorkingGroupFactory()
    join_request = JoinRequestFactory(
        applicant_kind="structure",
        structure_name="Compagnons-Batisseurs",
        structure_kind="association",
        first_name="Serge",
        last_name="ROUSSEL",
        email="s.roussel@example.org",
        wants_membership=True,
    )
    join_request.groups.add(group)
    accept_url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])

    page = text_of(coordinator_client.get(accept_url))
    assert "Lier à la structure existante\u00a0: Les Compagnons Bâtisseurs" in page
    assert "Lier à la personne existante\u00a0: Serge ROUSSEL" in page

    # Nothing is chosen for the coordinator when look-alikes exist.
    response = coordinator_client.post(accept_url, {})
    assert response.status_code == 200
    assert "choisissez laquelle lier" in text_of(response)
    assert JoinRequest.objects.get().status == JoinRequest.Status.NEW

    response = coordinator_client.post(
        accept_url, {"person_choice": str(namesake.pk), "structure_choice": str(existing.pk)}
    )

    assert response.status_code == 302
    assert Structure.objects.count() == 1
    assert Person.objects.count() == 1
    namesake.refresh_from_db()
    assert namesake.email == "s.roussel@example.org"  # filled, since it was empty
    assert namesake.structure == existing
    assert list(group.participant_structures.all()) == [existing]
    assert list(group.participant_people.all()) == [namesake]
    assert Membership.objects.get().structure == existing


def test_accept_creates_a_new_structure_with_a_free_slug(coordinator_client):
    StructureFactory(name="Autre chose", slug="solidhair")
    join_request = JoinRequestFactory(
        applicant_kind="structure",
        structure_name="Solid'hair",
        structure_kind="company",
        town="Hénin-Beaumont",
    )

    coordinator_client.post(
        reverse("admin:joining_joinrequest_accept", args=[join_request.pk]),
        {"person_choice": "new", "structure_choice": "new"},
    )

    structure = Structure.objects.get(name="Solid'hair")
    assert structure.slug == "solidhair-2"
    assert structure.kind == Structure.Kind.COMPANY
    assert structure.town == "Hénin-Beaumont"
    assert Person.objects.get().structure == structure


def test_accept_refuses_a_duplicate_email_even_when_asked(coordinator_client):
    PersonFactory(email="louise@example.org", first_name="Autre", last_name="Nom")
    join_request = JoinRequestFactory(email="Louise@Example.org")

    response = coordinator_client.post(
        reverse("admin:joining_joinrequest_accept", args=[join_request.pk]),
        {"person_choice": "new"},
    )

    assert "existe déjà\u00a0: liez-la plutôt" in text_of(response)
    assert Person.objects.count() == 1
    assert JoinRequest.objects.get().status == JoinRequest.Status.NEW


def test_service_never_creates_a_silent_duplicate(db, coordinator):
    PersonFactory(first_name="Louise", last_name="Lefèbvre", email="")
    join_request = JoinRequestFactory(first_name="louise", last_name="LEFEBVRE")

    with pytest.raises(ValidationError, match="ressemblent au demandeur"):
        accept_join_request(join_request=join_request, handled_by=coordinator)

    assert Person.objects.count() == 1


def test_an_accepted_request_cannot_be_accepted_again(db, coordinator):
    join_request = JoinRequestFactory()
    accept_join_request(join_request=join_request, handled_by=coordinator)

    with pytest.raises(ValidationError, match="déjà été traitée"):
        accept_join_request(join_request=join_request, handled_by=coordinator)
    assert Membership.objects.count() == 1


def test_an_existing_membership_of_the_year_is_kept(db, coordinator):
    person = PersonFactory(email="louise@example.org")
    MembershipFactory(structure=None, person=person, year=2025, status="active")
    join_request = JoinRequestFactory(email="louise@example.org", wants_membership=True)

    with time_machine.travel(NOW, tick=False):
        accept_join_request(join_request=join_request, handled_by=coordinator, person=person)

    assert Membership.objects.get().status == Membership.Status.ACTIVE


def test_the_membership_notes_say_in_french_when_the_request_came(db, coordinator):
    # 23 h 30 in London on 7 October is 1 h 30 in Paris on the 8th: the local day counts.
    arrived = datetime.datetime(2025, 10, 7, 23, 30, tzinfo=datetime.UTC)
    join_request = JoinRequestFactory(wants_membership=True, created_at=arrived)

    with time_machine.travel(NOW, tick=False):
        accept_join_request(join_request=join_request, handled_by=coordinator)

    assert Membership.objects.get().notes == "Demande d'adhésion reçue le 8\u00a0octobre 2025."


def test_accepting_several_at_once_is_refused_politely(coordinator_client):
    first, second = JoinRequestFactory(), JoinRequestFactory()

    response = _run_action(coordinator_client, "accept", first, second)

    assert response.status_code == 302
    page = text_of(coordinator_client.get(response["Location"]))
    assert "Acceptez les demandes une par une" in page


def test_a_handled_request_is_not_offered_for_acceptance(coordinator_client):
    join_request = JoinRequestFactory(
        status="declined", handled_at=NOW, decline_reason="Hors territoire"
    )

    response = coordinator_client.get(
        reverse("admin:joining_joinrequest_accept", args=[join_request.pk])
    )

    assert response.status_code == 302
    assert response["Location"] == _change_url(join_request)


def test_deleting_a_request_leaves_no_name_in_the_history(coordinator_client):
    join_request = JoinRequestFactory(first_name="Brigitte", last_name="Monseu")
    OutgoingMailFactory(join_request=join_request)

    response = coordinator_client.post(
        reverse("admin:joining_joinrequest_delete", args=[join_request.pk]), {"post": "yes"}
    )

    assert response.status_code == 302
    assert not JoinRequest.objects.exists()
    assert not OutgoingMail.objects.exists()
    assert LogEntry.objects.filter(object_id=str(join_request.pk)).exists()
    assert not LogEntry.objects.filter(object_repr__icontains="monseu").exists()


@pytest.mark.ignore_template_errors
def test_accept_page_and_request_page_enumerate_wishes_and_quoted_groups(coordinator_client):
    join_request = JoinRequestFactory(wants_membership=True, wants_groups=True)
    join_request.groups.add(
        WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive", order=1),
        WorkingGroupFactory(name="Alimentation durable", order=2),
    )
    groups = (
        "«\u00a0Mobilité sociale, solidaire et inclusive\u00a0» et "
        "«\u00a0Alimentation durable\u00a0»"
    )

    accept = text_of(
        coordinator_client.get(reverse("admin:joining_joinrequest_accept", args=[join_request.pk]))
    )
    change = text_of(coordinator_client.get(_change_url(join_request)))

    assert (
        "souhaite devenir membre de l'association et participer à des groupes de travail."
        in accept
    )
    assert f"Ajout aux groupes de travail\u00a0: {groups}." in accept
    assert groups in change


@pytest.mark.parametrize(
    ("typed", "tidy"),
    [
        ("serge", "Serge"),
        ("JEAN-MICHEL", "Jean-Michel"),
        ("  marie   claire ", "Marie Claire"),
        ("élodie", "Élodie"),
    ],
)
def test_tidy_first_name_capitalises_each_part(typed, tidy):
    from members.services.names import tidy_first_name

    assert tidy_first_name(typed) == tidy


@pytest.mark.ignore_template_errors
def test_accept_tidies_the_names_of_a_new_person_and_says_so_first(coordinator_client):
    join_request = JoinRequestFactory(
        first_name="serge", last_name=" roussel ", email="s.roussel@example.org"
    )
    accept_url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])

    page = text_of(coordinator_client.get(accept_url))
    coordinator_client.post(accept_url, {"person_choice": "new"})

    new = "Créer une nouvelle personne\u00a0: Serge ROUSSEL"
    assert f"{new} (saisi\u00a0: «\u00a0serge roussel\u00a0»)" in page
    person = Person.objects.get(email="s.roussel@example.org")
    assert (person.first_name, person.last_name, person.full_name) == (
        "Serge",
        "roussel",
        "Serge ROUSSEL",
    )


@pytest.mark.ignore_template_errors
def test_accept_page_says_nothing_more_when_the_names_were_typed_well(coordinator_client):
    join_request = JoinRequestFactory(first_name="Louise", last_name="Lefebvre")
    accept_url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])

    page = text_of(coordinator_client.get(accept_url))

    assert "Créer une nouvelle personne\u00a0: Louise LEFEBVRE</label>" in page.replace("\n", "")
