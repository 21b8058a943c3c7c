"""Records that changed app in issue 25 keep their rows and their tables when an existing
database migrates forward: the declared yearly figures (`association` to `report`) and the
projects' status history (`report` to `groups`)."""

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [
    ("association", "0003_dated_legal_status"),
    ("groups", "0002_meeting_cancelled_label_agrees"),
    ("report", "0002_project_status_change_plural_name"),
]
AFTER = [
    ("association", "0004_yearly_figures_move_to_report"),
    ("groups", "0003_project_status_history_from_report"),
    ("report", "0004_project_status_history_moves_to_groups"),
]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_the_moved_records_keep_their_rows_and_tables():
    old = _migrate(BEFORE)
    old.get_model("association", "YearlyFigures").objects.create(
        year=2024, meetings=34, beneficiaries=1932, source="Lettre de l'été 2025"
    )
    project = old.get_model("groups", "Project").objects.create(name="Friperie", slug="friperie")
    old.get_model("report", "ProjectStatusChange").objects.create(
        project_id=project.pk, status="running", since=datetime.date(2024, 3, 1)
    )
    content_types = old.get_model("contenttypes", "ContentType").objects
    content_types.get_or_create(app_label="association", model="yearlyfigures")
    content_types.get_or_create(app_label="report", model="projectstatuschange")
    try:
        new = _migrate(AFTER)
        figures = new.get_model("report", "YearlyFigures").objects.get()
        assert (figures.year, figures.meetings, figures.beneficiaries, figures.source) == (
            2024,
            34,
            1932,
            "Lettre de l'été 2025",
        )
        history = new.get_model("groups", "ProjectStatusChange").objects.get()
        assert (history.project_id, history.status, history.since) == (
            project.pk,
            "running",
            datetime.date(2024, 3, 1),
        )
        tables = connection.introspection.table_names()
        assert {"association_yearlyfigures", "report_projectstatuschange"} <= set(tables)
        moved = new.get_model("contenttypes", "ContentType").objects
        assert set(
            moved.filter(model__in=["yearlyfigures", "projectstatuschange"]).values_list(
                "app_label", "model"
            )
        ) == {("report", "yearlyfigures"), ("groups", "projectstatuschange")}
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
