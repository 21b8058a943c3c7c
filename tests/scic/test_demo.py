"""The demo invents no associates: the legal rules, the law's categories, an empty register."""

import io

import pytest
from django.core.management import call_command

from scic.models import Associate, Category, College, Rule, ShareMovement

pytestmark = pytest.mark.django_db


def test_the_demo_loads_the_rules_and_an_empty_register():
    call_command("load_newsletter", stdout=io.StringIO())
    assert Rule.objects.count() == len(Rule.Code.values)
    assert set(Category.objects.values_list("legal_kind", flat=True)) == set(
        Category.LegalKind.values
    )
    assert not Associate.objects.exists()
    assert not ShareMovement.objects.exists()
    assert not College.objects.exists()
