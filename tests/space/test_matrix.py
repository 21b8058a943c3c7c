"""Who gets what: each role — anonymous, participant of group A, participant of group B, lead
of A, lead of B, coordinator — through the public site, the space, the documents and the
back-office (lists, the other group's records, their history, delete pages, autocompletes,
the sign-in sheet and closing page, actions, exports).

« ok » is a 200 whose page never holds the other group's secrets (« SECRET-B » for A's
people, and the other way round); « no » is a refusal that shows nothing: a redirection (to a
sign-in page, or the admin's « n'existe pas »), 403 or 404."""

import json

import pytest
from django.urls import reverse

from tests.conftest import sign_in_to_space

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors, pytest.mark.slow]

ROLES = ["anonymous", "participant_a", "participant_b", "lead_a", "lead_b", "coordinator"]
OK, NO = "ok", "no"
EVERYONE = dict.fromkeys(ROLES, OK)


def _only(*roles):
    return {role: OK if role in roles else NO for role in ROLES}


def _admin(name, *args):
    return reverse(f"admin:{name}", args=args)


def _cases(g):
    """(label, url, who gets it)."""
    a, b = "a", "b"
    cases = [
        ("accueil", reverse("site:home"), EVERYONE),
        ("groupes", reverse("groups:group_list"), EVERYONE),
        ("groupe A", g.group_a.get_absolute_url(), EVERYONE),
        ("réunion passée A (page publique)", g.past_a.get_absolute_url(), EVERYONE),
        ("agenda", reverse("site:agenda"), EVERYONE),
        ("espace", reverse("space:home"), _only("participant_a", "participant_b")),
        ("connexion à l'espace", reverse("space:sign_in"), _only("anonymous", *ROLES[3:])),
        ("document public A", reverse("space:document", args=[g.public_document_a.pk]), EVERYONE),
        ("changelist utilisateurs", _admin("association_user_changelist"), _only()),
        (
            "changelist demandes d'adhésion",
            _admin("joining_joinrequest_changelist"),
            _only("coordinator"),
        ),
        ("changelist adhésions", _admin("members_membership_changelist"), _only("coordinator")),
        ("changelist e-mails", _admin("outbox_outgoingmail_changelist"), _only("coordinator")),
        (
            "changelist chiffres",
            _admin("report_yearlyfigures_changelist"),
            _only("coordinator"),
        ),
        ("changelist événements", _admin("events_event_changelist"), _only("coordinator")),
        (
            "changelist demandes d'effacement",
            _admin("space_erasurerequest_changelist"),
            _only("coordinator"),
        ),
        ("ajout d'un groupe", _admin("groups_workinggroup_add"), _only("coordinator")),
    ]
    for model in (
        "workinggroup",
        "meeting",
        "meetingseries",
        "project",
        "document",
        "grouplead",
        "person",
        "structure",
    ):
        cases.append(
            (
                f"changelist {model}",
                _admin(
                    f"groups_{model}_changelist"
                    if model not in ("person", "structure")
                    else f"members_{model}_changelist"
                ),
                _only("lead_a", "lead_b", "coordinator"),
            )
        )
    for key in (a, b):
        mine = _only(f"participant_{key}", f"lead_{key}", "coordinator")
        leads = _only(f"lead_{key}", "coordinator")
        past = getattr(g, f"past_{key}")
        cases += [
            (
                f"espace, réunion {key}",
                reverse("space:meeting", args=[past.pk]),
                _only(f"participant_{key}"),
            ),
            (
                f"document réservé {key}",
                reverse("space:document", args=[getattr(g, f"document_{key}").pk]),
                mine,
            ),
            (
                f"fiche groupe {key}",
                _admin("groups_workinggroup_change", getattr(g, f"group_{key}").pk),
                leads,
            ),
            (f"fiche réunion {key}", _admin("groups_meeting_change", past.pk), leads),
            (f"historique réunion {key}", _admin("groups_meeting_history", past.pk), leads),
            (f"suppression réunion {key}", _admin("groups_meeting_delete", past.pk), leads),
            (f"émargement {key}", _admin("groups_meeting_sign_in_sheet", past.pk), leads),
            (f"clôture {key}", _admin("groups_meeting_close", past.pk), leads),
            (
                f"fiche série {key}",
                _admin("groups_meetingseries_change", getattr(g, f"series_{key}").pk),
                leads,
            ),
            (
                f"fiche projet {key}",
                _admin("groups_project_change", getattr(g, f"project_{key}").pk),
                leads,
            ),
            (
                f"historique projet {key}",
                _admin("groups_project_history", getattr(g, f"project_{key}").pk),
                leads,
            ),
            (
                f"fiche document {key}",
                _admin("groups_document_change", getattr(g, f"document_{key}").pk),
                leads,
            ),
            (
                f"fiche chef·fe de file {key}",
                _admin("groups_grouplead_change", getattr(g, f"lead_{key}").pk),
                leads,
            ),
            (
                f"fiche participant {key}",
                _admin("members_person_change", getattr(g, f"participant_{key}").pk),
                leads,
            ),
            (
                f"historique participant {key}",
                _admin("members_person_history", getattr(g, f"participant_{key}").pk),
                leads,
            ),
        ]
    return cases


