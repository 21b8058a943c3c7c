"""Site-wide records: what the database itself refuses."""

import pytest
from django.db import IntegrityError, transaction

from association.models import SiteIdentity, Venue
from report.models import YearlyFigures
from tests.factories import VenueFactory, YearlyFiguresFactory

pytestmark = pytest.mark.django_db


def test_site_identity_has_one_row_only():
    SiteIdentity.load()
    # save() always writes row 1; bulk_create goes around it, as a raw insert would.
    with pytest.raises(IntegrityError), transaction.atomic():
        SiteIdentity.objects.bulk_create([SiteIdentity(pk=2, name="Autre", short_name="A")])
    assert SiteIdentity.objects.count() == 1


def test_site_identity_save_always_writes_the_single_row():
    SiteIdentity(name="PTCE Hénin-Carvin", short_name="PTCE").save()
    SiteIdentity(name="Autre nom", short_name="Autre").save()
    assert list(SiteIdentity.objects.values_list("pk", "name")) == [(1, "Autre nom")]


def test_yearly_figures_are_unique_per_year():
    YearlyFiguresFactory(year=2024)
    with pytest.raises(IntegrityError), transaction.atomic():
        YearlyFigures.objects.create(year=2024, meetings=1)


def test_venue_names_are_unique_per_town_whatever_the_case():
    VenueFactory(name="PIAC", town="Carvin")
    VenueFactory(name="PIAC", town="Oignies")  # another town: another place
    with pytest.raises(IntegrityError), transaction.atomic():
        Venue.objects.create(name="piac", town="CARVIN")
