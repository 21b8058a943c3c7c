"""The public meeting page's answer form, as an attacker uses it: anyone may type someone
else's address, so the form never changes an answer that counts, never tells who is invited,
and never floods an address with mails."""

import datetime
import re

import pytest
from django.urls import reverse

from association.signed_links import sign_ids
from groups.models import MeetingAnswer, MeetingMailKind
from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import MeetingAnswerFactory, MeetingFactory, PersonFactory
from tests.public_site import frozen

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2025, 9, 1)


@pytest.fixture
def meeting(site_identity):
    return MeetingFactory(
        group__slug="alimentation",
        date=datetime.date(2025, 10, 7),
        start_time=datetime.time(14),
        end_time=datetime.time(16),
    )


def answer_from_the_page(client, meeting, **data):
    return client.post(
        reverse("groups:guest_answer", kwargs={"slug": meeting.group.slug, "pk": meeting.pk}),
        {"name": "Rachid Cherfaoui", "email": "rachid@example.org", "response": "yes", **data},
    )


def confirmation_mails(to: str) -> list[OutgoingMail]:
    return list(
        OutgoingMail.objects.filter(kind=MeetingMailKind.ANSWER_CONFIRMATION, recipient=to)
    )


def answer_link(answer: MeetingAnswer) -> str:
    return reverse("groups:answer", args=[sign_ids(answer.pk, salt="groups.meeting-answer")])


@frozen(TODAY)
def test_the_form_cannot_change_a_confirmed_answer(client, meeting):
    answer_from_the_page(client, meeting)
    answer = MeetingAnswer.objects.get()
    client.post(answer_link(answer), {"response": "yes"})  # Rachid confirms

    # Someone else types Rachid's address (in capitals) with another answer and name.
    response = answer_from_the_page(
        client, meeting, name="Quelqu'un d'autre", email="RACHID@example.org", response="no"
    )
    assert response.status_code == 200 and "Plus qu'une étape" in text_of(response)
    answer.refresh_from_db()
    assert (answer.response, answer.guest_name) == ("yes", "Rachid Cherfaoui")
    assert answer.confirmed_at is not None
    assert MeetingAnswer.objects.count() == 1


@frozen(TODAY)
def test_an_address_gets_the_link_once_every_ten_minutes_however_often_it_is_typed(
    client, meeting
):
    for _ in range(5):
        answer_from_the_page(client, meeting, email="victime@example.org")
    assert len(confirmation_mails("victime@example.org")) == 1
    with frozen(TODAY, minute=11):
        answer_from_the_page(client, meeting, email="victime@example.org", response="maybe")
    assert len(confirmation_mails("victime@example.org")) == 2
    # Still one answer, unconfirmed, with what was typed last.
    answer = MeetingAnswer.objects.get()
    assert (answer.response, answer.confirmed_at) == ("maybe", None)


@frozen(TODAY)
def test_a_participant_typing_their_address_gets_their_own_link_not_a_second_answer(
    client, meeting
):
    odette = PersonFactory(first_name="Odette", last_name="Dauchet", email="odette@die.example")
    invited = MeetingAnswerFactory(meeting=meeting, person=odette, response="yes")
    response = answer_from_the_page(client, meeting, name="Odette", email="Odette@die.example")
    # The same page as anyone's: it does not tell that the address is invited.
    assert "Plus qu'une étape" in text_of(response)
    assert MeetingAnswer.objects.get() == invited
    assert MeetingAnswer.objects.coming().count() == 1
    (mail,) = confirmation_mails("Odette@die.example")
    assert answer_link(invited) in mail.body_text


@frozen(TODAY)
def test_a_robot_filling_the_honeypot_reads_the_same_page_and_nothing_is_kept(client, meeting):
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert '<div class="form-hp" aria-hidden="true">' in page and 'name="website"' in page
    response = answer_from_the_page(client, meeting, website="https://spam.example")
    assert response.status_code == 200 and "Plus qu'une étape" in text_of(response)
    assert not MeetingAnswer.objects.exists()
    assert not OutgoingMail.objects.exists()


@frozen(TODAY)
def test_one_client_address_cannot_flood_the_guest_form(client, meeting, settings):
    settings.PUBLIC_FORM_RATE_LIMIT = 2
    url = reverse("groups:guest_answer", kwargs={"slug": meeting.group.slug, "pk": meeting.pk})
    statuses = [
        client.post(
            url,
            {"name": f"Invité {i}", "email": f"invite{i}@example.org", "response": "yes"},
            REMOTE_ADDR="192.0.2.7",
        ).status_code
        for i in range(3)
    ]
    assert statuses == [200, 200, 429]
    assert MeetingAnswer.objects.count() == 2
    other = client.post(
        url,
        {"name": "Voisin", "email": "voisin@example.org", "response": "no"},
        REMOTE_ADDR="192.0.2.8",
    )
    assert other.status_code == 200
    # An IPv6 client is its /64: rotating through its addresses buys nothing.
    settings.PUBLIC_FORM_RATE_LIMIT = 1
    statuses = [
        client.post(
            url,
            {"name": f"Robot {i}", "email": f"robot{i}@example.org", "response": "yes"},
            REMOTE_ADDR=f"2001:db8:1:2::{i + 1}",
        ).status_code
        for i in range(2)
    ]
    assert statuses == [200, 429]


@frozen(TODAY)
def test_the_confirmation_page_shows_the_answer_and_one_confirm_button(client, meeting):
    answer_from_the_page(client, meeting, response="maybe")
    answer = MeetingAnswer.objects.get()

    page = text_of(client.get(answer_link(answer)))

    assert "votre réponse\u00a0: <strong>Peut-être</strong>" in page
    assert page.count(">Confirmer</button>") == 1
    assert 'value="maybe" class="button button-large">Confirmer' in page
    # The other answers stay offered, as secondary buttons.
    assert 'value="yes" class="button button-secondary"' in page
    assert 'value="maybe" class="button button-secondary"' not in page

    client.post(answer_link(answer), {"response": "maybe"})
    answer.refresh_from_db()
    assert answer.confirmed_at is not None and answer.response == "maybe"
    page = text_of(client.get(answer_link(answer)))
    assert ">Confirmer</button>" not in page
    assert "Votre réponse actuelle\u00a0: <strong>Peut-être</strong>" in page


@frozen(TODAY)
def test_the_guest_form_is_built_like_the_join_form(client, meeting):
    page = text_of(client.get(meeting.get_absolute_url()))
    form = page.split('class="guest-answer public-form"')[1].split("</form>")[0]
    assert form.count('<div class="form-field">') == 3
    assert 'class="form-submit"' in form


@frozen(TODAY)
def test_a_flooded_public_form_shows_the_join_form_s_page(client, meeting, settings):
    # Issue 25: one page for every public form sent too often (the join form's included),
    # with the time to wait for people and `Retry-After` for machines.
    settings.PUBLIC_FORM_RATE_LIMIT = 0
    settings.JOIN_RATE_LIMIT = 0
    url = reverse("groups:guest_answer", kwargs={"slug": meeting.group.slug, "pk": meeting.pk})
    guest = client.post(url, {"name": "Invité", "email": "invite@example.org", "response": "yes"})
    joining = client.post(reverse("joining:join"), {"website": ""})
    assert (guest.status_code, joining.status_code) == (429, 429)
    article = re.compile(r"<article.*</article>", re.S)
    assert article.search(text_of(guest))[0] == article.search(text_of(joining))[0]
    assert "Merci de patienter un peu" in text_of(guest)
    assert guest["Retry-After"] == str(settings.PUBLIC_FORM_RATE_WINDOW)
