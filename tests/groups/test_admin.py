"""Working groups in the back-office: lists, filters, inlines and meeting actions."""

import datetime
import re

import factory
import pytest
import time_machine
from django.contrib.messages import get_messages
from django.urls import reverse

from groups.models import Meeting, Project, WorkingGroup
from tests.factories import MeetingFactory, StructureFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def _results(client, url_name, params=None):
    response = client.get(reverse(url_name), params or {})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_group_list_shows_colour_leads_and_counts(coordinator_client, newsletter):
    content = coordinator_client.get(reverse("admin:groups_workinggroup_changelist")).content
    content = content.decode()
    assert '<rect width="24" height="16" rx="3" fill="#1d4f91"/>' in content
    assert "Odette DAUCHET (DIE), Brigitte MONSEU (APEI)" in content


def test_group_inactive_filter(coordinator_client, newsletter):
    WorkingGroup.objects.filter(slug="transition").update(is_active=False)
    inactive = _results(
        coordinator_client, "admin:groups_workinggroup_changelist", {"is_active__exact": 0}
    )
    assert [g.slug for g in inactive] == ["transition"]


@time_machine.travel("2025-09-01 10:00 +02:00", tick=False)
def test_group_form_lists_its_next_and_last_meetings_by_link(coordinator_client, newsletter):
    group = WorkingGroup.objects.get(slug="developpement-social")
    response = coordinator_client.get(reverse("admin:groups_workinggroup_change", args=[group.pk]))
    page = response.content.decode()
    shown = [
        Meeting.objects.get(pk=pk).date
        for pk in re.findall(r'href="/admin/groups/meeting/(\d+)/change/"', page)
    ]
    assert shown == [
        datetime.date(2025, 9, 25),
        datetime.date(2025, 11, 27),
        datetime.date(2025, 2, 27),
        datetime.date(2024, 12, 12),
    ]
    link = f"{reverse('admin:groups_meeting_changelist')}?group__id__exact={group.pk}"
    assert link in page


@pytest.mark.parametrize(
    ("params", "expected_count"),
    [
        ({"status__exact": "held"}, 2),
        ({"status__exact": "planned"}, 8),
        ({"minutes_visibility__exact": "unpublished"}, 10),
        ({"is_sample__exact": 1}, 0),
        ({"date__year": 2025, "date__month": 10}, 2),
        ({"q": "PIAC"}, 2),
        ({"q": "Courrières"}, 2),  # the garage solidaire
    ],
)
def test_meeting_filters_and_search(coordinator_client, newsletter, params, expected_count):
    assert len(_results(coordinator_client, "admin:groups_meeting_changelist", params)) == (
        expected_count
    )


def test_meeting_group_filter(coordinator_client, newsletter):
    group = WorkingGroup.objects.get(slug="mobilite")
    meetings = _results(
        coordinator_client, "admin:groups_meeting_changelist", {"group__id__exact": group.pk}
    )
    assert [m.date for m in meetings] == [datetime.date(2025, 11, 14), datetime.date(2025, 9, 12)]


def test_meeting_list_shows_hours_in_french(coordinator_client, newsletter):
    content = coordinator_client.get(reverse("admin:groups_meeting_changelist")).content.decode()
    assert "9\u00a0h" in content
    assert "14\u00a0h" in content


def _run_action(client, action, meetings):
    return client.post(
        reverse("admin:groups_meeting_changelist"),
        {"action": action, "_selected_action": [m.pk for m in meetings]},
        follow=True,
    )


def test_cancel_action_cancels_and_says_so(coordinator_client):
    meetings = MeetingFactory.create_batch(2, status=Meeting.Status.PLANNED)
    response = _run_action(coordinator_client, "mark_cancelled", meetings)
    assert {m.is_cancelled for m in Meeting.objects.all()} == {True}
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["2 réunions annulées."]


