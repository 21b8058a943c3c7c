"""Accepting a join request mails the applicant a welcome (their groups' next meetings, their
pending membership, how to reach « Mon espace »), and the accept page says it will."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse

from outbox.models import OutgoingMail
from tests.conftest import text_of
from tests.factories import JoinRequestFactory, WorkingGroupFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

NOW = datetime.datetime(2025, 10, 7, 14, 0, tzinfo=datetime.UTC)


def test_accepting_mails_the_applicant_a_welcome_and_the_accept_page_says_so(
    coordinator_client, django_capture_on_commit_callbacks
):
    from groups.models import Meeting
    from tests.factories import MeetingFactory, VenueFactory

    group = WorkingGroupFactory(name="Alimentation durable")
    apei = VenueFactory(name="APEI", address="239 rue Philibert Robiaud", town="Hénin-Beaumont")
    MeetingFactory(group=group, date=datetime.date(2025, 10, 7), venue=apei)
    MeetingFactory(group=group, date=datetime.date(2025, 12, 2), venue=apei)
    MeetingFactory(group=group, date=datetime.date(2025, 11, 4), is_cancelled=True)
    MeetingFactory(group=group, date=datetime.date(2025, 9, 2))  # already past
    join_request = JoinRequestFactory(
        first_name="Louise", email="louise@example.org", wants_membership=True, wants_groups=True
    )
    join_request.groups.add(group)
    accept_url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])

    with time_machine.travel(NOW, tick=False):
        page = re.sub(r"<[^>]+>", "", text_of(coordinator_client.get(accept_url)))
        assert "Un e-mail de bienvenue part à louise@example.org" in page
        assert "Mon espace" in page
        with django_capture_on_commit_callbacks(execute=False):
            response = coordinator_client.post(accept_url, {"person_choice": "new"})

    assert response.status_code == 302
    welcome = OutgoingMail.objects.get(kind="join-welcome")
    assert welcome.recipient == "louise@example.org"
    assert welcome.status == OutgoingMail.Status.PENDING
    assert welcome.subject.endswith("bienvenue, votre demande est acceptée")
    body = welcome.body_text.replace("\u00a0", " ")

    assert body.startswith("Bonjour Louise,")
    assert "« Alimentation durable »" in body
    assert "mardi 7 octobre 2025 à 14 h, APEI, 239 rue Philibert Robiaud, Hénin-Beaumont" in body
    assert "mardi 2 décembre 2025" in body
    assert "4 novembre" not in body and "2 septembre" not in body
    assert "http://testserver/mon-espace/connexion/" in body
    assert "adhésion 2025" in body
    assert Meeting.objects.count() == 4
    change_url = reverse("admin:joining_joinrequest_change", args=[join_request.pk])
    messages = text_of(coordinator_client.get(change_url))
    assert "Un e-mail de bienvenue lui est envoyé." in messages
