"""Minutes are public, for the participants only, or not published: the former « published »
box becomes « public », an unticked one « not published »."""

from django.db import migrations, models


def from_boolean(apps, schema_editor):
    Meeting = apps.get_model("groups", "Meeting")
    Meeting.objects.filter(minutes_published=True).update(minutes_visibility="public")
    Meeting.objects.filter(minutes_published=False).update(minutes_visibility="unpublished")


def to_boolean(apps, schema_editor):
    Meeting = apps.get_model("groups", "Meeting")
    Meeting.objects.filter(minutes_visibility="public").update(minutes_published=True)


class Migration(migrations.Migration):
    dependencies = [
        ("groups", "0003_meetings_series_answers_reminders"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="minutes_visibility",
            field=models.CharField(
                choices=[
                    ("public", "Public"),
                    ("participants", "Réservé aux participants"),
                    ("unpublished", "Non publié"),
                ],
                default="unpublished",
                help_text="Un compte rendu peut nommer des personnes : relisez-le avant de le "
                "publier. « Réservé aux participants » : lisible dans « Mon espace » par les "
                "participants du groupe seulement.",
                max_length=20,
                verbose_name="publication du compte rendu",
            ),
        ),
        migrations.RunPython(from_boolean, to_boolean),
        migrations.RemoveField(model_name="meeting", name="minutes_published"),
    ]
