"""The declared yearly figures moved from `association` to `report` (issue 25) keep their rows
and their table when an existing database migrates forward."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("association", "0003_dated_legal_status"),
    ("report", "0002_project_status_change_plural_name"),
]
AFTER = [
    ("association", "0004_yearly_figures_move_to_report"),
    ("report", "0003_yearly_figures_from_association"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_declared_figures_move_to_the_report_with_their_rows():
    old = _migrate(BEFORE)
    old.get_model("association", "YearlyFigures").objects.create(
        year=2024, meetings=34, beneficiaries=1932, source="Lettre de l'été 2025"
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="association", model="yearlyfigures")
    try:
        new = _migrate(AFTER)
        figures = new.get_model("report", "YearlyFigures").objects.get()
        assert (figures.year, figures.meetings, figures.beneficiaries, figures.source) == (
            2024,
            34,
            1932,
            "Lettre de l'été 2025",
        )
        assert "association_yearlyfigures" in connection.introspection.table_names()
        moved = new.get_model("contenttypes", "ContentType").objects
        assert moved.filter(app_label="report", model="yearlyfigures").exists()
        assert not moved.filter(app_label="association", model="yearlyfigures").exists()
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
