"""Erasure and retention reach every copy of a person's name and address: a group's contact
lines, the site's other mails, the admin's history of any object."""

import datetime

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.urls import reverse

from groups.models import GroupContact, WorkingGroup
from members.models import Person
from members.services.personal_data import erase_person, export_person_data
from members.services.retention import apply_retention
from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import (
    GroupContactFactory,
    JoinRequestFactory,
    MembershipFactory,
    OutgoingMailFactory,
    PersonFactory,
    StructureFactory,
    WorkingGroupFactory,
)


def _at(year, month, day):
    return datetime.datetime(year, month, day, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def zoe(db):
    """A person named in a group's contact lines, typed by hand."""
    person = PersonFactory(first_name="Zoé", last_name="Secretnom", email="zoe@exemple.org",
                           phone="06 12 34 56 78", structure=None)  # fmt: skip
    group = WorkingGroupFactory(name="Mobilité", slug="mobilite")
    GroupContactFactory(group=group, label="Zoé SECRETNOM", phone="", email="ZOE@exemple.org")
    GroupContactFactory(group=group, label="Secrétariat APEI", phone="03 21 00 00 00",
                        email="zoe@exemple.org")  # fmt: skip
    GroupContactFactory(group=group, label="APEI Hénin-Carvin", phone="", email="siege@apei.fr")
    return person


def _group_page(client) -> str:
    return text_of(client.get(reverse("groups:group_detail", kwargs={"slug": "mobilite"})))


def test_erasure_removes_the_person_from_the_group_contact_lines(client, zoe):
    assert "SECRETNOM" in _group_page(client) and "zoe@exemple.org" in _group_page(client)

    erase_person(person=zoe)

    page = _group_page(client)
    assert "SECRETNOM" not in page.upper() and "zoe@" not in page.lower()
    # What belongs to the structure stays: its switchboard and its address.
    assert "siege@apei.fr" in page and "03\u00a021\u00a000\u00a000\u00a000" in page
    assert GroupContact.objects.count() == 2


def test_erasure_removes_a_contact_line_linked_to_the_person(client, zoe):
    group = WorkingGroup.objects.get()
    GroupContactFactory(group=group, person=zoe, label="Coordination", phone="06 99 99 99 99")
    MembershipFactory(structure=None, person=zoe, year=2024)  # so she is anonymised, not deleted

    erase_person(person=zoe)

    assert not GroupContact.objects.filter(person=zoe).exists()
    assert "06\u00a099" not in _group_page(client)


def test_export_lists_the_contact_lines_and_mails_naming_the_person(zoe):
    other = JoinRequestFactory(email="autre@example.org")
    OutgoingMailFactory(join_request=other, recipient="zoe@exemple.org",
                        subject="Nouvelle demande")  # fmt: skip
    OutgoingMailFactory(join_request=other, kind="notification", recipient="coord@ptce.fr",
                        body_text="Zoé Secretnom vous a recommandé.")  # fmt: skip

    data = export_person_data(person=zoe)

    lines = data["contacts du groupe"]
    assert {line["libellé"] for line in lines} == {"Zoé SECRETNOM", "Secrétariat APEI"}
    mails = data["autres e-mails du site la concernant"]
    assert {mail["destinataire"] for mail in mails} == {"zoe@exemple.org", "coord@ptce.fr"}

    erase_person(person=zoe)

    assert not OutgoingMail.objects.filter(recipient="zoe@exemple.org").exists()
    assert not OutgoingMail.objects.filter(body_text__contains="Secretnom").exists()


def _history_naming(*needles) -> list[str]:
    found = []
    for entry in LogEntry.objects.all():
        text = f"{entry.object_repr} {entry.change_message} {entry.get_change_message()}"
        found += [text for needle in needles if needle.lower() in text.lower()]
    return found


@pytest.mark.ignore_template_errors
def test_erasure_scrubs_the_name_from_the_history_of_related_objects(coordinator_client, db):
    structure = StructureFactory(name="APEI Hénin-Carvin", slug="apei")
    change = reverse("admin:members_structure_change", args=[structure.pk])
    form = {
        "name": structure.name, "acronym": "", "slug": "apei", "kind": "association",
        "address": "", "town": "", "website": "", "email": "", "phone": "", "description": "",
        "people-TOTAL_FORMS": "1", "people-INITIAL_FORMS": "0",
        "people-0-first_name": "Zoé", "people-0-last_name": "Secretnom",
        "people-0-email": "zoe@exemple.org", "people-0-title": "", "people-0-phone": "",
        "memberships-TOTAL_FORMS": "1", "memberships-INITIAL_FORMS": "0",
        "memberships-0-year": "2025", "memberships-0-status": "active", "memberships-0-fee": "",
        "memberships-0-paid_on": "", "memberships-0-payment_method": "", "memberships-0-notes": "",
    }  # fmt: skip
    response = coordinator_client.post(change, form)
    assert response.status_code == 302, response.context["errors"]
    zoe = Person.objects.get(email="zoe@exemple.org")
    response = coordinator_client.post(
        reverse("admin:members_membership_add"),
        {"year": "2025", "person": zoe.pk, "status": "pending", "fee": "", "paid_on": "",
         "payment_method": "", "notes": ""},
    )  # fmt: skip
    assert response.status_code == 302
    assert _history_naming("SECRETNOM")  # « ajouté : personne Zoé SECRETNOM », « Adhésion … »

    erase_person(person=zoe)

    assert _history_naming("Secretnom", "zoe@exemple.org") == []
    membership = LogEntry.objects.get(content_type__model="membership")
    assert membership.object_repr == f"Adhésion 2025 — Personne anonymisée n°\u00a0{zoe.pk}"
    structure_entry = LogEntry.objects.get(content_type__model="structure")
    assert "Personne anonymisée" in structure_entry.get_change_message()


def test_retention_scrubs_the_contact_lines_of_an_inactive_person(client, zoe):
    zoe.updated_at = _at(2020, 1, 1)
    Person.objects.filter(pk=zoe.pk).update(updated_at=_at(2020, 1, 1))

    with time_machine.travel(_at(2025, 1, 2), tick=False):
        assert apply_retention().people_anonymised == 1

    page = _group_page(client)
    assert "zoe@" not in page.lower()
    assert "siege@apei.fr" in page
    assert not GroupContact.objects.filter(email__iexact="zoe@exemple.org").exists()


def test_retention_keeps_the_person_a_contact_line_of_an_active_group_is_linked_to(client, zoe):
    GroupContactFactory(group=WorkingGroup.objects.get(), person=zoe, email="zoe@exemple.org")
    Person.objects.filter(pk=zoe.pk).update(updated_at=_at(2020, 1, 1))

    with time_machine.travel(_at(2025, 1, 2), tick=False):
        assert apply_retention().people_anonymised == 0

    assert "zoe@exemple.org" in _group_page(client)


@pytest.mark.ignore_template_errors
def test_the_confirmation_page_names_the_contact_lines(coordinator_client, zoe):
    page = text_of(
        coordinator_client.get(reverse("admin:members_person_erase") + f"?ids={zoe.pk}")
    )

    assert "contacts du groupe (2)" in page


@pytest.mark.ignore_template_errors
def test_erasure_removes_a_line_found_by_name_with_its_address_and_its_history(
    client, coordinator_client, db
):
    """A line « Zoe SECRETNOM (APEI) · z.secretnom@apei.fr » typed in the admin: found by her
    name (spelled otherwise than in the file), its address is hers too."""
    zoe = PersonFactory(first_name="Zoé", last_name="Secretnom", email="zoe2@perso.fr",
                        phone="", structure=None)  # fmt: skip
    response = coordinator_client.post(
        reverse("admin:groups_workinggroup_add"),
        {"name": "Mobilité", "slug": "mobilite", "order": "0", "is_active": "on",
         "accent_color": "#1F5C8C", "short_description": "", "description": "",
         "leads-TOTAL_FORMS": "0", "leads-INITIAL_FORMS": "0",
         "meetings-TOTAL_FORMS": "0", "meetings-INITIAL_FORMS": "0",
         "contacts-TOTAL_FORMS": "1", "contacts-INITIAL_FORMS": "0",
         "contacts-0-label": "Zoe SECRETNOM (APEI)", "contacts-0-phone": "",
         "contacts-0-email": "z.secretnom@apei.fr", "contacts-0-person": "",
         "contacts-0-order": "0"},
    )  # fmt: skip
    assert response.status_code == 302, response.context["errors"]
    assert "z.secretnom@apei.fr" in _group_page(client)
    assert _history_naming("secretnom")

    erase_person(person=zoe)

    page = _group_page(client).lower()
    assert "secretnom" not in page and "apei.fr" not in page
    assert not GroupContact.objects.exists()
    assert _history_naming("secretnom", "z.secretnom@apei.fr") == []
