"""Every list, add and change page of every model registered in the admin opens without an
error, for the coordinator, a group lead and a superuser, on a database holding a record of
every kind (every kind of mail included, about every kind of record).

The models come from the admin's registry: a model registered later is covered without
touching this file, and `build_every_record` fails until it holds a record of it."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.urls import reverse

from association.roles import COORDINATOR_GROUP
from tests.every_record import build_every_record
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def admin_pages(model) -> list[str]:
    """The model's list, its add page and the change page of each of its records."""
    return [
        _url(model, "changelist"),
        _url(model, "add"),
        *(_url(model, "change", pk) for pk in model._default_manager.values_list("pk", flat=True)),
    ]


@pytest.fixture
def personas(db, legal_rules):
    """The coordinator, a group lead and a superuser, each logged in on a client of their own,
    over a database with a record of every kind."""
    groups = build_every_record()
    coordinator = UserFactory(username="coordination", is_staff=True)
    coordinator.groups.add(Group.objects.get(name=COORDINATOR_GROUP))
    return {
        "coordinator": coordinator,
        "lead": groups.lead_user_a,
        "superuser": UserFactory(username="racine", is_staff=True, is_superuser=True),
    }


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_page_of_the_model_opens_for_everyone(client, personas, model):
    """The client raises what a view raises: a crash fails the test with its traceback."""
    for name, user in personas.items():
        client.force_login(user)
        for url in admin_pages(model):
            response = client.get(url)
            assert response.status_code < 500, f"{name} {url}: {response.status_code}"
