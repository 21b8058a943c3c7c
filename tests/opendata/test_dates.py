"""Each dataset's `lastModified` (and DCAT `dct:modified`) is the last change of its own
records, not the site's content version: a structure edited moves the structures' date only, a
harvest of the other portals (which raises the content version) moves none; `created` is when
the data began."""

import datetime

import pytest
from django.db.migrations.recorder import MigrationRecorder
from django.urls import reverse
from django.utils import timezone

from association.content import bump_content_version
from tests.factories import (
    EventFactory,
    MeetingFactory,
    ProjectFactory,
    StructureFactory,
    WorkingGroupFactory,
    YearlyFiguresFactory,
)
from tests.opendata.test_api import BEFORE
from tests.public_site import LARGE, SMALL, build_network, frozen

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 3, 2)


def _dates(client) -> tuple[dict, dict]:
    package = client.get(reverse("opendata:datapackage")).json()
    catalogue = client.get(reverse("opendata:catalogue")).json()
    resources = {r["name"]: r["lastModified"] for r in package["resources"]}
    datasets = {
        d["dct:identifier"].split("/")[1]: d["dct:modified"] for d in catalogue["dcat:dataset"]
    }
    assert datasets == resources  # the catalogue says what the package says
    return package, resources


def test_each_dataset_says_when_its_own_records_last_changed(client):
    # The figures' definitions are the portal's code: their date is its last upgrade.
    with frozen(DAY, 8):
        MigrationRecorder.Migration.objects.update(applied=timezone.now())
    with frozen(DAY, 9):
        structure = StructureFactory(name="Garage solidaire")
    with frozen(DAY, 10):
        group = WorkingGroupFactory()
        MeetingFactory(group=group, date=DAY)
    with frozen(DAY, 11):
        EventFactory(date=DAY)
    with frozen(DAY, 12):
        ProjectFactory(group=group)
    with frozen(DAY, 13):
        YearlyFiguresFactory(year=2025)
    with frozen(DAY + datetime.timedelta(days=1), 10):
        package, before = _dates(client)
    assert before["structures"] == "2026-03-02T08:00:00+00:00"  # 9 h in Paris
    assert before["evenements"] == "2026-03-02T10:00:00+00:00"
    assert before["projets"] == "2026-03-02T11:00:00+00:00"
    assert before["chiffres"] == "2026-03-02T12:00:00+00:00"  # the declared figures
    assert before["indicateurs"] == "2026-03-02T07:00:00+00:00"
    assert package["lastModified"] == "2026-03-02T12:00:00+00:00"
    # When the data began, not the last change.
    assert package["created"] == "2026-03-02T08:00:00+00:00"

    # A night's harvest of the other portals raises the site's content version: no dataset of
    # this portal changed.
    with frozen(DAY + datetime.timedelta(days=2), 3):
        bump_content_version()
        assert _dates(client)[1] == before

    with frozen(DAY + datetime.timedelta(days=3), 15):
        structure.name = "Garage solidaire du Bassin minier"
        structure.save()
        package, after = _dates(client)
    assert after["structures"] == "2026-03-05T14:00:00+00:00"
    assert {name: after[name] for name in after if name != "structures"} == {
        name: before[name] for name in before if name != "structures"
    }
    assert package["lastModified"] == "2026-03-05T14:00:00+00:00"
    assert package["created"] == "2026-03-02T08:00:00+00:00"


def test_a_deleted_record_moves_its_dataset_s_date(client):
    with frozen(DAY, 9):
        StructureFactory()
        gone = StructureFactory()
    with frozen(DAY, 16):
        gone.delete()  # no record left to carry the date: the audit trail's deletion does
        assert _dates(client)[1]["structures"] == "2026-03-02T15:00:00+00:00"


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@frozen()
def test_the_package_costs_the_same_queries_whatever_the_data(
    size, client, django_assert_num_queries
):
    build_network(**size)
    # The rate limit and the ETag's content version (tests/opendata/test_api.py's BEFORE),
    # the identity, and the dates: five tables' timestamps, the last migration, the trail.
    with django_assert_num_queries(BEFORE + 1 + 7):
        client.get(reverse("opendata:datapackage"))
