"""The declared yearly figures come from `association` (issue 25) with their rows: the model
takes over the table `association_yearlyfigures` as it stands (nothing is written to the
database but the content type, so that the permissions and the admin's history follow)."""

from django.db import migrations, models


def move_content_type(apps, schema_editor, source="association", target="report"):
    content_types = apps.get_model("contenttypes", "ContentType").objects.using(
        schema_editor.connection.alias
    )
    if not content_types.filter(app_label=target, model="yearlyfigures").exists():
        content_types.filter(app_label=source, model="yearlyfigures").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="report", target="association")


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0004_yearly_figures_move_to_report"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("report", "0002_project_status_change_plural_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="YearlyFigures",
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
                        ("year", models.PositiveSmallIntegerField(unique=True, verbose_name="année")),
                        (
                            "meetings",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="réunions organisées"
                            ),
                        ),
                        (
                            "members_involved",
                            models.PositiveIntegerField(
                                blank=True,
                                null=True,
                                verbose_name="membres impliqués dans les groupes",
                            ),
                        ),
                        (
                            "contributing_structures",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="structures contributrices"
                            ),
                        ),
                        (
                            "jobs_created_fte",
                            models.DecimalField(
                                blank=True,
                                decimal_places=1,
                                max_digits=6,
                                null=True,
                                verbose_name="emplois créés (ETP)",
                            ),
                        ),
                        (
                            "projects_supported",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="projets accompagnés"
                            ),
                        ),
                        (
                            "operational_cooperations",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="coopérations opérationnelles"
                            ),
                        ),
                        (
                            "beneficiaries",
                            models.PositiveIntegerField(
                                blank=True, null=True, verbose_name="bénéficiaires"
                            ),
                        ),
                        (
                            "source",
                            models.CharField(
                                blank=True,
                                help_text="D'où viennent ces chiffres, par exemple : « Bilan de "
                                "l'année, lettre d'information de l'été 2025 ».",
                                max_length=200,
                                verbose_name="source",
                            ),
                        ),
                        (
                            "is_published",
                            models.BooleanField(default=True, verbose_name="publiés sur le site"),
                        ),
                    ],
                    options={
                        "verbose_name": "chiffres de l'année",
                        "verbose_name_plural": "chiffres annuels",
                        "db_table": "association_yearlyfigures",
                        "ordering": ["-year"],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
