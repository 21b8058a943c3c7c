"""Erasure reaches every record that names the person: the « Mon espace » sign-in mails, a
lead's account mail and their back-office account; and every model holding a person's data
says how erasure treats it, so that a model added later cannot be forgotten."""

import datetime

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Q
from django.urls import reverse

from groups.models import GroupLead
from groups.services.leads import give_lead_account
from members.models import Person
from members.services import personal_data
from outbox.models import OutgoingMail
from space.services.sign_in import send_sign_in_link
from tests.factories import GroupLeadFactory, PersonFactory, UserFactory

PEOPLE = "admin:members_person_changelist"
SITE = "https://portail.example.org"


@pytest.fixture
def lead(db):
    person = PersonFactory(first_name="Brigitte", last_name="Monseu", email="b.monseu@apei.fr")
    return GroupLeadFactory(person=person)


def mails_naming(person_email: str, first_name: str) -> list[OutgoingMail]:
    return list(
        OutgoingMail.objects.filter(
            Q(recipient__iexact=person_email)
            | Q(body_text__icontains=person_email)
            | Q(body_text__icontains=first_name)
        )
    )


def erase_through_the_admin(client, person) -> None:
    response = client.post(
        reverse(PEOPLE), {"action": "erase_personal_data", "_selected_action": [person.pk]}
    )
    assert client.post(response["Location"], {"confirm": "yes"}).status_code == 302


@pytest.mark.ignore_template_errors
def test_erasure_removes_sign_in_mails_and_disables_the_leads_account(coordinator_client, lead):
    person = lead.person
    send_sign_in_link(person=person, site_url=SITE)
    user = give_lead_account(lead=lead, site_url=SITE)
    assert len(mails_naming("b.monseu@apei.fr", "Brigitte")) == 2

    erase_through_the_admin(coordinator_client, person)

    assert mails_naming("b.monseu@apei.fr", "Brigitte") == []
    user.refresh_from_db()
    assert not user.is_active and not user.is_staff and not user.is_superuser
    assert not user.has_usable_password()
    assert not user.groups.exists()
    held = f"{user.username} {user.email} {user.first_name} {user.last_name}".lower()
    assert "monseu" not in held and "brigitte" not in held


@pytest.mark.ignore_template_errors
def test_erasure_reaches_a_former_leads_account_and_its_mail(coordinator_client, lead):
    person = lead.person
    user = give_lead_account(lead=lead, site_url=SITE)
    GroupLead.objects.filter(pk=lead.pk).delete()  # no longer a lead: the account stayed

    erase_through_the_admin(coordinator_client, Person.objects.get(pk=person.pk))

    assert mails_naming("b.monseu@apei.fr", "Brigitte") == []
    user.refresh_from_db()
    assert not user.is_active and not user.is_staff
    assert "monseu" not in f"{user.username} {user.email} {user.last_name}".lower()


def test_erasure_leaves_another_persons_account_alone(db, lead):
    other = UserFactory(username="coordination", email="coordination@example.org", is_staff=True)
    personal_data.erase_person(person=lead.person)
    other.refresh_from_db()
    assert other.is_active and other.is_staff and other.username == "coordination"


def test_the_daily_clean_up_of_old_sign_in_links_deletes_their_mails(db, lead):
    send_sign_in_link(person=lead.person, site_url=SITE)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)
    with time_machine.travel(later, tick=False):
        call_command("apply_retention", verbosity=0)
    assert mails_naming("b.monseu@apei.fr", "Brigitte") == []


# --- Every model holding a person's data is declared -------------------------------------------

PERSONAL_FIELD_NAMES = (
    "email", "phone", "first_name", "last_name", "full_name", "name", "username", "address",
    "ip_address", "user_agent", "message", "recipient", "body", "body_text",
    # A person named as text: who chaired a sitting, who took its minutes.
    "chair", "secretary",
)  # fmt: skip
# A field saying who did something (« enregistré par »): an account's name, a person's.
PERSONAL_FIELD_SUFFIXES = ("_by",)


def holds_personal_data(model) -> bool:
    """A model with a field that looks like a person's data, or pointing at a person or an
    account."""
    people = (Person, get_user_model())
    for model_field in model._meta.get_fields():
        if not getattr(model_field, "concrete", False):
            continue
        if model_field.is_relation and model_field.related_model in people:
            return True
        name = model_field.name
        if not model_field.is_relation and (
            any(name == word or name.endswith(f"_{word}") for word in PERSONAL_FIELD_NAMES)
            or name.endswith(PERSONAL_FIELD_SUFFIXES)
        ):
            return True
    return False


def test_every_model_holding_personal_data_says_how_erasure_treats_it():
    declared = personal_data.personal_data_declarations()
    missing = [
        model._meta.label
        for model in apps.get_models()
        if holds_personal_data(model) and model not in declared
    ]
    assert missing == [], (
        f"{missing}: "
        "Declare how erasure treats these models (members.services.personal_data: "
        "register_personal_data, keep_for_figures or declare_personal_data)"
    )


def test_a_declaration_says_what_happens():
    for model, how in personal_data.personal_data_declarations().items():
        assert how.strip(), model


def test_erasure_removes_the_queued_requests_for_a_link_with_the_typed_address(db, lead, client):
    from django_tasks_db.models import DBTaskResult

    client.post(reverse("space:sign_in"), {"email": "B.Monseu@apei.fr"})
    assert DBTaskResult.objects.filter(args_kwargs__icontains="monseu").exists()
    personal_data.erase_person(person=lead.person)
    assert not DBTaskResult.objects.filter(args_kwargs__icontains="monseu").exists()
