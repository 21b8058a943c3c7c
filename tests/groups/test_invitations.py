"""Invitations to a meeting, answers by personal link (GET never changes anything), guests'
answers confirmed by e-mail, opting out, and the notices of a moved or cancelled meeting."""

import datetime
import re

import pytest
from django.urls import reverse

from association.signed_links import sign_ids
from groups.models import InvitationOptOut, MeetingAnswer, MeetingMailKind
from groups.services.invitations import participants
from outbox.models import OutgoingMail
from tests.conftest import run_queued_tasks, text_of
from tests.factories import (
    MeetingAnswerFactory,
    MeetingFactory,
    PersonFactory,
    StructureFactory,
    WorkingGroupFactory,
)
from tests.public_site import frozen

# Mails leave once the transaction commits: these tests commit for real.
pytestmark = pytest.mark.django_db(transaction=True)
TODAY = datetime.date(2025, 9, 1)
DAY = datetime.date(2025, 10, 7)


@pytest.fixture
def meeting(site_identity):
    group = WorkingGroupFactory(name="Alimentation durable", slug="alimentation")
    return MeetingFactory(
        group=group,
        date=DAY,
        start_time=datetime.time(14),
        end_time=datetime.time(16),
        agenda="Le maraîchage de Drocourt.",
    )


@pytest.fixture
def invitees(meeting):
    """Two participants directly, one through a participant structure, and three who are not
    invited: no e-mail, anonymised, opted out."""
    group = meeting.group
    odette = PersonFactory(first_name="Odette", last_name="Dauchet", email="odette@die.example")
    brigitte = PersonFactory(first_name="Brigitte", last_name="Monseu", email="b@apei.example")
    apei = StructureFactory(name="APEI")
    serge = PersonFactory(
        first_name="Serge", last_name="Roussel", email="s@apei.example", structure=apei
    )
    silent = PersonFactory(email="")
    gone = PersonFactory(anonymised_at=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC))
    stopped = PersonFactory(email="stop@example.org")
    group.participant_people.add(odette, brigitte, silent, gone, stopped)
    group.participant_structures.add(apei)
    InvitationOptOut.objects.create(group=group, person=stopped)
    return [odette, brigitte, serge]  # in alphabetical order of last names


def invite(coordinator_client, meeting):
    return coordinator_client.post(
        reverse("admin:groups_meeting_changelist"),
        {"action": "send_invitation", "_selected_action": [meeting.pk]},
        follow=True,
    )


def link_in(body: str, name: str) -> str:
    """The path of a link in a mail body (« http://testserver/groupes/reponse/…/ »)."""
    pattern = {
        "answer": r"/groupes/reponse/[^/\s]+/",
        "opt_out": r"/groupes/desinscription/[^/\s]+/",
    }
    return re.search(pattern[name], body).group(0)


@frozen(TODAY)
def test_participants_are_the_groups_people_and_its_structures_people_with_an_email(
    invitees, meeting
):
    assert list(participants(meeting.group)) == invitees


