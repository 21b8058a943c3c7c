"""The legal rules and the categories of associates as the law names them, loaded as records
the coordinator can edit; and the database's own refusal to change or delete a movement of
the register (append-only)."""

from decimal import Decimal

from django.db import migrations

LAW = "Loi n° 47-1775 du 10 septembre 1947"

RULES = [
    (
        "min_categories",
        "La SCIC comprend au moins trois catégories d'associés.",
        f"{LAW}, art. 19 septies",
        Decimal("3"),
        None,
    ),
    (
        "required_categories",
        "Parmi ces catégories figurent obligatoirement les salariés de la coopérative (ou, en "
        "l'absence de salariés, les producteurs de biens ou de services de la coopérative) et "
        "les personnes qui bénéficient habituellement de ses activités.",
        f"{LAW}, art. 19 septies",
        None,
        None,
    ),
    (
        "one_member_one_vote",
        "Chaque associé dispose d'une voix dans son collège, quel que soit le capital qu'il "
        "détient.",
        f"{LAW}, art. 9 et 19 octies",
        None,
        Decimal("1"),
    ),
    (
        "college_share",
        "Quand les statuts prévoient des collèges, aucun collège ne détient plus de 50 % ni "
        "moins de 10 % du total des droits de vote.",
        f"{LAW}, art. 19 octies",
        Decimal("10"),
        Decimal("50"),
    ),
    (
        "public_capital",
        "Les collectivités territoriales, leurs groupements et les établissements publics "
        "territoriaux ne détiennent pas ensemble plus de 50 % du capital.",
        f"{LAW}, art. 19 septies",
        None,
        Decimal("50"),
    ),
    (
        "paid_up_at_subscription",
        "Chaque souscription est libérée d'au moins un quart de son montant lors de la "
        "souscription.",
        f"{LAW}, art. 19 quinquies et suivants ; statuts (libération des parts)",
        Decimal("25"),
        None,
    ),
    (
        "proxy_limit",
        "Un associé présent ne détient pas plus de pouvoirs que le nombre fixé par les statuts.",
        "Statuts (représentation des associés) — à reporter",
        None,
        Decimal("2"),
    ),
    (
        "quorum_ordinary_first",
        "L'assemblée ordinaire sur première convocation délibère si les associés présents ou "
        "représentés sont au moins ce pourcentage des associés.",
        "Statuts (quorum) ; Code de commerce, art. L. 225-98",
        Decimal("20"),
        None,
    ),
    (
        "quorum_ordinary_second",
        "Sur deuxième convocation, l'assemblée ordinaire délibère si les associés présents ou "
        "représentés sont au moins ce pourcentage (0 : sans quorum).",
        "Statuts (quorum) ; Code de commerce, art. L. 225-98",
        Decimal("0"),
        None,
    ),
    (
        "quorum_extraordinary_first",
        "L'assemblée extraordinaire sur première convocation délibère si les associés présents "
        "ou représentés sont au moins ce pourcentage des associés.",
        "Statuts (quorum) ; Code de commerce, art. L. 225-96",
        Decimal("25"),
        None,
    ),
    (
        "quorum_extraordinary_second",
        "Sur deuxième convocation, l'assemblée extraordinaire délibère si les associés présents "
        "ou représentés sont au moins ce pourcentage des associés.",
        "Statuts (quorum) ; Code de commerce, art. L. 225-96",
        Decimal("20"),
        None,
    ),
    (
        "majority_ordinary",
        "Une résolution ordinaire est adoptée quand les voix pour, pondérées par collège, "
        "dépassent ce pourcentage des voix exprimées (les abstentions ne sont pas exprimées).",
        "Statuts (majorités) ; Code de commerce, art. L. 225-98",
        Decimal("50"),
        None,
    ),
    (
        "majority_extraordinary",
        "Une résolution extraordinaire est adoptée quand les voix pour, pondérées par collège, "
        "atteignent ce pourcentage des voix exprimées (les deux tiers : 66,67 % au centième).",
        "Statuts (majorités) ; Code de commerce, art. L. 225-96",
        Decimal("66.67"),
        None,
    ),
]

CATEGORIES = [
    ("Salariés", "employees", []),
    ("Producteurs de biens ou de services", "producers", []),
    ("Bénéficiaires", "beneficiaries", []),
    ("Collectivités publiques", "public_authorities", ["local_authority"]),
    ("Autres associés (partenaires, bénévoles, financeurs)", "others", []),
]


def load(apps, schema_editor):
    Rule = apps.get_model("scic", "Rule")
    Category = apps.get_model("scic", "Category")
    for position, (code, statement, reference, minimum, maximum) in enumerate(RULES):
        Rule.objects.update_or_create(
            code=code,
            defaults={
                "statement": statement,
                "reference": reference,
                "minimum": minimum,
                "maximum": maximum,
                "position": position,
            },
        )
    for position, (name, legal_kind, kinds) in enumerate(CATEGORIES):
        Category.objects.get_or_create(
            legal_kind=legal_kind,
            defaults={"name": name, "position": position, "suggested_structure_kinds": kinds},
        )


def unload(apps, schema_editor):
    apps.get_model("scic", "Rule").objects.all().delete()


MESSAGE = (
    "Le registre des mouvements de parts s'écrit en ajout seul : enregistrez une correction."
)

TRIGGERS = {
    "sqlite": [
        f"""CREATE TRIGGER scic_sharemovement_no_{event.lower()}
        BEFORE {event} ON scic_sharemovement
        BEGIN SELECT RAISE(ABORT, '{MESSAGE.replace("'", "''")}'); END"""
        for event in ("UPDATE", "DELETE")
    ],
    "postgresql": [
        f"""CREATE OR REPLACE FUNCTION scic_sharemovement_append_only() RETURNS trigger
        LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION '{MESSAGE.replace("'", "''")}'; END $$""",
        """CREATE TRIGGER scic_sharemovement_append_only
        BEFORE UPDATE OR DELETE ON scic_sharemovement
        FOR EACH ROW EXECUTE FUNCTION scic_sharemovement_append_only()""",
    ],
}
DROP = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS scic_sharemovement_no_update",
        "DROP TRIGGER IF EXISTS scic_sharemovement_no_delete",
    ],
    "postgresql": [
        "DROP TRIGGER IF EXISTS scic_sharemovement_append_only ON scic_sharemovement",
        "DROP FUNCTION IF EXISTS scic_sharemovement_append_only()",
    ],
}


def create_triggers(apps, schema_editor):
    for statement in TRIGGERS.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


def drop_triggers(apps, schema_editor):
    for statement in DROP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("scic", "0001_initial")]

    operations = [
        migrations.RunPython(load, unload),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
