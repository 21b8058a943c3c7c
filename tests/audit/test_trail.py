"""The audit trail records who changed what, when, from where, and the fields before and
after: from the back-office, « Mon espace », the public join form, a command and the bulk
paths of the services."""

import io

from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse

from audit.models import AuditEntry, Origin
from groups.models import Meeting, MeetingAnswer, Project, WorkingGroup
from groups.services.attendance import close_meeting
from joining.models import JoinRequest
from members.models import Person
from tests.conftest import text_of
from tests.factories import MeetingFactory, PersonFactory


def entries_of(instance) -> list[AuditEntry]:
    return list(
        AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(instance),
            object_pk=str(instance.pk),
        ).order_by("pk")
    )


def test_a_change_in_the_admin_is_signed_by_the_account_with_the_fields_before_and_after(
    coordinator_client, coordinator
):
    group = WorkingGroup.objects.create(name="Mobilité", slug="mobilite")
    data = {
        "name": "Garage solidaire",
        "slug": "garage-solidaire",
        "group": group.pk,
        "status": Project.Status.STUDY,
        "is_published": "on",
        "structures": [],
        "summary": "",
        "description": "",
        "updates-TOTAL_FORMS": "0",
        "updates-INITIAL_FORMS": "0",
    }
    assert coordinator_client.post(reverse("admin:groups_project_add"), data).status_code == 302
    project = Project.objects.get(slug="garage-solidaire")
    url = reverse("admin:groups_project_change", args=[project.pk])
    changed = coordinator_client.post(url, {**data, "status": Project.Status.RUNNING})
    assert changed.status_code == 302

    created, updated = entries_of(project)
    assert created.action == AuditEntry.Action.CREATE
    assert updated.action == AuditEntry.Action.UPDATE
    assert updated.changes == {"status": ["study", "running"]}
    for entry in (created, updated):
        assert (entry.origin, entry.actor_id) == (Origin.ADMIN, coordinator.pk)
        assert entry.actor_label == "coordination"
        assert entry.scope_id == group.pk
    # The project's history, as the link from its « Historique » page lists it.
    history = coordinator_client.get(
        reverse("admin:audit_auditentry_changelist"),
        {
            "content_type__app_label": "groups",
            "content_type__model": "project",
            "object_pk": project.pk,
        },
    )
    assert "État : À l'étude → En activité" in text_of(history)
    detail = coordinator_client.get(reverse("admin:audit_auditentry_change", args=[updated.pk]))
    assert "<td>État</td><td>À l&#x27;étude</td><td>En activité</td>" in detail.content.decode()


def test_a_change_in_my_space_is_signed_with_the_partner_s_name(partner_client, two_groups):
    author = two_groups.participant_a.full_name  # as signed in, before the change
    response = partner_client.post(
        reverse("space:details"),
        {"first_name": "Alice", "last_name": "Martin", "title": "", "phone": "0321207944"},
    )
    assert response.status_code == 302
    entry = entries_of(two_groups.participant_a)[-1]
    assert entry.origin == Origin.SPACE
    assert entry.actor_id is None
    assert entry.actor_label == f"{author} (Mon espace)"
    assert entry.changes["phone"][1] == "0321207944"


def test_the_public_form_is_signed_visitor_with_the_name_typed(client, join_data, site_identity):
    response = client.post(reverse("joining:join"), join_data(first_name="Louise"))
    assert response.status_code == 302
    request = JoinRequest.objects.get()
    (entry,) = [e for e in entries_of(request) if e.action == AuditEntry.Action.CREATE]
    assert entry.origin == Origin.PUBLIC_FORM
    assert entry.actor_label == "visiteur Louise Lefebvre"
    assert entry.changes["email"] == ["None", "louise.lefebvre@example.org"]


def test_a_command_signs_with_its_name(db):
    # What manage.py opens for a command (see the next test), around the command's writes.
    from audit.context import audit_context

    person = PersonFactory(email="ancien@example.org")
    with audit_context(origin=Origin.COMMAND, actor=None, actor_label="commande demo"):
        call_command("purge_audit_trail", stdout=io.StringIO())
        person.title = "Trésorière"
        person.save()
    entry = entries_of(person)[-1]
    assert (entry.origin, entry.actor_label) == (Origin.COMMAND, "commande demo")


def test_manage_py_opens_the_command_s_context(tmp_path):
    import subprocess
    import sys

    from django.conf import settings

    result = subprocess.run(
        [
            sys.executable,
            str(settings.BASE_DIR / "manage.py"),
            "shell",
            "-c",
            "from audit.context import current_context as c; print(c().origin, c().actor_label)",
        ],
        capture_output=True,
        text=True,
        check=True,
        env={**__import__("os").environ, "DATABASE_URL": f"sqlite:///{tmp_path}/db.sqlite3"},
    )
    assert result.stdout.strip().splitlines()[-1] == "command commande shell"


def test_closing_a_meeting_records_the_attendance_written_in_bulk(coordinator, two_groups):
    from audit.context import audit_context

    meeting = MeetingFactory(group=two_groups.group_a, status=Meeting.Status.PLANNED)
    participant = two_groups.participant_a
    with audit_context(origin=Origin.ADMIN, actor=coordinator):
        close_meeting(
            meeting=meeting,
            present_answer_ids=[],
            added_people=[participant],
            new_people=[],
            unrecorded=0,
            minutes="Compte rendu",
            decisions="",
        )
    answer = MeetingAnswer.objects.get(meeting=meeting, person=participant)
    (entry,) = entries_of(answer)
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.changes["present"] == ["None", "True"]
    assert (entry.origin, entry.actor_id) == (Origin.ADMIN, coordinator.pk)
    assert entry.scope_id == two_groups.group_a.pk


def test_a_bulk_update_through_the_service_records_each_row(db):
    from audit.registry import update_logged

    people = PersonFactory.create_batch(3, title="")
    assert (
        update_logged(Person.objects.filter(pk__in=[p.pk for p in people]), title="Bénévole") == 3
    )
    for person in people:
        assert entries_of(person)[-1].changes == {"title": ["", "Bénévole"]}


def test_accounts_and_roles_are_recorded_without_the_password(coordinator):
    coordinator.set_password("un autre mot de passe")
    coordinator.first_name = "Rodolphe"
    coordinator.save()
    entry = entries_of(coordinator)[-1]
    assert entry.changes == {"first_name": ["", "Rodolphe"]}
    assert any(
        e.changes.get("groups", {}).get("operation") == "add" for e in entries_of(coordinator)
    )


def test_clearing_a_many_to_many_records_only_what_was_removed(coordinator, two_groups):
    """django-auditlog records a `clear()` as the removal of every row of the other table."""
    from django.contrib.auth.models import Group

    Group.objects.create(name="trésorerie")
    person = PersonFactory()
    two_groups.group_a.participant_people.add(person)

    coordinator.groups.clear()
    person.working_groups.clear()

    (cleared,) = [e for e in entries_of(coordinator) if "groups" in e.changes][-1:]
    assert cleared.changes["groups"]["operation"] == "delete"
    assert cleared.changes["groups"]["objects"] == ["coordinateur"]
    (left,) = [e for e in entries_of(person) if "participant_people" in e.changes][-1:]
    assert left.changes["participant_people"]["objects"] == [str(two_groups.group_a)]
