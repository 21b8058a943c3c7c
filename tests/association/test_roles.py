"""The coordinator's role: the job on the content, nothing on accounts and permissions."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from association.roles import (
    COORDINATOR_GROUP,
    LEAD_GROUP,
    coordinator_permission_codenames,
    declared_permissions,
    sync_coordinator_group,
)
from groups.models import Meeting
from tests.factories import MeetingFactory, UserFactory, VenueFactory, WorkingGroupFactory

pytestmark = pytest.mark.django_db


def test_group_holds_exactly_the_declared_permissions():
    group = Group.objects.get(name=COORDINATOR_GROUP)
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert held == coordinator_permission_codenames()


def test_sync_removes_a_permission_added_by_hand():
    group = Group.objects.get(name=COORDINATOR_GROUP)
    group.permissions.add(Permission.objects.get(codename="change_user"))
    sync_coordinator_group()
    assert not group.permissions.filter(codename="change_user").exists()


def test_migrate_syncs_the_roles_once_after_every_app_s_permissions_exist():
    # Django sends post_migrate once per app; the roles are synced at the last one only, when
    # every app's permissions exist (this runs at each flush between the tests that commit).
    group = Group.objects.get(name=COORDINATOR_GROUP)
    group.permissions.clear()
    with CaptureQueriesContext(connection) as queries:
        emit_post_migrate_signal(verbosity=0, interactive=False, db="default")
    held = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert held == coordinator_permission_codenames()
    syncs = [q for q in queries if 'FROM "auth_group" WHERE "auth_group"."name" =' in q["sql"]]
    assert len(syncs) == 2  # one per role, not one per role and app


def test_coordinator_can_edit_meetings_and_nothing_on_accounts(coordinator):
    assert coordinator.has_perms(["groups.add_meeting", "groups.change_meeting"])
    for permission in [
        "association.view_user",
        "association.change_user",
        "association.add_user",
        "auth.view_group",
        "auth.change_group",
        "auth.change_permission",
        "django_tasks_database.view_dbtaskresult",
    ]:
        assert not coordinator.has_perm(permission), permission


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:association_user_changelist",
        "admin:association_user_add",
        "admin:auth_group_changelist",
        "admin:auth_group_add",
    ],
)
def test_account_and_group_pages_answer_403_to_the_coordinator(coordinator_client, url_name):
    assert coordinator_client.get(reverse(url_name)).status_code == 403


def test_another_account_s_page_answers_403(coordinator_client):
    other = UserFactory()
    url = reverse("admin:association_user_change", args=[other.pk])
    assert coordinator_client.get(url).status_code == 403
    response = coordinator_client.post(url, {"username": other.username, "is_superuser": "on"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert not other.is_superuser


@pytest.mark.ignore_template_errors
def test_admin_index_does_not_show_accounts_to_the_coordinator(coordinator_client):
    content = coordinator_client.get(reverse("admin:index")).content.decode()
    assert "Réunions" in content
    assert reverse("admin:association_user_changelist") not in content
    assert reverse("admin:auth_group_changelist") not in content


@pytest.mark.ignore_template_errors
def test_coordinator_adds_a_meeting_in_the_admin(coordinator_client):
    group = WorkingGroupFactory()
    venue = VenueFactory()
    response = coordinator_client.post(
        reverse("admin:groups_meeting_add"),
        {
            "group": group.pk,
            "date": "2025-10-07",
            "start_time": "14:00",
            "end_time": "",
            "venue": venue.pk,
            "status": Meeting.Status.PLANNED,
            "agenda": "Point d'étape",
            "minutes": "",
            "minutes_visibility": "unpublished",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    meeting = Meeting.objects.get()
    assert (meeting.group, meeting.date, meeting.start_time, meeting.end_time) == (
        group,
        datetime.date(2025, 10, 7),
        datetime.time(14, 0),
        None,
    )


@pytest.mark.ignore_template_errors
def test_coordinator_changes_a_meeting_and_the_form_refuses_an_end_before_the_start(
    coordinator_client,
):
    meeting = MeetingFactory()
    url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    data = {
        "group": meeting.group.pk,
        "date": "2025-10-07",
        "start_time": "14:00",
        "end_time": "12:00",
        "venue": meeting.venue.pk,
        "status": Meeting.Status.PLANNED,
        "agenda": "Nouvel ordre du jour",
        "minutes": "",
        "minutes_visibility": "unpublished",
        "documents-TOTAL_FORMS": "0",
        "documents-INITIAL_FORMS": "0",
    }
    refused = coordinator_client.post(url, data)
    assert refused.status_code == 200
    assert "L&#x27;heure de fin doit suivre l&#x27;heure de début" in refused.content.decode()

    accepted = coordinator_client.post(url, {**data, "end_time": "16:00"})
    assert accepted.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.agenda, meeting.end_time) == ("Nouvel ordre du jour", datetime.time(16, 0))


def test_each_app_declares_its_own_lines_of_the_roles():
    # Issue 25: the apps register what the roles may do on their models (their `ready()`);
    # one that forgot would leave the coordinator without its pages.
    assert set(declared_permissions(COORDINATOR_GROUP)) == {
        "association",
        "members",
        "outbox",
        "joining",
        "groups",
        "events",
        "scic",
        "space",
        "report",
        "opendata",
        "audit",
        "news",
    }
    # A lead writes their groups' news (drafts; the coordinator publishes) and reads their groups'
    # part of the audit trail.
    assert set(declared_permissions(LEAD_GROUP)) == {
        "association",
        "members",
        "groups",
        "audit",
        "news",
    }
    assert ("groups", "change_meeting") in coordinator_permission_codenames()
