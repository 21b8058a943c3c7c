"""Every page of the back-office, as the coordinator sees it.

The models come from the admin's own registry, so a model registered later (by another part of
the portal) is covered without touching this file: it only needs a factory named after it, in
tests/factories.py or in its app's tests/<app>/factories.py.
"""

import importlib
import importlib.util

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult

from association.models import SiteIdentity, User, Venue
from events.models import Event, Session
from groups.models import Meeting, Project, WorkingGroup
from members.models import Structure
from report.models import YearlyFigures
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]

# Accounts and permissions are not the coordinator's job, nor their login security (lockouts,
# one-time code devices); nor, for now, the task queue's results.
OUT_OF_THE_COORDINATOR_S_REACH = {
    User,
    Group,
    DBTaskResult,
    AccessAttempt,
    AccessFailureLog,
    AccessLog,
    TOTPDevice,
}

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)
FOR_THE_COORDINATOR = [m for m in REGISTERED if m not in OUT_OF_THE_COORDINATOR_S_REACH]


def _label(model) -> str:
    return model._meta.label


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def _with_children(model):
    """One row as the lists meet it in real life: with the related rows their computed columns
    show, so that a per-row query would show in the counts."""
    if model is WorkingGroup:
        group = factories.WorkingGroupFactory()
        factories.GroupLeadFactory.create_batch(2, group=group)
        factories.MeetingFactory(group=group)
        factories.ProjectFactory(group=group)
        return group
    if model is Project:
        project = factories.ProjectFactory()
        project.structures.add(*factories.StructureFactory.create_batch(2))
        factories.ProjectUpdateFactory(project=project)
        return project
    if model is Structure:
        structure = factories.StructureFactory()
        factories.MembershipFactory(structure=structure)
        factories.PersonFactory(structure=structure)
        return structure
    if model is Session:
        session = factories.SessionFactory(facilitator=factories.StructureFactory())
        factories.SessionSpeakerFactory.create_batch(2, session=session)
        return session
    if model is Event:
        event = factories.EventFactory()
        event.organisers.add(factories.StructureFactory())
        factories.SessionFactory(event=event)
        return event
    if model is Venue:
        venue = factories.VenueFactory()
        factories.MeetingFactory(venue=venue)
        factories.EventFactory(venue=venue)
        return venue
    if model is YearlyFigures:
        return factories.YearlyFiguresFactory(year=2000 + YearlyFigures.objects.count())
    if model is SiteIdentity:
        return SiteIdentity.load()
    name = f"{model.__name__}Factory"
    factory = getattr(factories, name, None)
    if factory is None and importlib.util.find_spec(f"tests.{model._meta.app_label}.factories"):
        app_factories = importlib.import_module(f"tests.{model._meta.app_label}.factories")
        factory = getattr(app_factories, name, None)
    assert factory, f"Add a {name} to tests/factories.py or tests/<app>/factories.py"
    return factory()


def _changelist_queries(client, model) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(_url(model, "changelist"))
    assert response.status_code == 200
    return len(queries)


def test_the_coordinator_cannot_reach_exactly_accounts_groups_and_task_results(coordinator):
    unreachable = {
        model
        for model in REGISTERED
        if not coordinator.has_module_perms(model._meta.app_label)
        or not any(
            coordinator.has_perm(f"{model._meta.app_label}.{action}_{model._meta.model_name}")
            for action in ("view", "change")
        )
    }
    assert unreachable == OUT_OF_THE_COORDINATOR_S_REACH


@pytest.mark.parametrize("model", sorted(OUT_OF_THE_COORDINATOR_S_REACH, key=_label), ids=_label)
def test_pages_out_of_reach_answer_403(coordinator_client, model):
    assert coordinator_client.get(_url(model, "changelist")).status_code == 403


@pytest.mark.parametrize("model", FOR_THE_COORDINATOR, ids=_label)
def test_changelist_add_and_change_pages_answer(coordinator_client, coordinator, model):
    instance = _with_children(model)
    model_admin = admin.site._registry[model]

    changelist = coordinator_client.get(_url(model, "changelist"), follow=True)
    assert changelist.status_code == 200

    can_add = coordinator.has_perm(f"{model._meta.app_label}.add_{model._meta.model_name}")
    add = coordinator_client.get(_url(model, "add"))
    if model is SiteIdentity:
        assert add.status_code == 403  # a single record, never a second one
    else:
        assert add.status_code == (200 if can_add else 403)

    change = coordinator_client.get(_url(model, "change", instance.pk))
    assert change.status_code == 200
    if hasattr(instance, "get_absolute_url") and model_admin.view_on_site:
        content_type = ContentType.objects.get_for_model(model)
        assert reverse("admin:view_on_site", args=[content_type.pk, instance.pk]) in (
            change.content.decode()
        )


@pytest.mark.parametrize(
    "model", [m for m in FOR_THE_COORDINATOR if m is not SiteIdentity], ids=_label
)
def test_changelist_queries_do_not_grow_with_the_rows(coordinator_client, model):
    _with_children(model)
    _with_children(model)
    # A first request fills the per-process caches (content types, the site identity row).
    _changelist_queries(coordinator_client, model)
    small = _changelist_queries(coordinator_client, model)
    for _ in range(5):
        _with_children(model)
    large = _changelist_queries(coordinator_client, model)
    assert large == small, f"{_label(model)}: {small} queries for 2 rows, {large} for 7"
    assert large <= 15


def test_site_identity_list_opens_the_single_record(coordinator_client):
    response = coordinator_client.get(_url(SiteIdentity, "changelist"))
    assert response.status_code == 302
    assert response["Location"] == _url(SiteIdentity, "change", 1)
    assert SiteIdentity.objects.count() == 1


def test_site_identity_cannot_be_deleted_even_by_a_superuser(superuser_client):
    SiteIdentity.load()
    assert superuser_client.get(_url(SiteIdentity, "add")).status_code == 403
    assert superuser_client.get(_url(SiteIdentity, "delete", 1)).status_code == 403
    assert (
        superuser_client.post(_url(SiteIdentity, "delete", 1), {"post": "yes"}).status_code == 403
    )
    assert SiteIdentity.objects.count() == 1


def test_site_identity_view_on_site_goes_to_the_home_page(coordinator_client):
    SiteIdentity.load()
    content = coordinator_client.get(_url(SiteIdentity, "change", 1)).content.decode()
    assert f'href="{reverse("site:home")}"' in content


def test_superuser_sees_the_accounts(superuser_client):
    other = factories.UserFactory()
    assert superuser_client.get(_url(User, "changelist")).status_code == 200
    assert superuser_client.get(_url(User, "change", other.pk)).status_code == 200
    assert superuser_client.get(_url(Meeting, "changelist")).status_code == 200
