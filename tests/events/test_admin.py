"""Events in the back-office: list, filters, programme inline and speakers."""

import pytest
from django.urls import reverse

from events.models import Event, Session

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def _results(client, url_name, params=None):
    response = client.get(reverse(url_name), params or {})
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        (
            {"kind__exact": "breakfast"},
            ["petit-dejeuner-ess-2025-11-25", "petit-dejeuner-ess-2025-10-14"],
        ),
        ({"q": "séminaire"}, ["premier-seminaire-2025"]),
        ({"q": "Oignies"}, ["premier-seminaire-2025"]),
        ({"date__year": 2025, "date__month": 6}, ["assemblee-generale-2025"]),
        ({"is_cancelled__exact": 1}, []),
    ],
)
def test_event_search_and_filters(coordinator_client, newsletter, params, expected):
    events = _results(coordinator_client, "admin:events_event_changelist", params)
    assert [e.slug for e in events] == expected


def test_event_list_says_whole_day_or_the_hour(coordinator_client, newsletter):
    content = coordinator_client.get(reverse("admin:events_event_changelist")).content.decode()
    assert "8\u00a0h\u00a030" in content
    assert "journée" in content


def test_event_form_shows_the_programme_with_its_speakers(coordinator_client, newsletter):
    seminar = Event.objects.get(slug="premier-seminaire-2025")
    response = coordinator_client.get(reverse("admin:events_event_change", args=[seminar.pk]))
    content = response.content.decode()
    assert "Sarah DUPONT, Isabelle LEROY-SELOSSE, Sylvain DURSENT" in content
    session = seminar.sessions.get(kind=Session.Kind.ROUND_TABLE)
    assert reverse("admin:events_session_change", args=[session.pk]) in content
    assert 'id="id_slug"' in content


def test_session_form_edits_its_speakers_inline(coordinator_client, newsletter):
    session = Session.objects.get(kind=Session.Kind.ROUND_TABLE)
    response = coordinator_client.get(reverse("admin:events_session_change", args=[session.pk]))
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.total_form_count() == 3


@pytest.mark.parametrize(
    ("params", "expected_count"),
    [
        ({"kind__exact": "workshop"}, 4),
        ({"part_of_day__exact": "afternoon"}, 4),
        ({"q": "Dursent"}, 1),  # by speaker
        ({"q": "Godin"}, 1),  # by facilitator
    ],
)
def test_session_search_and_filters(coordinator_client, newsletter, params, expected_count):
    assert len(_results(coordinator_client, "admin:events_session_changelist", params)) == (
        expected_count
    )
