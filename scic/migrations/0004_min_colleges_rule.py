"""The rule the first load missed: colleges, when the statutes create them, are three or more
(loi n° 47-1775, art. 19 octies). A record the coordinator can edit, like the others."""

from decimal import Decimal

from django.db import migrations, models

STATEMENT = (
    "Quand les statuts répartissent les associés en collèges, ils en prévoient trois ou "
    "plusieurs."
)
REFERENCE = "Loi n° 47-1775 du 10 septembre 1947, art. 19 octies"


def load(apps, schema_editor):
    Rule = apps.get_model("scic", "Rule")
    college_share = Rule.objects.filter(code="college_share").first()
    Rule.objects.get_or_create(
        code="min_colleges",
        defaults={
            "statement": STATEMENT,
            "reference": REFERENCE,
            "minimum": Decimal("3"),
            "position": college_share.position if college_share else 3,
        },
    )


def unload(apps, schema_editor):
    apps.get_model("scic", "Rule").objects.filter(code="min_colleges").delete()


class Migration(migrations.Migration):
    dependencies = [("scic", "0003_no_truncate_of_the_register")]

    operations = [
        migrations.AlterField(
            model_name='rule',
            name='code',
            field=models.CharField(choices=[('min_categories', "Nombre minimal de catégories d'associés"), ('required_categories', 'Salariés (ou producteurs) et bénéficiaires parmi les associés'), ('one_member_one_vote', 'Un associé, une voix'), ('college_share', 'Part des voix de chaque collège'), ('min_colleges', 'Nombre minimal de collèges'), ('public_capital', 'Part du capital détenue par les collectivités'), ('paid_up_at_subscription', 'Part libérée à la souscription'), ('proxy_limit', 'Pouvoirs détenus par un associé'), ('quorum_ordinary_first', "Quorum de l'assemblée ordinaire, première convocation"), ('quorum_ordinary_second', "Quorum de l'assemblée ordinaire, deuxième convocation"), ('quorum_extraordinary_first', "Quorum de l'assemblée extraordinaire, première convocation"), ('quorum_extraordinary_second', "Quorum de l'assemblée extraordinaire, deuxième convocation"), ('majority_ordinary', 'Majorité des résolutions ordinaires'), ('majority_extraordinary', 'Majorité des résolutions extraordinaires')], editable=False, max_length=40, unique=True, verbose_name='règle'),
        ),
        migrations.RunPython(load, unload),
    ]
