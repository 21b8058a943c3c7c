"""The newsletter's Maison du projet report and the Coup de Cœur cooperation in the demo."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from association.formats import NBSP
from report import figures
from report.models import ActivityCount, ActivityReport, Cooperation, ProjectStatusChange

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_newsletter", stdout=out)
    return out.getvalue()


def rows() -> dict:
    return {
        model._meta.label: list(model.objects.order_by("pk").values())
        for model in (ActivityReport, ActivityCount, Cooperation, ProjectStatusChange)
    }


def test_the_maison_du_projet_report_of_january_to_july_2025():
    load()
    report = ActivityReport.objects.get()
    assert report.project.name == "Maison du projet Cœur de Mineur"
    assert report.period_label == "de janvier à juillet 2025"
    assert report.beneficiaries == 111
    assert [(c.label, c.value) for c in report.counts.all()] == [
        ("ateliers participatifs", 13),
        ("accueils partenaires", 11),
        ("permanences", 14),
    ]
    cooperation = Cooperation.objects.get()
    assert {s.acronym or s.name for s in cooperation.structures.all()} == {
        "1001 Commerce",
        "ACTIV",
    }
    year = figures.compute([2025], today=datetime.date(2025, 9, 1))[2025]
    assert (year["beneficiaries"], year["cooperations"]) == (111, 1)


def test_loading_twice_changes_nothing():
    load()
    before = rows()
    output = load()
    assert rows() == before
    assert f"bilan d'activité de projet{NBSP}: 0 créés, 1 déjà présent" in output