@time_machine.travel("2025-10-08 10:00 +02:00", tick=False)
def test_held_action_refuses_meetings_still_to_come(coordinator_client):
    past = MeetingFactory(date=datetime.date(2025, 10, 7))
    future = MeetingFactory(date=datetime.date(2025, 12, 2))
    response = _run_action(coordinator_client, "mark_held", [past, future])
    past.refresh_from_db()
    future.refresh_from_db()
    assert (past.status, future.status) == (Meeting.Status.HELD, Meeting.Status.PLANNED)
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert "1 réunion marquée comme tenue." in messages
    assert any("mardi 2 décembre 2025 n'a pas encore commencé" in m for m in messages)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status__exact": "study"}, ["restauration-solidaire"]),
        ({"q": "Rouvroy"}, ["plateforme-reemploi-materiaux-rouvroy"]),
    ],
)
def test_project_search_and_filters(coordinator_client, newsletter, params, expected):
    projects = _results(coordinator_client, "admin:groups_project_changelist", params)
    assert [p.slug for p in projects] == expected


def test_project_search_by_carrying_structure(coordinator_client, newsletter):
    project = Project.objects.get(slug="restauration-solidaire")
    project.structures.add(StructureFactory(name="Réseau Zèbre", acronym="RZ"))
    for term in ["zèbre", "RZ"]:
        projects = _results(coordinator_client, "admin:groups_project_changelist", {"q": term})
        assert [p.slug for p in projects] == ["restauration-solidaire"]


def test_project_group_filter(coordinator_client, newsletter):
    group = WorkingGroup.objects.get(slug="transition")
    projects = _results(
        coordinator_client, "admin:groups_project_changelist", {"group__id__exact": group.pk}
    )
    assert len(projects) == 3


@pytest.mark.ignore_template_errors
def test_a_group_page_lists_its_meetings_by_link_at_the_same_cost_whatever_their_number(
    coordinator_client,
):
    """Hundreds of meetings inline made the page take a second: it lists the next and the
    last few as links, in the same number of queries at 6 and 300 meetings."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from groups.admin.groups import MEETINGS_SHOWN
    from tests.factories import WorkingGroupFactory

    def page_and_queries(group):
        url = reverse("admin:groups_workinggroup_change", args=[group.pk])
        coordinator_client.get(url)  # the session's and permissions' caches warmed up
        with CaptureQueriesContext(connection) as queries:
            page = coordinator_client.get(url).content.decode()
        return page, len(queries)

    today = timezone.localdate()
    sizes = {}
    for count in (6, 300):
        group = WorkingGroupFactory()
        MeetingFactory.create_batch(
            count,
            group=group,
            date=factory.Iterator(
                [today + datetime.timedelta(days=d) for d in range(-count // 2, count // 2)]
            ),
        )
        page, sizes[count] = page_and_queries(group)
        links = re.findall(r'href="/admin/groups/meeting/(\d+)/change/"', page)
        assert len(links) == min(count // 2, MEETINGS_SHOWN) * 2
        assert "Voir toutes les réunions du groupe" in page
        assert "meetings-TOTAL_FORMS" not in page
    assert sizes[6] == sizes[300]


def test_a_project_s_status_changed_in_the_admin_is_written_in_its_history(coordinator_client):
    # Issue 25: the history the report reads is written by the saving of the project (the
    # service the admin calls), not by a signal on any save.
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
    with time_machine.travel(datetime.datetime(2024, 5, 2, 12), tick=False):
        added = coordinator_client.post(reverse("admin:groups_project_add"), data)
    assert added.status_code == 302, added.context["adminform"].form.errors
    project = Project.objects.get(slug="garage-solidaire")
    with time_machine.travel(datetime.datetime(2025, 3, 1, 12), tick=False):
        url = reverse("admin:groups_project_change", args=[project.pk])
        changed = coordinator_client.post(url, {**data, "status": Project.Status.RUNNING})
    assert changed.status_code == 302
    assert list(project.status_changes.values_list("status", "since")) == [
        ("study", datetime.date(2024, 5, 2)),
        ("running", datetime.date(2025, 3, 1)),
    ]
    assert group.projects.count() == 1
