"""The newsletter's Maison du projet report, the Coup de Cœur cooperation and the projects'
dated statuses in the demo."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command

from association.formats import NBSP
from groups.models import Project, ProjectStatusChange
from ptce.demo import newsletter
from report import figures
from report.models import ActivityCount, ActivityReport, Cooperation

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


def test_the_projects_supported_in_2024_and_2025_are_those_the_newsletter_dates():
    load()
    assert {p.name for p in figures.supported_projects(2024)} == {
        "Plateforme de réemploi des matériaux du bâtiment",  # permit filed in December 2024
        "Boutique des créateurs «\u00a0Coup de Cœur\u00a0»",  # open since late 2024
        "Friperie solidaire",  # opened in 2024
    }
    # 2025: all the newsletter's projects but the four ideas, each from its own date.
    assert figures.supported_projects(2025).count() == 8
    figures_of = figures.compute([2024, 2025], today=datetime.date(2025, 9, 1))
    assert (figures_of[2024]["projects"], figures_of[2025]["projects"]) == (3, 8)
    assert list(
        ProjectStatusChange.objects.filter(
            project__slug="plateforme-reemploi-materiaux-rouvroy"
        ).values_list("status", "since")
    ) == [("in_progress", datetime.date(2024, 10, 1))]
    assert set(ProjectStatusChange.objects.values_list("since", flat=True)) == {
        datetime.date(2024, 10, 1),
        datetime.date(2024, 12, 1),
        datetime.date(2024, 1, 1),
        newsletter.STATUSES_KNOWN_ON,
    }  # none dated the day of the load


def test_each_dated_history_ends_in_the_projects_status():
    statuses = {project["slug"]: project["status"] for project in newsletter.PROJECTS}
    for slug, history in newsletter.PROJECT_STATUS_HISTORY.items():
        assert history[-1][0] == statuses[slug]
        assert history[-1][0] in Project.Status.values
