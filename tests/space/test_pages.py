"""The pages of « Mon espace »: my meetings and answers, reserved minutes, my details, my
invitations, my data and the erasure request; their query counts at two sizes."""

import datetime
import json

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from groups.models import InvitationOptOut, Meeting, MeetingAnswer
from outbox.models import OutgoingMail
from space.models import ErasureRequest, SpaceMailKind
from tests.conftest import sign_in_to_space
from tests.factories import (
    DocumentFactory,
    GroupContactFactory,
    MeetingFactory,
    WorkingGroupFactory,
)

pytestmark = pytest.mark.django_db


def test_the_space_shows_my_groups_meetings_minutes_and_documents(partner_client, two_groups):
    page = partner_client.get(reverse("space:home")).content.decode()
    assert two_groups.group_a.name in page and two_groups.group_b.name not in page
    assert "Document SECRET-A" in page and "SECRET-B" not in page
    meeting = partner_client.get(reverse("space:meeting", args=[two_groups.past_a.pk]))
    assert "Compte rendu SECRET-A" in meeting.content.decode()


def test_i_change_my_answer(partner_client, two_groups):
    meeting = two_groups.upcoming_a
    url = reverse("space:answer", args=[meeting.pk])
    partner_client.post(url, {"response": "yes"})
    partner_client.post(url, {"response": "maybe"})
    answer = MeetingAnswer.objects.get(meeting=meeting, person=two_groups.participant_a)
    assert answer.response == "maybe"
    other = partner_client.post(reverse("space:answer", args=[two_groups.upcoming_b.pk]), {})
    assert other.status_code == 404


def test_i_edit_my_details_and_consent(partner_client, two_groups):
    response = partner_client.post(
        reverse("space:details"),
        {
            "first_name": "Alice",
            "last_name": "Martin",
            "title": "Chargée de mission",
            "phone": "03 21 20 79 44",
            "show_contact_publicly": "on",
        },
    )
    assert response.status_code == 302
    person = two_groups.participant_a
    person.refresh_from_db()
    assert (person.first_name, person.show_contact_publicly) == ("Alice", True)
    assert person.email == "participant-a@example.org"  # not editable here


def test_i_stop_and_resume_a_group_s_invitations(partner_client, two_groups):
    url = reverse("space:invitations", args=[two_groups.group_a.pk])
    partner_client.post(url, {"invitations": "off"})
    assert InvitationOptOut.objects.filter(person=two_groups.participant_a).exists()
    partner_client.post(url, {"invitations": "on"})
    assert not InvitationOptOut.objects.exists()
    other = reverse("space:invitations", args=[two_groups.group_b.pk])
    assert partner_client.post(other, {"invitations": "off"}).status_code == 404


def test_i_download_my_data(partner_client, two_groups):
    response = partner_client.get(reverse("space:my_data"))
    assert response["Content-Disposition"].startswith('attachment; filename="mes-donnees-')
    data = json.loads(response.content)
    assert data["personne"]["e-mail"] == "participant-a@example.org"
    assert "SECRET-B" not in response.content.decode()


def test_i_ask_for_erasure_once_and_the_coordinator_is_told(partner_client, site_identity):
    partner_client.post(reverse("space:erasure"), {"message": "Merci"})
    partner_client.post(reverse("space:erasure"), {"message": "Encore"})
    assert ErasureRequest.objects.count() == 1
    mail = OutgoingMail.objects.get(kind=SpaceMailKind.ERASURE_REQUEST)
    assert mail.recipient == "coordination@ptce-hc.example"


@pytest.mark.parametrize("size", [2, 12])
def test_the_space_costs_the_same_queries_whatever_the_data(
    client, two_groups, site_identity, size, django_assert_num_queries
):
    person = two_groups.participant_a
    for _ in range(size):
        group = WorkingGroupFactory()
        group.participant_people.add(person)
        meeting = MeetingFactory(group=group, date=two_groups.upcoming_a.date)
        DocumentFactory(group=group, meeting=meeting)
    sign_in_to_space(client, person)
    # session, person, identity, groups, upcoming, my answers, minutes, documents, opt-outs,
    # erasure request
    with django_assert_num_queries(10):
        assert client.get(reverse("space:home")).status_code == 200
    # session, person, identity, meeting, its documents, my answer
    with django_assert_num_queries(6):
        client.get(reverse("space:meeting", args=[two_groups.past_a.pk]))


def test_withdrawing_consent_takes_my_address_off_the_group_page(client, two_groups):
    person = two_groups.participant_a
    person.show_contact_publicly = True
    person.save()
    group_page = two_groups.group_a.get_absolute_url()
    GroupContactFactory(
        group=two_groups.group_a, person=person, label="Part A", email=person.email, phone=""
    )
    assert person.email in client.get(group_page).content.decode()

    sign_in_to_space(client, person)
    details = {"first_name": person.first_name, "last_name": person.last_name, "phone": ""}
    assert client.post(reverse("space:details"), details).status_code == 302  # box unticked
    client.logout()

    assert person.email not in client.get(group_page).content.decode()


def test_a_nul_character_in_the_erasure_message_is_refused_in_french(partner_client):
    response = partner_client.post(reverse("space:erasure"), {"message": "Merci\x00"}, follow=True)
    assert "Le caractère nul n\u2019est pas autorisé." in response.content.decode()
    assert not ErasureRequest.objects.exists()


def _local(day: datetime.date, hour: int) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(hour), tzinfo=timezone.get_current_timezone()
    )


def _section(page: str, title_id: str) -> str:
    return page.split(f'id="{title_id}"')[1].split("</section>")[0]


def test_a_meeting_held_today_leaves_my_next_meetings_and_its_minutes_show_the_same_day(
    partner_client, two_groups
):
    """The 14 h meeting: at 11 h it is to come; at 17 h, closed with its minutes published,
    it has left « Mes prochaines réunions » and its minutes are listed."""
    today = timezone.localdate()
    meeting = MeetingFactory(
        group=two_groups.group_a,
        date=today,
        start_time=datetime.time(14),
        end_time=datetime.time(16),
    )
    url = reverse("space:meeting", args=[meeting.pk])
    at = datetime.datetime.combine(
        today, datetime.time(11), tzinfo=timezone.get_current_timezone()
    )

    with time_machine.travel(at, tick=False):
        page = partner_client.get(reverse("space:home")).content.decode()
    assert url in _section(page, "titre-reunions")
    assert url not in _section(page, "titre-cr")

    Meeting.objects.filter(pk=meeting.pk).update(
        status=Meeting.Status.HELD,
        minutes="Compte rendu du jour",
        minutes_visibility=Meeting.Visibility.PARTICIPANTS,
    )
    with time_machine.travel(at.replace(hour=17), tick=False):
        page = partner_client.get(reverse("space:home")).content.decode()
    assert url not in _section(page, "titre-reunions")
    assert url in _section(page, "titre-cr")


def test_a_meeting_over_today_leaves_my_next_meetings_even_before_it_is_closed(
    partner_client, two_groups
):
    today = timezone.localdate()
    meeting = MeetingFactory(group=two_groups.group_a, date=today, start_time=datetime.time(9))
    url = reverse("space:meeting", args=[meeting.pk])
    at = datetime.datetime.combine(
        today, datetime.time(10), tzinfo=timezone.get_current_timezone()
    )
    with time_machine.travel(at, tick=False):
        page = partner_client.get(reverse("space:home")).content.decode()
        detail = partner_client.get(url).content.decode()
    assert url not in _section(page, "titre-reunions")
    assert 'name="response"' not in detail  # no answer form for a meeting gone by
