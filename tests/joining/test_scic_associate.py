"""A structure's join request can ask to become an associate of the SCIC; accepting it opens
the register's form with a suggested category and college."""

import pytest
from django.urls import reverse
from django.utils.http import urlencode

from joining.forms import JoinRequestForm
from scic.models import Category
from tests.conftest import text_of
from tests.factories import CollegeFactory, JoinRequestFactory, category

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def test_only_a_structure_can_ask_to_become_an_associate(join_data):
    for_structure = JoinRequestForm(
        join_data(
            applicant_kind="structure",
            structure_name="Mairie de Courrières",
            structure_kind="local_authority",
            wants_associate="on",
        )
    )
    assert for_structure.is_valid(), for_structure.errors
    assert for_structure.cleaned_data["wants_associate"] is True
    for_person = JoinRequestForm(join_data(wants_associate="on"))
    assert for_person.is_valid(), for_person.errors
    assert for_person.cleaned_data["wants_associate"] is False


@pytest.mark.usefixtures("legal_rules")
def test_accepting_suggests_a_category_and_a_college(coordinator_client):
    college = CollegeFactory(name="Collectivités", suggested_structure_kinds=["local_authority"])
    join_request = JoinRequestFactory(
        applicant_kind="structure",
        structure_name="Mairie de Courrières",
        structure_kind="local_authority",
        wants_associate=True,
    )
    url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])
    page = text_of(coordinator_client.get(url))
    assert "catégorie suggérée <strong>Collectivités publiques</strong>" in page
    assert "collège suggéré <strong>Collectivités</strong>" in page
    response = coordinator_client.post(url, {"person_choice": "new", "structure_choice": "new"})
    join_request.refresh_from_db()
    public = category(Category.LegalKind.PUBLIC_AUTHORITIES)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:scic_associate_add") + "?")
    assert urlencode({"category": public.pk}) in response["Location"]
    assert urlencode({"college": college.pk}) in response["Location"]
    assert urlencode({"structure": join_request.structure_id}) in response["Location"]
    form = text_of(coordinator_client.get(response["Location"]))
    assert "Mairie de Courrières" in form


@pytest.mark.usefixtures("legal_rules")
def test_another_structure_is_suggested_the_others_category(coordinator_client):
    join_request = JoinRequestFactory(
        applicant_kind="structure",
        structure_name="Garage solidaire",
        structure_kind="association",
        wants_associate=True,
    )
    url = reverse("admin:joining_joinrequest_accept", args=[join_request.pk])
    response = coordinator_client.post(url, {"person_choice": "new", "structure_choice": "new"})
    others = category(Category.LegalKind.OTHERS)
    assert urlencode({"category": others.pk}) in response["Location"]
    assert "college" not in response["Location"]
