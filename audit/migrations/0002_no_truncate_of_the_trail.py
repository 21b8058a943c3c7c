"""PostgreSQL's TRUNCATE fires no row trigger: `TRUNCATE audit_auditentry` (or a cascade from the
content types) emptied the trail in one statement that 0001's trigger never saw. A statement
trigger refuses it while the trail holds entries and no scrub permit exists, as the SCIC
register does: `manage.py flush` empties the trail under a permit first, then truncates."""

from django.db import migrations

CREATE = [
    """CREATE OR REPLACE FUNCTION audit_entry_no_truncate() RETURNS trigger
    LANGUAGE plpgsql AS $$ BEGIN
        IF EXISTS (SELECT 1 FROM audit_auditentry)
            AND NOT EXISTS (SELECT 1 FROM audit_scrubpermit) THEN
            RAISE EXCEPTION 'audit trail is append-only';
        END IF;
        RETURN NULL;
    END $$""",
    """CREATE TRIGGER audit_entry_no_truncate
    BEFORE TRUNCATE ON audit_auditentry
    FOR EACH STATEMENT EXECUTE FUNCTION audit_entry_no_truncate()""",
]
DROP = [
    "DROP TRIGGER IF EXISTS audit_entry_no_truncate ON audit_auditentry",
    "DROP FUNCTION IF EXISTS audit_entry_no_truncate()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_audit_trail")]

    operations = [migrations.RunPython(_run(CREATE), _run(DROP))]
