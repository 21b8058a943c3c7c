"""A lead reads the history of their own groups' records only: the group, its leads and
contacts, meetings, attendance, documents and projects; nothing of another group nor of the
member file."""

import pytest
from django.urls import reverse

from audit.models import AuditEntry

LIST = "admin:audit_auditentry_changelist"


def test_a_lead_sees_only_their_groups_history(lead_client, two_groups):
    meeting_a, meeting_b = two_groups.past_a, two_groups.past_b
    for meeting in (meeting_a, meeting_b):
        meeting.minutes = "Compte rendu corrigé"
        meeting.save()

    response = lead_client.get(reverse(LIST))
    assert response.status_code == 200
    shown = list(response.context["cl"].queryset)
    assert shown
    assert {entry.scope_id for entry in shown} == {two_groups.group_a.pk}
    models = {entry.content_type.model for entry in shown}
    assert {"workinggroup", "meeting", "document", "project"} <= models
    assert "person" not in models
    assert AuditEntry.objects.filter(scope_id=two_groups.group_b.pk).exists()

    other = AuditEntry.objects.filter(
        content_type__model="meeting", object_pk=str(meeting_b.pk)
    ).latest("pk")
    page = lead_client.get(reverse("admin:audit_auditentry_change", args=[other.pk]))
    assert page.status_code == 302  # « does not exist », as for any record out of reach


def test_the_coordinator_sees_every_group_s_history(coordinator_client, two_groups):
    response = coordinator_client.get(reverse(LIST))
    scopes = {entry.scope_id for entry in response.context["cl"].queryset}
    assert {two_groups.group_a.pk, two_groups.group_b.pk, None} <= scopes


@pytest.mark.parametrize("who", ["coordinator", "lead"])
def test_the_list_costs_no_more_with_300_entries_than_with_10(
    who, client, coordinator, two_groups, django_assert_max_num_queries
):
    from tests.factories import MeetingFactory

    client.force_login(coordinator if who == "coordinator" else two_groups.lead_user_a)
    counts = []
    for size in (10, 290):
        MeetingFactory.create_batch(size, group=two_groups.group_a)
        client.get(reverse(LIST))  # warm the session and content types
        with django_assert_max_num_queries(25) as captured:
            response = client.get(reverse(LIST))
        assert response.status_code == 200
        assert response.context["cl"].result_count > size
        counts.append(len(captured.captured_queries))
    # The changed foreign keys are named with one query per related model on the page
    # (tests/audit/test_related_names.py): the page of 10 shows the group's leads, people and
    # accounts too, the page of 300 only meetings (their groups and venues), so it costs less.
    assert counts[1] <= counts[0]
