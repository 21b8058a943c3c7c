"""PostgreSQL's TRUNCATE fires no row trigger: the register's movements could be emptied in
one statement that 0002's triggers never see. A statement trigger refuses it while the table
holds movements; an empty table may still be truncated (`manage.py flush`, the test runner)."""

from django.db import migrations

MESSAGE = (
    "Le registre des mouvements de parts s'écrit en ajout seul : enregistrez une correction."
)

CREATE = [
    f"""CREATE OR REPLACE FUNCTION scic_sharemovement_no_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN
        IF EXISTS (SELECT 1 FROM scic_sharemovement) THEN
            RAISE EXCEPTION '{MESSAGE.replace("'", "''")}';
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER scic_sharemovement_no_truncate
    BEFORE TRUNCATE ON scic_sharemovement
    FOR EACH STATEMENT EXECUTE FUNCTION scic_sharemovement_no_truncate()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS scic_sharemovement_no_truncate ON scic_sharemovement",
    "DROP FUNCTION IF EXISTS scic_sharemovement_no_truncate()",
]


def create_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in CREATE:
            schema_editor.execute(statement)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("scic", "0002_legal_rules_and_append_only_register")]

    operations = [migrations.RunPython(create_trigger, drop_trigger)]
