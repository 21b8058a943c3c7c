"""Declining join requests in the back-office: the internal reason, and the answer the
applicant may get."""

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError

from joining.models import JoinRequest
from joining.services import decline_join_request
from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import JoinRequestFactory
from tests.joining.test_admin import NOW, _change_url, _run_action

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables


def test_decline_with_a_reason_end_to_end(coordinator_client, coordinator):
    first, second = JoinRequestFactory(), JoinRequestFactory()

    response = _run_action(coordinator_client, "decline", first, second)
    decline_url = response["Location"]
    assert "Refuser des demandes" in text_of(coordinator_client.get(decline_url))

    response = coordinator_client.post(decline_url, {"reason": "  "})
    assert "Indiquez le motif du refus." in text_of(response)
    assert JoinRequest.objects.filter(status="declined").count() == 0

    with time_machine.travel(NOW, tick=False):
        coordinator_client.post(decline_url, {"reason": "Hors du territoire de la CAHC."})

    for join_request in (first, second):
        join_request.refresh_from_db()
        assert join_request.status == JoinRequest.Status.DECLINED
        assert join_request.decline_reason == "Hors du territoire de la CAHC."
        assert join_request.handled_by == coordinator
        assert join_request.handled_at == NOW


def test_the_applicant_is_answered_when_the_coordinator_says_so(coordinator_client, site_identity):
    """The decline page offers to answer the applicant, with an editable message (the internal
    reason never leaves): the mail goes through the outbox, from the association, with how
    long the request is kept; without the box ticked, nothing is sent."""
    answered = JoinRequestFactory(first_name="Louise", email="louise@example.org")
    silent = JoinRequestFactory()
    page = coordinator_client.get(_run_action(coordinator_client, "decline", answered)["Location"])
    assert "Nous avons bien étudié votre demande" in page.content.decode()
    assert re.search(r'<input type="checkbox" name="notify"[^>]* checked>', page.content.decode())

    url = _run_action(coordinator_client, "decline", answered)["Location"]
    refused = coordinator_client.post(url, {"reason": "Hors territoire.", "notify": "on"})
    assert "Écrivez le message au demandeur" in text_of(refused)
    assert not OutgoingMail.objects.filter(kind="join-declined").exists()
    coordinator_client.post(
        url,
        {"reason": "Hors territoire.", "notify": "on", "message": "Le pôle couvre la CAHC."},
    )
    url = _run_action(coordinator_client, "decline", silent)["Location"]
    coordinator_client.post(url, {"reason": "Doublon.", "message": "Jamais envoyé."})

    (sent,) = OutgoingMail.objects.filter(kind="join-declined")
    assert sent.about == answered and sent.recipient == "louise@example.org"
    assert sent.subject.endswith("\u00a0: réponse à votre demande")
    assert sent.body_text.startswith("Bonjour Louise,\n\nLe pôle couvre la CAHC.")
    assert "effacées 6 mois après cette réponse" in sent.body_text
    assert "Hors territoire" not in sent.body_text
    assert sent.reply_to == site_identity.email
    assert JoinRequest.objects.filter(status="declined").count() == 2


def test_decline_from_the_request_page(coordinator_client):
    join_request = JoinRequestFactory()

    response = coordinator_client.post(
        _change_url(join_request),
        {"CHANGE_FORM-action": "decline", "_selected_action": join_request.pk},
    )
    coordinator_client.post(response["Location"], {"reason": "Demande en double."})

    join_request.refresh_from_db()
    assert join_request.status == JoinRequest.Status.DECLINED


def test_decline_service_needs_a_reason(db, coordinator):
    with pytest.raises(ValidationError, match="motif"):
        decline_join_request(join_request=JoinRequestFactory(), handled_by=coordinator, reason="")
