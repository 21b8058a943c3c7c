"""The trail is append-only for everyone, the superuser included: the admin offers no add,
change nor delete, and the database refuses UPDATE and DELETE from the ORM. It is read field
by field and exported for an auditor, formulas defused."""

import csv
import io

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from audit.context import audit_context
from audit.models import AuditEntry, Origin
from audit.services import scrub_permit
from tests.conftest import text_of
from tests.factories import PersonFactory


@pytest.fixture
def entry(db):
    person = PersonFactory(first_name="Zoé", last_name="Secretnom", title="")
    person.title = "Présidente"
    person.save()
    return AuditEntry.objects.filter(action=AuditEntry.Action.UPDATE).latest("pk")


@pytest.mark.parametrize(
    "write",
    [
        lambda e: AuditEntry.objects.filter(pk=e.pk).update(object_repr="falsifié"),
        lambda e: AuditEntry.objects.filter(pk=e.pk).delete(),
        lambda e: e.delete(),
        lambda e: (setattr(e, "actor_label", "quelqu'un d'autre"), e.save()),
    ],
    ids=["queryset update", "queryset delete", "instance delete", "instance save"],
)
def test_the_database_refuses_to_change_or_delete_an_entry(entry, write):
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        write(entry)
    entry.refresh_from_db()
    assert entry.object_repr == "Zoé SECRETNOM"
    assert entry.changes == {"title": ["", "Présidente"]}


def test_a_scrub_permit_lets_the_scrub_through_and_leaves_no_permit(entry):
    with scrub_permit("test"):
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="Données effacées")
    entry.refresh_from_db()
    assert entry.object_repr == "Données effacées"
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(object_repr="encore")


def test_the_superuser_can_only_read(superuser_client, entry):
    change = reverse("admin:audit_auditentry_change", args=[entry.pk])
    page = superuser_client.get(change)
    assert page.status_code == 200
    assert "Présidente" in text_of(page)
    assert 'name="_save"' not in text_of(page)
    assert superuser_client.post(change, {"object_repr": "x"}).status_code == 403
    assert superuser_client.get(reverse("admin:audit_auditentry_add")).status_code == 403
    delete = reverse("admin:audit_auditentry_delete", args=[entry.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    listing = superuser_client.get(reverse("admin:audit_auditentry_changelist"))
    assert "delete_selected" not in text_of(listing)
    assert AuditEntry.objects.filter(pk=entry.pk, object_repr="Zoé SECRETNOM").exists()


def test_the_list_filters_by_origin_and_account_and_a_record_s_history_links_to_it(
    coordinator_client, coordinator, entry
):
    with audit_context(origin=Origin.ADMIN, actor=coordinator):
        person = PersonFactory(first_name="Jean", last_name="Admin")
    listing = reverse("admin:audit_auditentry_changelist")
    by_admin = text_of(coordinator_client.get(listing, {"origin__exact": "admin"}))
    assert "Jean ADMIN" in by_admin and "Zoé SECRETNOM" not in by_admin
    by_account = text_of(coordinator_client.get(listing, {"actor": coordinator.pk}))
    assert "Jean ADMIN" in by_account and "Zoé SECRETNOM" not in by_account
    history = text_of(
        coordinator_client.get(reverse("admin:members_person_history", args=[person.pk]))
    )
    assert "Journal d'audit de cet enregistrement" in history
    own = text_of(
        coordinator_client.get(
            listing,
            {
                "content_type__app_label": "members",
                "content_type__model": "person",
                "object_pk": person.pk,
            },
        )
    )
    assert "Jean ADMIN" in own and "Zoé SECRETNOM" not in own


def test_the_auditor_s_export_is_the_filtered_list_field_by_field_formulas_defused(
    coordinator_client, db
):
    with audit_context(origin=Origin.PUBLIC_FORM, actor_label="visiteur Louise Visiteuse"):
        person = PersonFactory(first_name="Louise", last_name="Visiteuse", title="=HYPERLINK(1)")
    person.title = "Bénévole"
    person.save()  # outside the form: another origin, not in the filtered export
    response = coordinator_client.get(
        reverse("admin:audit_auditentry_export"), {"origin__exact": "public_form"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="journal-audit-')
    rows = list(csv.reader(io.StringIO(response.content.decode().lstrip("\ufeff")), delimiter=";"))
    header, *lines = rows
    assert header[-3:] == ["champ", "avant", "après"]
    assert {(line[5], line[6]) for line in lines} == {
        ("formulaire public", "visiteur Louise Visiteuse")
    }
    assert ["Prénom", "", "Louise"] in [line[-3:] for line in lines]
    assert ["Fonction", "", "'=HYPERLINK(1)"] in [line[-3:] for line in lines]
    assert not any("Bénévole" in cell for line in lines for cell in line)


def test_only_the_coordinator_exports(lead_client):
    response = lead_client.get(reverse("admin:audit_auditentry_export"))
    assert response.status_code == 403


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_auditentry SET object_repr = 'falsifié'",
        "DELETE FROM audit_auditentry",
        "TRUNCATE audit_auditentry",
        "TRUNCATE django_content_type CASCADE",
    ],
)
def test_raw_sql_from_a_shell_is_refused_too(entry, statement):
    if statement.startswith("TRUNCATE") and connection.vendor != "postgresql":
        pytest.skip("SQLite has no TRUNCATE (its DELETE is refused above)")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # As in a shell where the entry was committed: no foreign key check pending.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
            cursor.execute(statement)
    assert AuditEntry.objects.filter(pk=entry.pk, object_repr="Zoé SECRETNOM").exists()


@pytest.mark.django_db(transaction=True)
def test_flush_still_empties_the_trail(entry):
    call_command("flush", interactive=False, verbosity=0)
    assert not AuditEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("answer", ["yes", "no"])
def test_an_operator_s_flush_empties_the_trail_once_they_said_yes(entry, monkeypatch, answer):
    monkeypatch.setattr("builtins.input", lambda question: answer)
    call_command("flush", verbosity=0, stdout=io.StringIO())
    assert AuditEntry.objects.exists() == (answer == "no")
