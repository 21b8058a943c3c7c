"""The projects' status history moves to `groups` (issue 25), beside the projects whose saving
writes it. Only the state leaves this app: the table `report_projectstatuschange`, its rows
and its constraint stay, and `groups`' migration 0003_project_status_history_from_report
takes the model over on the same table."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("report", "0003_yearly_figures_from_association"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="ProjectStatusChange")],
            database_operations=[],
        ),
    ]
