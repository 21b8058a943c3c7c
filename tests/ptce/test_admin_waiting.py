"""The admin's home opens on « Ce qui vous attend »: each count links to the list filtered on
exactly what it counts; nothing is shown when everything is done; a lead counts only their
own groups."""

import datetime
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from groups.models import Meeting
from joining.models import JoinRequest
from members.models import Membership
from outbox.models import OutgoingMail
from tests.factories import (
    GeneralAssemblyFactory,
    JoinRequestFactory,
    MeetingFactory,
    MembershipFactory,
    OutgoingMailFactory,
)

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.ignore_template_errors,  # the admin's own templates rely on silent variables
]


def _panel(client) -> str:
    html = client.get(reverse("admin:index")).content.decode()
    match = re.search(r'<section class="module waiting-panel".*?</section>', html, re.S)
    return unescape(match.group(0)) if match else ""


def _lines(panel: str) -> dict[str, tuple[int, str]]:
    """{text: (count, url)} of the panel's links."""
    return {
        text.strip(): (int(count), url)
        for url, count, text in re.findall(
            r'<a href="([^"]+)"><strong>(\d+)</strong> ([^<]+)</a>', panel
        )
    }


def _changelist_count(client, url: str) -> int:
    """How many rows the linked list holds, as the admin's change list counts them."""
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["cl"].result_count


def test_nothing_is_shown_when_everything_is_done(coordinator_client):
    assert _panel(coordinator_client) == ""


def test_each_count_links_to_the_list_of_exactly_what_it_counts(coordinator_client):
    today = timezone.localdate()
    JoinRequestFactory.create_batch(2)
    accepted = JoinRequestFactory(status=JoinRequest.Status.ACCEPTED, handled_at=timezone.now())
    OutgoingMailFactory(join_request=accepted, status=OutgoingMail.Status.FAILED)
    OutgoingMailFactory(
        join_request=accepted, status=OutgoingMail.Status.SENT, sent_at=timezone.now()
    )
    OutgoingMailFactory.create_batch(3, join_request=accepted)  # waiting to be sent
    MeetingFactory(date=today - datetime.timedelta(days=3))  # held, not closed
    MeetingFactory(date=today - datetime.timedelta(days=3), is_cancelled=True)
    MeetingFactory(date=today + datetime.timedelta(days=3))
    MeetingFactory(
        date=today - datetime.timedelta(days=20),
        status=Meeting.Status.HELD,
        minutes="Compte rendu",
    )
    GeneralAssemblyFactory(date=today + datetime.timedelta(days=40))
    MembershipFactory(year=today.year, status=Membership.Status.PENDING)
    MembershipFactory(year=today.year, status=Membership.Status.ACTIVE)

    lines = _lines(_panel(coordinator_client))

    texts = {text: count for text, (count, _url) in lines.items()}
    assert texts == {
        "nouvelles demandes d'adhésion ou de participation à traiter": 2,
        "e-mail en échec, à vérifier et renvoyer": 1,
        "e-mails en attente d'envoi": 3,
        "réunion passée à clore (présences non relevées)": 1,
        "réunion tenue dont le compte rendu n'est pas publié": 1,
        "assemblée générale à venir dont les convocations ne sont pas envoyées": 1,
        f"adhésion {today.year} en attente de cotisation": 1,
    }
    for text, (count, url) in lines.items():
        assert _changelist_count(coordinator_client, url) == count, (text, url)


def test_a_lead_counts_only_their_groups_meetings(two_groups, client):
    today = timezone.localdate()
    MeetingFactory(group=two_groups.group_a, date=today - datetime.timedelta(days=2))
    MeetingFactory(group=two_groups.group_b, date=today - datetime.timedelta(days=2))
    MeetingFactory(group=two_groups.group_b, date=today - datetime.timedelta(days=4))
    client.force_login(two_groups.lead_user_a)

    lines = _lines(_panel(client))

    count, url = lines["réunion passée à clore (présences non relevées)"]
    assert count == 1
    assert _changelist_count(client, url) == 1
    # A lead sees no join requests nor mails: never a line about them.
    JoinRequestFactory()
    assert not any("demande" in text for text in _lines(_panel(client)))


def test_the_dashboards_panels_stay_on_the_dashboard(coordinator_client, legal_rules):
    """Django's page of one app extends the dashboard's template: « Ce qui vous attend », the
    SCIC's checks and the report's link are the dashboard's, not repeated on « Groupes de
    travail » or « Membres »."""
    JoinRequestFactory()
    dashboard = coordinator_client.get(reverse("admin:index")).content.decode()
    assert 'class="module waiting-panel"' in dashboard
    assert "Contrôles légaux et statutaires" in dashboard
    assert 'id="report-dashboard-link"' in dashboard
    for app in ("groups", "members", "scic"):
        page = coordinator_client.get(reverse("admin:app_list", args=[app])).content.decode()
        assert 'class="module waiting-panel"' not in page
        assert "Contrôles légaux et statutaires" not in page
        assert 'id="report-dashboard-link"' not in page
