"""Factories of the national picture's records (the admin's every-model tests find them here)."""

import factory
from django.utils import timezone

from opendata.models import HarvestedRecord, RemotePortal


class RemotePortalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = RemotePortal

    package_url = factory.Sequence(lambda n: f"https://ptce-{n}.example.org/datapackage.json")


class HarvestedRecordFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HarvestedRecord

    portal = factory.SubFactory(RemotePortalFactory)
    dataset, identifier, data = "structures", factory.Sequence(str), {"nom": "Exemple"}
    source_url, licence = "https://ptce.example.org/structures.csv", "Licence Ouverte 2.0"
    read_at = factory.LazyFunction(timezone.now)