@frozen(TODAY)
def test_the_invitation_reaches_each_participant_with_the_ics_and_three_answers(
    coordinator_client, meeting, invitees, smtp_server
):
    response = invite(coordinator_client, meeting)
    assert "3 invitations dans la file d'envoi" in text_of(response)
    assert meeting.answers.count() == 3
    run_queued_tasks()

    message = smtp_server.message_to("odette@die.example")
    assert "Invitation" in message["Subject"] and "mardi 7\u00a0octobre 2025" in message["Subject"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/groupes/desinscription/" in message["List-Unsubscribe"]
    body = message.get_body(("plain",)).get_content()
    assert "Bonjour Odette," in body and "Le maraîchage de Drocourt." in body
    assert "Mardi 7\u00a0octobre 2025, de\u00a014\u00a0h à\u00a016\u00a0h" in body
    assert link_in(body, "answer")
    (attachment,) = message.iter_attachments()
    assert attachment.get_content_type() == "text/calendar"
    assert (
        b"BEGIN:VEVENT" in attachment.get_content().encode()
        if isinstance(attachment.get_content(), str)
        else attachment.get_content()
    )

    # A second click invites nobody twice.
    again = invite(coordinator_client, meeting)
    assert "ont déjà été invités" in text_of(again)
    assert OutgoingMail.objects.filter(kind=MeetingMailKind.INVITATION).count() == 3


@frozen(TODAY)
def test_a_sample_meeting_is_never_invited_to(coordinator_client, meeting, invitees):
    meeting.is_sample = True
    meeting.save()
    response = invite(coordinator_client, meeting)
    assert "est un exemple\u00a0: décochez «\u00a0exemple\u00a0»" in text_of(response)
    assert not meeting.answers.exists() and not OutgoingMail.objects.exists()
    meeting.refresh_from_db()
    assert meeting.invitations_sent_at is None


@frozen(TODAY)
def test_opening_the_answer_link_changes_nothing_and_the_button_records_it(client, meeting):
    answer = MeetingAnswerFactory(meeting=meeting)
    url = reverse("groups:answer", args=[sign_ids(answer.pk, salt="groups.meeting-answer")])

    page = client.get(url)
    assert page.status_code == 200 and "Je viens" in page.content.decode()
    answer.refresh_from_db()
    assert answer.response == "" and answer.answered_at is None

    recorded = client.post(url, {"response": "yes"}, follow=True)
    assert "Votre réponse est enregistrée\u00a0: «\u00a0Je viens\u00a0»." in text_of(recorded)
    answer.refresh_from_db()
    assert answer.response == "yes"
    public = client.get(meeting.get_absolute_url()).content.decode()
    assert "1 personne a annoncé sa venue" in public
    assert answer.person.last_name not in public and answer.person.email not in public

    client.post(url, {"response": "no"})  # changed later, from the same link
    answer.refresh_from_db()
    assert answer.response == "no"
    assert (
        "Personne n'a encore annoncé sa venue"
        in client.get(meeting.get_absolute_url()).content.decode()
    )


@frozen(TODAY)
def test_a_forged_link_is_refused_in_french_and_changes_nothing(client, meeting):
    answer = MeetingAnswerFactory(meeting=meeting)
    token = sign_ids(answer.pk, salt="groups.meeting-answer")
    forged = token[:-3] + ("AAA" if not token.endswith("AAA") else "BBB")
    for method in (client.get, client.post):
        response = method(reverse("groups:answer", args=[forged]), {"response": "yes"})
        assert response.status_code == 400
        assert "Ce lien n'est pas valable" in text_of(response)
    other_salt = sign_ids(answer.pk, salt="groups.invitation-opt-out")
    assert (
        client.post(reverse("groups:answer", args=[other_salt]), {"response": "yes"}).status_code
        == 400
    )
    answer.refresh_from_db()
    assert answer.response == ""


def test_a_link_expires_when_the_meeting_ends_and_says_so_for_a_cancelled_one(client, meeting):
    answer = MeetingAnswerFactory(meeting=meeting)
    url = reverse("groups:answer", args=[sign_ids(answer.pk, salt="groups.meeting-answer")])
    with frozen(DAY, hour=15, minute=59):
        assert client.post(url, {"response": "yes"}).status_code == 302
    with frozen(DAY, hour=16, minute=1):
        late = client.post(url, {"response": "no"})
        assert late.status_code == 410
        assert "Cette réunion a eu lieu\u00a0: ce lien n'est plus valable." in text_of(late)
    answer.refresh_from_db()
    assert answer.response == "yes"
    meeting.is_cancelled = True
    meeting.save()
    with frozen(TODAY):
        assert "est annulée" in client.get(url).content.decode()


@frozen(TODAY)
def test_a_guest_answer_counts_once_confirmed_from_the_mailed_link(client, meeting, smtp_server):
    response = client.post(
        reverse("groups:guest_answer", kwargs={"slug": meeting.group.slug, "pk": meeting.pk}),
        {"name": "Rachid Cherfaoui", "email": "rachid@example.org", "response": "yes"},
    )
    assert response.status_code == 200 and "Plus qu'une étape" in text_of(response)
    assert "Personne n'a encore annoncé" in text_of(client.get(meeting.get_absolute_url()))
    run_queued_tasks()
    body = smtp_server.message_to("rachid@example.org").get_body(("plain",)).get_content()
    url = link_in(body, "answer")
    assert client.get(url).status_code == 200  # the mail scanner's visit
    assert MeetingAnswer.objects.coming().count() == 0
    client.post(url, {"response": "yes"})
    assert MeetingAnswer.objects.coming().count() == 1
    assert (
        "1 personne a annoncé sa venue" in client.get(meeting.get_absolute_url()).content.decode()
    )


@frozen(TODAY)
def test_a_guest_form_with_mistakes_says_so_in_french(client, meeting):
    response = client.post(
        reverse("groups:guest_answer", kwargs={"slug": meeting.group.slug, "pk": meeting.pk}),
        {"name": "", "email": "pas-une-adresse", "response": "bof"},
    )
    assert response.status_code == 400
    text = text_of(response)
    assert "Saisissez une adresse e-mail valide" in text and "Ce champ est obligatoire" in text
    assert not MeetingAnswer.objects.exists()


@frozen(TODAY)
def test_one_click_unsubscribe_stops_the_groups_invitations(
    client, coordinator_client, meeting, invitees
):
    odette = invitees[0]
    from groups.services.invitations import opt_out_token

    url = reverse("groups:opt_out", args=[opt_out_token(group=meeting.group, person=odette)])
    assert "Ne plus recevoir" in client.get(url).content.decode()
    assert not InvitationOptOut.objects.filter(person=odette).exists()
    # RFC 8058: the mail client POSTs without any CSRF token.
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert InvitationOptOut.objects.filter(person=odette, group=meeting.group).exists()
    invite(coordinator_client, meeting)
    assert not meeting.answers.filter(person=odette).exists()


@frozen(TODAY)
def test_a_cancelled_meeting_tells_those_who_said_yes_or_maybe_at_once(
    coordinator_client, meeting, smtp_server
):
    yes = MeetingAnswerFactory(meeting=meeting, response="yes")
    maybe = MeetingAnswerFactory(meeting=meeting, response="maybe")
    no = MeetingAnswerFactory(meeting=meeting, response="no")
    meeting.invitations_sent_at = datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
    meeting.save()
    coordinator_client.post(
        reverse("admin:groups_meeting_changelist"),
        {"action": "mark_cancelled", "_selected_action": [meeting.pk]},
    )
    run_queued_tasks()
    told = {m["To"] for m in smtp_server.messages}
    assert told == {yes.person.email, maybe.person.email}
    assert no.person.email not in told
    assert "annulée" in smtp_server.message_to(yes.person.email)["Subject"]


@frozen(TODAY)
def test_a_moved_meeting_tells_them_too(coordinator_client, meeting, smtp_server):
    yes = MeetingAnswerFactory(meeting=meeting, response="yes")
    meeting.invitations_sent_at = datetime.datetime(2025, 9, 1, tzinfo=datetime.UTC)
    meeting.save()
    coordinator_client.post(
        reverse("admin:groups_meeting_change", args=[meeting.pk]),
        {
            "group": meeting.group_id,
            "date": "2025-10-09",
            "start_time": "14:00",
            "end_time": "16:00",
            "venue": meeting.venue_id,
            "status": "planned",
            "agenda": meeting.agenda,
            "minutes": "",
            "documents-TOTAL_FORMS": "0",
            "documents-INITIAL_FORMS": "0",
            "minutes_visibility": "unpublished",
        },
    )
    run_queued_tasks()
    body = smtp_server.message_to(yes.person.email).get_body(("plain",)).get_content()
    assert "déplacée" in body and "jeudi 9\u00a0octobre 2025" in body


@pytest.mark.parametrize("size", [5, 60])
@frozen(TODAY)
def test_inviting_costs_a_fixed_number_of_queries(
    meeting, size, django_assert_num_queries, coordinator
):
    from groups.services.invitations import send_invitations

    people = [PersonFactory(email=f"p{i}@example.org", structure=None) for i in range(size)]
    meeting.group.participant_people.add(*people)
    # The meeting (locked), who was invited, the participants, the answers and the mails
    # inserted in bulk, the identity, the calendar's UID domain…: the same at any size. The
    # audit trail adds 4: the answers' entries in one insert, and the meeting's « invitations
    # sent » read, written and recorded.
    with django_assert_num_queries(17):
        assert send_invitations(meeting=meeting, site_url="http://testserver") == size
    assert OutgoingMail.objects.filter(kind=MeetingMailKind.INVITATION).count() == size


@frozen(TODAY)
def test_the_meeting_admin_page_costs_the_same_with_5_or_60_answers(
    coordinator_client, meeting, django_assert_max_num_queries
):
    url = reverse("admin:groups_meeting_change", args=[meeting.pk])
    counts = []
    for size in (5, 55):  # a query per answer would add 55
        MeetingAnswerFactory.create_batch(size, meeting=meeting, response="yes")
        coordinator_client.get(url)  # warm the session and content types
        with django_assert_max_num_queries(30) as captured:
            assert coordinator_client.get(url).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_an_invitation_and_its_reminder_link_to_the_sites_address_whatever_host_was_used(
    coordinator_client, meeting, invitees, settings, client
):
    """Issue 25: the invitation, sent from the admin, took the host the coordinator typed; the
    reminder, from cron, SITE_URL. Both now take SITE_URL, and so does the attached .ics, the
    very file the meeting's page serves."""
    from django.core.management import call_command

    settings.SITE_URL = "https://portail.example.org"
    settings.ALLOWED_HOSTS = ["portail.example.org", "autre.example"]
    with frozen(TODAY):
        coordinator_client.post(
            reverse("admin:groups_meeting_changelist"),
            {"action": "send_invitation", "_selected_action": [meeting.pk]},
            HTTP_HOST="autre.example",
        )
    invitation = OutgoingMail.objects.get(
        kind=MeetingMailKind.INVITATION, recipient=invitees[0].email
    )
    answer_url = re.search(r"\S+/groupes/reponse/\S+/", invitation.body_text).group(0)
    assert answer_url.startswith("https://portail.example.org/")
    assert "autre.example" not in invitation.body_text + invitation.attachment
    with frozen(DAY - datetime.timedelta(days=1)):
        call_command("send_reminders", stdout=None)
    reminder = OutgoingMail.objects.get(kind=MeetingMailKind.REMINDER, recipient=invitees[0].email)
    assert answer_url in reminder.body_text
    served = client.get(
        reverse("groups:meeting_ics", args=[meeting.group.slug, meeting.pk]),
        HTTP_HOST="autre.example",
    )
    assert served.content.decode() == invitation.attachment
