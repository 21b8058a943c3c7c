"""A lead's back-office account: given by the coordinator in one action, a mail with a link to
choose a password (valid three days); then the lead's lists, measured at two sizes."""

import html
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.urls import reverse

from association.roles import LEAD_GROUP, lead_permission_codenames
from groups.models import LeadMailKind
from members.models import Person
from outbox.models import OutgoingMail
from tests.factories import (
    DocumentFactory,
    GroupLeadFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    UserFactory,
    WorkingGroupFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def test_the_lead_role_holds_exactly_the_declared_permissions(db):
    from django.contrib.auth.models import Group

    held = set(
        Group.objects.get(name=LEAD_GROUP).permissions.values_list(
            "content_type__app_label", "codename"
        )
    )
    assert held == lead_permission_codenames()
    assert ("groups", "manage_every_group") not in held


def _give(client, lead):
    return client.post(
        reverse("admin:groups_grouplead_changelist"),
        {"action": "give_account", "_selected_action": [lead.pk]},
    )


def test_the_coordinator_gives_a_lead_an_account_and_the_lead_chooses_a_password(
    coordinator_client, client
):
    lead = GroupLeadFactory(person__email="odette@example.org")
    second = GroupLeadFactory(person=lead.person)  # she leads two groups
    _give(coordinator_client, lead)
    user = get_user_model().objects.get(username="odette@example.org")
    assert user.is_staff and not user.has_usable_password()
    assert user.groups.filter(name=LEAD_GROUP).exists()
    second.refresh_from_db()
    assert second.user == user
    mail = OutgoingMail.objects.get(kind=LeadMailKind.ACCOUNT)
    assert mail.recipient == "odette@example.org"
    link = re.search(r"http://testserver(/\S+/mot-de-passe/\S+/)", mail.body_text).group(1)
    form = client.get(link, follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0] if form.redirect_chain else link,
        {
            "new_password1": "Un-mot-de-passe-solide-42",
            "new_password2": "Un-mot-de-passe-solide-42",
        },
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Un-mot-de-passe-solide-42")
    # Once used, the link is void.
    assert "invalide" in client.get(link, follow=True).content.decode().lower() or (
        client.get(link, follow=True).context["validlink"] is False
    )


def test_the_password_link_expires_after_three_days(coordinator_client, client):
    lead = GroupLeadFactory(person__email="brigitte@example.org")
    with time_machine.travel("2025-10-01 09:00 +0200", tick=False):
        _give(coordinator_client, lead)
    link = re.search(
        r"http://testserver(/\S+/mot-de-passe/\S+/)",
        OutgoingMail.objects.get(kind=LeadMailKind.ACCOUNT).body_text,
    ).group(1)
    with time_machine.travel("2025-10-04 10:00 +0200", tick=False):
        response = client.get(link, follow=True)
    assert response.context["validlink"] is False


def test_a_lead_without_an_e_mail_gets_no_account(coordinator_client):
    lead = GroupLeadFactory(person__email="")
    response = _give(coordinator_client, lead)
    assert response.status_code == 302
    assert not get_user_model().objects.filter(group_leads=lead).exists()


def test_a_lead_cannot_give_accounts(two_groups, lead_client):
    other = GroupLeadFactory(group=two_groups.group_a, person__email="x@example.org")
    _give(lead_client, other)
    assert not OutgoingMail.objects.exists()


LEAD_LISTS = [
    "groups_workinggroup_changelist",
    "groups_meeting_changelist",
    "groups_document_changelist",
    "groups_project_changelist",
    "members_person_changelist",
]


@pytest.mark.parametrize("name", LEAD_LISTS)
def test_a_lead_s_lists_cost_the_same_queries_at_two_sizes(name, two_groups, lead_client):
    lead_client.get(reverse(f"admin:{name}"))  # caches warmed (content types, identity)
    counts = []
    for size in (2, 20):
        for _ in range(size):
            person = PersonFactory()
            two_groups.group_a.participant_people.add(person)
            meeting = MeetingFactory(group=two_groups.group_a)
            DocumentFactory(group=two_groups.group_a, meeting=meeting)
            ProjectFactory(group=two_groups.group_a)
            WorkingGroupFactory()  # others' groups, never shown
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert lead_client.get(reverse(f"admin:{name}")).status_code == 200
        counts.append(len(queries))
    # The same count at 2 and 20 rows of each (the other groups' rows are never read).
    assert counts[0] == counts[1], counts


def test_a_lead_closing_a_meeting_learns_nothing_of_the_member_file(two_groups, client):
    """Typing a name or an e-mail on the closing page must not tell a lead who is in the file
    outside their groups: a lead creates nobody, and the page says so without searching."""
    PersonFactory(first_name="Hidden", last_name="Outsider", email="hidden@example.org")
    client.force_login(two_groups.lead_user_a)
    meeting = two_groups.past_a
    url = reverse("admin:groups_meeting_close", args=[meeting.pk])
    page = client.get(url).content.decode()
    assert "Seule la coordination ajoute une personne au fichier" in html.unescape(page)
    response = client.post(
        url,
        {
            "unrecorded": "0",
            "minutes": "",
            "decisions": "",
            "nouveaux-TOTAL_FORMS": "1",
            "nouveaux-INITIAL_FORMS": "0",
            "nouveaux-0-first_name": "Hidden",
            "nouveaux-0-last_name": "Outsider",
            "nouveaux-0-email": "hidden@example.org",
        },
    )
    text = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "Seule la coordination ajoute une personne au fichier" in text
    assert "OUTSIDER" not in text and "déjà dans le fichier" not in text
    assert Person.objects.filter(last_name="Outsider").count() == 1  # nobody created


def test_giving_an_account_never_revives_a_disabled_one(coordinator_client):
    lead = GroupLeadFactory(person__email="ancien@example.org")
    UserFactory(username="ancien", email="ancien@example.org", is_active=False, is_staff=True)
    response = coordinator_client.post(
        reverse("admin:groups_grouplead_changelist"),
        {"action": "give_account", "_selected_action": [lead.pk]},
        follow=True,
    )
    assert "est désactivé" in html.unescape(response.content.decode())
    assert not OutgoingMail.objects.exists()
    lead.refresh_from_db()
    assert lead.user is None


def test_an_account_named_after_the_address_is_reused_not_duplicated(coordinator_client):
    lead = GroupLeadFactory(person__email="chef@example.org")
    existing = UserFactory(username="chef@example.org", email="", is_staff=False)
    _give(coordinator_client, lead)
    lead.refresh_from_db()
    assert lead.user == existing
