"""The declared yearly figures move to `report` (issue 25), their only user. Only the state
leaves this app: the table and its rows stay where they are, and `report`'s migration
0003_yearly_figures_from_association takes the model over on the same table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("association", "0003_dated_legal_status"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="YearlyFigures")],
            database_operations=[],
        ),
    ]