def _client_for(role, g, client, coordinator):
    if role == "coordinator":
        client.force_login(coordinator)
    elif role.startswith("lead_"):
        client.force_login(getattr(g, f"lead_user_{role[-1]}"))
    elif role.startswith("participant_"):
        sign_in_to_space(client, getattr(g, role))
    return client


def _secrets_hidden_from(role) -> list[str]:
    if role.endswith("_a"):
        return ["SECRET-B"]
    if role.endswith("_b"):
        return ["SECRET-A"]
    return []


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_its_pages(role, two_groups, client, coordinator):
    g = two_groups
    client = _client_for(role, g, client, coordinator)
    wrong = []
    for label, url, who in _cases(g):
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = body.decode(errors="replace")
        if who[role] == OK:
            if response.status_code != 200:
                wrong.append(f"{label}: {response.status_code}, attendu 200")
            leaked = [s for s in _secrets_hidden_from(role) if s in text]
            if leaked:
                wrong.append(f"{label}: montre {leaked}")
        elif response.status_code not in (302, 403, 404) or (
            response.status_code == 302 and response["Location"].split("?")[0] == url
        ):
            wrong.append(f"{label}: {response.status_code}, attendu un refus")
    assert wrong == []


def test_the_public_pages_never_show_minutes_reserved_to_participants(two_groups, client):
    page = client.get(two_groups.past_a.get_absolute_url()).content.decode()
    assert "Compte rendu SECRET-A" not in page
    assert reverse("space:meeting", args=[two_groups.past_a.pk]) in page


@pytest.mark.parametrize("model", ["person", "structure"])
def test_a_lead_s_autocomplete_finds_only_their_groups_people(two_groups, lead_client, model):
    field = "participant_people" if model == "person" else "participant_structures"
    response = lead_client.get(
        reverse("admin:autocomplete"),
        {"app_label": "groups", "model_name": "workinggroup", "field_name": field, "term": ""},
    )
    assert response.status_code == 200
    found = {int(r["id"]) for r in json.loads(response.content)["results"]}
    a, b = two_groups.participant_a, two_groups.participant_b
    if model == "person":
        assert a.pk in found and b.pk not in found
    else:
        assert a.structure_id in found and b.structure_id not in found


def test_a_lead_s_action_never_reaches_the_other_group(two_groups, lead_client):
    b = two_groups.upcoming_b
    lead_client.post(
        reverse("admin:groups_meeting_changelist"),
        {"action": "mark_cancelled", "_selected_action": [b.pk, two_groups.upcoming_a.pk]},
    )
    b.refresh_from_db()
    two_groups.upcoming_a.refresh_from_db()
    assert not b.is_cancelled
    assert two_groups.upcoming_a.is_cancelled


def test_a_lead_exports_no_personal_data(two_groups, lead_client):
    person = two_groups.participant_a
    response = lead_client.post(
        reverse("admin:members_person_changelist"),
        {"action": "export_personal_data", "_selected_action": [person.pk]},
    )
    assert "application/json" not in response.get("Content-Type", "")
    page = lead_client.get(
        reverse("admin:members_person_change", args=[person.pk])
    ).content.decode()
    assert "Exporter ses données personnelles" not in page
    assert person.phone not in page or not person.phone


def test_a_lead_cannot_move_a_meeting_into_the_other_group(two_groups, lead_client):
    response = lead_client.get(reverse("admin:groups_meeting_add"))
    choices = [str(c) for c in response.context["adminform"].form.fields["group"].queryset]
    assert choices == [two_groups.group_a.name]
