"""The member file's look-alike check, shared by the join workflow and meeting attendance."""

import pytest

from members.services.matching import find_people_like, find_structures_like
from tests.factories import PersonFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_people_alike_by_email_in_any_case_first_then_by_name_in_either_order():
    namesake = PersonFactory(first_name="Odette", last_name="Dauchet", email="")
    same_email = PersonFactory(first_name="O.", last_name="D.", email="odette@die.fr")
    PersonFactory(first_name="Odile", last_name="Dauchet")
    assert find_people_like(first_name="odette", last_name="DAUCHET", email=" Odette@DIE.fr ") == [
        same_email,
        namesake,
    ]
    assert find_people_like(first_name="Dauchet", last_name="Odette") == [namesake]


def test_people_alike_ignore_accents_hyphens_and_an_empty_email():
    jean_michel = PersonFactory(first_name="Jean-Michel", last_name="Bondu", email="")
    assert find_people_like(first_name="jean michel", last_name="BONDU", email="") == [jean_michel]
    assert find_people_like(first_name="", last_name="", email="") == []


def test_structures_alike_by_name_or_acronym():
    apei = StructureFactory(name="APEI Hénin-Carvin", acronym="A.P.E.I.")
    assert find_structures_like(name="apei") == [apei]
    assert find_structures_like(name="Apei Henin Carvin") == [apei]
    assert find_structures_like(name="  ") == []
