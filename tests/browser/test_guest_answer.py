"""The guest answer form of a meeting page looks like the join form (same fields, labels,
boxes and button, measured in Chromium), and its confirmation page offers one clear
« Confirmer »."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import MeetingAnswer
from tests.browser.conftest import PHONE, assert_accessible, assert_fits
from tests.factories import MeetingFactory

pytestmark = [pytest.mark.journey, pytest.mark.django_db(transaction=True)]

LOOK = """selector => {
  const el = document.querySelector(selector);
  const s = getComputedStyle(el);
  return {
    font: s.fontFamily + ' ' + s.fontSize + ' ' + s.fontWeight,
    color: s.color, background: s.backgroundColor, border: s.borderTop, radius: s.borderRadius,
    height: el.getBoundingClientRect().height, display: s.display,
  };
}"""
# The same kind of element in each form.
PARTS = {
    "label": ("form.join-form label[for=id_first_name]", "form.guest-answer label[for=id_name]"),
    "text box": ("form.join-form #id_first_name", "form.guest-answer #id_name"),
    "e-mail box": ("form.join-form #id_email", "form.guest-answer #id_email"),
    "legend": ("form.join-form fieldset legend", "form.guest-answer fieldset legend"),
    "button": ("form.join-form button[type=submit]", "form.guest-answer button[type=submit]"),
}


@pytest.fixture
def meeting(live_server, settings):
    settings.JOIN_MIN_FILL_SECONDS = 0
    return MeetingFactory(
        group__slug="alimentation",
        date=timezone.localdate() + datetime.timedelta(days=20),
        start_time=datetime.time(14),
    )


def test_the_guest_form_looks_like_the_join_form(live_server, page, meeting):
    page.goto(live_server.url + reverse("joining:join"))
    join = {name: page.evaluate(LOOK, selectors[0]) for name, selectors in PARTS.items()}
    page.goto(live_server.url + meeting.get_absolute_url())
    guest = {name: page.evaluate(LOOK, selectors[1]) for name, selectors in PARTS.items()}
    assert guest == join
    assert_accessible(page, "formulaire d'invité")
    page.set_viewport_size(PHONE)
    assert_fits(page, "formulaire d'invité")


def test_a_guest_answers_then_confirms_with_one_button(live_server, page, meeting):
    page.goto(live_server.url + meeting.get_absolute_url())
    page.get_by_label("Prénom et nom").fill("Rachid Cherfaoui")
    page.locator("form.guest-answer #id_email").fill("rachid@example.org")
    page.get_by_label("Peut-être").check()
    page.get_by_role("button", name="Envoyer ma réponse").click()
    page.get_by_role("heading", name="Plus qu'une étape").wait_for()

    from outbox.models import OutgoingMail

    body = OutgoingMail.objects.get(recipient="rachid@example.org").body_text
    link = re.search(r"https?://\S+/reponse/\S+", body) or re.search(r"https?://\S+", body)
    page.goto(link.group(0))
    assert page.get_by_text("votre réponse").first.is_visible()
    assert page.locator("strong", has_text="Peut-être").is_visible()
    assert page.get_by_role("button", name="Confirmer").count() == 1
    assert_accessible(page, "confirmation d'une réponse")
    page.get_by_role("button", name="Confirmer").click()
    page.get_by_text("Votre réponse est enregistrée").wait_for()
    answer = MeetingAnswer.objects.get()
    assert answer.confirmed_at is not None and answer.response == "maybe"
