"""The network's drawing, written as strings (report/network.py): every name escaped, whatever
it holds, and the details said on hover and focus in French typography."""

import datetime
import re
import xml.etree.ElementTree as ET
from collections import Counter

import pytest
from django.urls import reverse

from association.formats import NBSP
from tests.factories import (
    CooperationFactory,
    ProjectFactory,
    StructureFactory,
    WorkingGroupFactory,
)
from tests.public_site import frozen

pytestmark = pytest.mark.django_db

ODD = 'L\'Atelier & Cie <test> "n°1"'


def _svg(html: str) -> ET.Element:
    return ET.fromstring(re.search(r'<svg class="network".*?</svg>', html, re.S).group())


@frozen(datetime.date(2025, 9, 1))
def test_names_with_markup_characters_are_drawn_as_written(client):
    group = WorkingGroupFactory(name="Emploi & <insertion>")
    odd, partner = StructureFactory(name=ODD), StructureFactory(name="Partenaire")
    group.participant_structures.add(odd, partner)
    CooperationFactory(
        title="Boutique « <b>Coup</b> » & l'atelier",
        structures=[odd, partner],
        group=group,
        project=ProjectFactory(group=group, name='Projet "A&B"'),
    )
    html = client.get(reverse("report:network")).content.decode()
    svg = _svg(html)  # parses: nothing left unescaped
    assert "<test>" not in html and "<b>" not in html and "<insertion>" not in html
    names = {
        "".join(text.itertext()).strip() for text in svg.iter("{http://www.w3.org/2000/svg}text")
    } | {"".join(text.itertext()).strip() for text in svg.iter("text")}
    assert ODD in names and "Emploi & <insertion>" in names
    details = [element.get("data-detail") for element in svg.iter() if element.get("data-detail")]
    assert any(detail.startswith(ODD) for detail in details)
    assert any("<b>Coup</b>" in detail and 'Projet "A&B"' in detail for detail in details)
    ids = re.findall(r'\sid="([^"]+)"', html)
    assert [id_ for id_, count in Counter(ids).items() if count > 1] == []


@frozen(datetime.date(2025, 9, 1))
def test_the_details_on_hover_and_focus_keep_french_spacing(client):
    group = WorkingGroupFactory(name="Mobilité")
    one, other = StructureFactory(name="Garage"), StructureFactory(name="Atelier")
    group.participant_structures.add(one, other)
    CooperationFactory(title="Boutique", structures=[one, other], group=group)
    svg = _svg(client.get(reverse("report:network")).content.decode())
    details = {element.get("data-detail") for element in svg.iter() if element.get("data-detail")}
    titles = {
        "".join(element.itertext()) for element in svg.iter() if element.tag.endswith("title")
    }
    assert f"Groupe Mobilité{NBSP}: 2 structures dessinées" in details
    assert f"Coopération «{NBSP}Boutique{NBSP}»{NBSP}: Garage, Atelier" in details | titles
    assert any(f"groupes{NBSP}: Mobilité" in detail for detail in details)
    assert any(f"coopère avec{NBSP}: Atelier (Boutique)" in detail for detail in details)
    for text in details | titles:
        assert not re.search(r" [:;»]|« ", text), text
