"""No technical text where the coordinator reads the SCIC's pages: a number, not « PK », on
the share movements; the kinds of structure ticked by name, not typed as JSON."""

import re

import pytest
from django.urls import reverse

from tests.conftest import text_of
from tests.factories import AssociateFactory, CollegeFactory, ShareMovementFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables


def test_share_movements_are_numbered_not_pk(coordinator_client):
    movement = ShareMovementFactory()
    page = text_of(coordinator_client.get(reverse("admin:scic_sharemovement_changelist")))
    headers = re.findall(r'<div class="text">(?:<a [^>]*>)?([^<]*)<', page)
    assert headers[1:3] == ["N°", "Date"]
    assert "PK" not in headers
    assert re.search(rf'<th class="field-number"><a href="[^"]*">{movement.pk}</a>', page)


def test_a_college_s_structure_kinds_are_ticked_by_name(coordinator_client):
    college = CollegeFactory(suggested_structure_kinds=["local_authority"])
    url = reverse("admin:scic_college_change", args=[college.pk])
    page = text_of(coordinator_client.get(url))
    assert '["local_authority"]' not in page  # the JSON box it was
    box = r'<input type="checkbox" name="suggested_structure_kinds" value="local_authority"'
    assert re.search(box + r"[^>]*checked", page)
    assert "Collectivité territoriale" in page
    response = coordinator_client.post(
        url,
        {
            "name": college.name,
            "vote_share": "25",
            "description": "",
            "position": "0",
            "suggested_structure_kinds": ["association", "cooperative"],
        },
    )
    assert response.status_code == 302, text_of(response)
    college.refresh_from_db()
    assert college.suggested_structure_kinds == ["association", "cooperative"]


def test_the_exit_page_s_labels_start_with_a_capital(coordinator_client, legal_rules):
    associate = AssociateFactory()
    page = text_of(
        coordinator_client.get(reverse("admin:scic_associate_exit", args=[associate.pk]))
    )
    assert ">Date de sortie\u00a0:</label>" in page
    assert not re.search(r"<label[^>]*>\s*[a-zàâçéèêëîïôûù]", page)
