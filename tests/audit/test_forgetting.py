"""The trail forgets whom it must: erasing a person scrubs their records' past versions and
their name as author while keeping that a change happened; retention scrubs an inactive
person's contact details and purges entries past AUDIT_RETENTION_YEARS; a person's data export
includes what the trail holds about them."""

import datetime
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from audit.context import audit_context
from audit.models import AuditEntry, Origin
from groups.services.leads import give_lead_account
from members.models import Person
from members.services.names import fold
from members.services.personal_data import erase_person, export_person_data
from members.services.retention import apply_retention
from tests.conftest import sign_in_to_space, text_of
from tests.factories import (
    GroupContactFactory,
    GroupLeadFactory,
    MembershipFactory,
    PersonFactory,
    WorkingGroupFactory,
)

SITE = "https://portail.example.org"


def trail_text() -> str:
    """Everything the trail holds, as one folded text (no accent nor case can hide a name)."""
    rows = AuditEntry.objects.values_list(
        "object_repr", "actor_label", "actor_email", "changes", "serialized_data", "changes_text"
    )
    return fold(json.dumps(list(rows), ensure_ascii=False, default=str))


@pytest.fixture
def zoe(db):
    """Someone with a history: created by the join form, a membership (kept on erasure), a
    change in « Mon espace », a lead with a back-office account who changed a meeting."""
    with audit_context(origin=Origin.PUBLIC_FORM, actor_label="visiteur Zoé Secretnom"):
        person = PersonFactory(
            first_name="Zoé", last_name="Secretnom", email="zoe.secret@example.org", phone=""
        )
    MembershipFactory(structure=None, person=person, year=2025)
    lead = GroupLeadFactory(person=person)
    account = give_lead_account(lead=lead, site_url=SITE)
    with audit_context(origin=Origin.ADMIN, actor=account):
        lead.group.description = "Décrit par la cheffe de file"
        lead.group.save()
    return person


def test_erasure_scrubs_the_person_from_the_trail_and_keeps_that_changes_happened(zoe, client):
    sign_in_to_space(client, zoe)
    client.post(
        reverse("space:details"),
        {"first_name": "Zoé", "last_name": "Secretnom", "title": "", "phone": "0611223344"},
    )
    assert "secretnom" in trail_text() and "0611223344" in trail_text()
    before = AuditEntry.objects.count()
    pk = zoe.pk

    erase_person(person=zoe)

    text = trail_text()
    for secret in ("secretnom", "zoe.secret", "0611223344"):
        assert secret not in text
    # Nothing deleted: each change is still there, with its date, origin and fields.
    assert AuditEntry.objects.count() > before
    own = AuditEntry.objects.filter(content_type__model="person", object_pk=str(pk))
    origins = set(own.values_list("origin", flat=True))
    assert {Origin.PUBLIC_FORM, Origin.SPACE} <= origins
    space_change = own.filter(origin=Origin.SPACE).get()
    assert set(space_change.changes) == {"phone"}
    assert space_change.changes["phone"] == ["effacé", "effacé"]
    # The lead's change to the group: its author is the account's number, not the name.
    group_change = AuditEntry.objects.filter(
        content_type__model="workinggroup", action=AuditEntry.Action.UPDATE
    ).get()
    assert group_change.actor_id is not None
    assert group_change.actor_label.startswith("compte-efface-")
    assert group_change.changes["description"][1] == "Décrit par la cheffe de file"


def test_erasure_through_the_admin_reaches_the_trail(coordinator_client, zoe):
    response = coordinator_client.post(
        reverse("admin:members_person_changelist"),
        {"action": "erase_personal_data", "_selected_action": [zoe.pk]},
    )
    assert coordinator_client.post(response["Location"], {"confirm": "yes"}).status_code == 302
    assert "secretnom" not in trail_text()
    coordinator_client.get(reverse("admin:index"))  # the erasure's message, which names her
    listing = text_of(coordinator_client.get(reverse("admin:audit_auditentry_changelist")))
    assert "Secretnom" not in listing and "SECRETNOM" not in listing


