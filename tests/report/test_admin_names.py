"""The declared figures in the back-office read as French around their name: Django writes
« Ajouter {verbose_name} » with its article, and « chiffres de l'année » gave « Ajouter un
chiffres de l'année »."""

import pytest
from django.urls import reverse

from tests.conftest import text_of
from tests.factories import YearlyFiguresFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]


def test_the_add_page_is_titled_with_a_singular(coordinator_client):
    page = text_of(coordinator_client.get(reverse("admin:report_yearlyfigures_add")))
    assert "<h1>Ajouter un bilan chiffré annuel</h1>" in page
    assert '<li aria-current="page">Ajouter un bilan chiffré annuel</li>' in page
    assert "chiffres de l'année" not in page


def test_the_list_the_change_and_the_delete_pages_read_right(coordinator_client):
    figures = YearlyFiguresFactory(year=2024)
    YearlyFiguresFactory(year=2023)
    page = text_of(coordinator_client.get(reverse("admin:report_yearlyfigures_changelist")))
    assert "<title>Bilans chiffrés annuels |" in page
    assert "2 bilans chiffrés annuels" in page
    assert "Ajouter un bilan chiffré annuel" in page  # the list's add button
    assert "Supprimer les bilans chiffrés annuels sélectionnés" in page
    page = text_of(
        coordinator_client.get(reverse("admin:report_yearlyfigures_change", args=[figures.pk]))
    )
    assert "<h1>Modifier le bilan chiffré annuel</h1>" in page
    page = text_of(
        coordinator_client.get(reverse("admin:report_yearlyfigures_delete", args=[figures.pk]))
    )
    assert "Voulez-vous vraiment supprimer «\u00a0Chiffres 2024\u00a0» (bilan chiffré annuel)" in (
        page
    )
