"""The projects' status history comes from `report` (issue 25) with its rows: the model takes
over the table `report_projectstatuschange` as it stands (nothing is written to the database
but the content type, so that the permissions and the admin's history follow)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="report", target="groups"):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label=target, model="projectstatuschange").exists():
        content_types.filter(app_label=source, model="projectstatuschange").update(
            app_label=target
        )


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="groups", target="report")


class Migration(migrations.Migration):
    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("groups", "0002_meeting_cancelled_label_agrees"),
        ("report", "0004_project_status_history_moves_to_groups"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ProjectStatusChange",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        (
                            "status",
                            models.CharField(
                                choices=[
                                    ("idea", "Idée"),
                                    ("study", "À l'étude"),
                                    ("in_progress", "En cours de montage"),
                                    ("running", "En activité"),
                                    ("completed", "Terminé"),
                                    ("abandoned", "Abandonné"),
                                ],
                                max_length=20,
                                verbose_name="état",
                            ),
                        ),
                        (
                            "since",
                            models.DateField(
                                default=django.utils.timezone.localdate, verbose_name="depuis le"
                            ),
                        ),
                        (
                            "project",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="status_changes",
                                to="groups.project",
                                verbose_name="projet",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "changement d'état d'un projet",
                        "verbose_name_plural": "changements d'état des projets",
                        "db_table": "report_projectstatuschange",
                        "ordering": ["project", "since", "pk"],
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("project", "since"), name="one_project_status_per_day"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