def test_a_foreign_key_to_an_erased_person_is_named_as_the_anonymised_record(
    coordinator_client, zoe
):
    # Her membership (kept for the figures) points to her: the trail names her as the admin
    # does, and after the erasure as the anonymised record, never by her old name.
    membership = AuditEntry.objects.filter(content_type__model="membership").latest("pk")
    url = reverse("admin:audit_auditentry_change", args=[membership.pk])
    assert "<td>Personne</td><td></td><td>Zoé SECRETNOM</td>" in text_of(
        coordinator_client.get(url)
    )

    erase_person(person=zoe)

    detail = text_of(coordinator_client.get(url))
    assert f"<td>Personne</td><td></td><td>Personne anonymisée n°\u00a0{zoe.pk}</td>" in detail
    listing = text_of(coordinator_client.get(reverse("admin:audit_auditentry_changelist")))
    for page in (detail, listing):
        assert "secretnom" not in fold(page)


def test_the_data_export_includes_what_the_trail_holds_about_the_person(zoe):
    data = export_person_data(person=zoe)
    rows = data["journal d'audit"]
    own = [row for row in rows if row["enregistrement"].startswith("personne")]
    assert own[0]["action"] == "création"
    assert own[0]["origine"] == "formulaire public"
    assert {"champ": "E-mail", "avant": "", "après": "zoe.secret@example.org"} in own[0][
        "modifications"
    ]
    made = [row for row in rows if row["enregistrement"].startswith("groupe de travail")]
    assert made and made[0]["origine"] == "back-office"
    json.dumps(data)  # the export is JSON


def _at(year, month, day):
    return datetime.datetime(year, month, day, 12, tzinfo=datetime.UTC)


def test_retention_scrubs_an_inactive_person_s_contact_details_from_the_trail(db):
    with time_machine.travel(_at(2021, 3, 1), tick=False):
        former = PersonFactory(email="ancien.membre@example.org", phone="0600000001")
        MembershipFactory(structure=None, person=former, year=2021)
    with time_machine.travel(_at(2025, 1, 2), tick=False):
        assert apply_retention().people_anonymised == 1
    text = trail_text()
    assert "ancien.membre" not in text and "0600000001" not in text
    former.refresh_from_db()
    last = AuditEntry.objects.filter(
        content_type__model="person", object_pk=str(former.pk)
    ).latest("pk")
    assert last.changes["email"] == ["effacé", ""]
    assert Person.objects.filter(pk=former.pk, last_name=former.last_name).exists()


def test_the_trail_is_purged_after_its_retention_period(db, settings):
    settings.AUDIT_RETENTION_YEARS = 6
    with time_machine.travel(_at(2019, 1, 1), tick=False):
        old = PersonFactory(last_name="Ancienne")
    with time_machine.travel(_at(2024, 6, 1), tick=False):
        PersonFactory(last_name="Recente")
    with time_machine.travel(_at(2025, 6, 1), tick=False):
        out = io.StringIO()
        call_command("purge_audit_trail", stdout=out)
    assert not AuditEntry.objects.filter(
        object_pk=str(old.pk), content_type__model="person"
    ).exists()
    assert AuditEntry.objects.filter(object_repr__icontains="RECENTE").exists()
    assert "supprimée" in out.getvalue()


def test_erasure_scrubs_the_history_of_the_group_contact_lines_that_were_theirs(db):
    """A line linked to the person is deleted, a line typed with their name and work address
    loses them: the lines' past versions in the trail go too (their phone, that address)."""
    zoe = PersonFactory(
        first_name="Zoé", last_name="Secretnom", email="zoe@example.org", phone="06 11 22 33 44"
    )
    group = WorkingGroupFactory(is_active=False)
    typed = GroupContactFactory(
        group=group, label="Zoé SECRETNOM (APEI)", email="z.secretnom@apei.fr", phone="0321000000"
    )
    GroupContactFactory(group=group, person=zoe, label="", phone="0611223344")

    erase_person(person=zoe)

    text = trail_text()
    for secret in ("secretnom", "0611223344", "06 11 22 33 44"):
        assert secret not in text
    # The line typed by hand stays with the switchboard, and its history says it changed.
    typed.refresh_from_db()
    assert typed.phone == "0321000000" and typed.email == ""
    last = AuditEntry.objects.filter(
        content_type__model="groupcontact", object_pk=str(typed.pk)
    ).latest("pk")
    assert set(last.changes) == {"label", "email"}


def test_erasure_finds_a_name_made_of_short_words_in_the_trail(db):
    """The database looks for each word of three letters or more: « An Vu » has none."""
    with audit_context(origin=Origin.PUBLIC_FORM, actor_label="visiteur An Vu"):
        person = PersonFactory(first_name="An", last_name="Vu", email="", phone="")
    group = WorkingGroupFactory()
    group.participant_people.add(person)
    group.participant_people.remove(person)

    erase_person(person=person)

    assert "an vu" not in trail_text()
