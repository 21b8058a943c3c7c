"""Django's `flush`, able to empty the append-only trail: SQLite flushes with DELETE and
PostgreSQL with TRUNCATE, which the trail's triggers refuse, so the trail is emptied first under a
scrub permit, once the operator said yes. Tests that commit (browser, live server) flush between
tests; an operator resetting a demo database too. What the flush writes back afterwards is not
recorded."""

from auditlog.context import disable_auditlog
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(FlushCommand):
    def handle(self, **options):
        from audit.models import AuditEntry
        from audit.services import scrub_permit

        database = options.get("database") or DEFAULT_DB_ALIAS
        if options.get("interactive", True):
            # Django's own question, asked before the trail is emptied: no means nothing changes.
            confirm = input(
                "You have requested a flush of the database.\n"
                "This will IRREVERSIBLY DESTROY all data currently in the "
                f'"{connections[database].settings_dict["NAME"]}" database,\n'
                "and return each table to an empty state.\n"
                "Are you sure you want to do this?\n\n"
                "    Type 'yes' to continue, or 'no' to cancel: "
            )
            if confirm != "yes":
                self.stdout.write("Flush cancelled.")
                return
            options["interactive"] = False
        tables = connections[database].introspection.table_names()
        if AuditEntry._meta.db_table in tables:
            with scrub_permit("flush"):
                AuditEntry.objects.using(database).all().delete()
        # What post_migrate writes back (the roles) is a reset, not anyone's change; and the
        # content types it would name are being recreated under new numbers.
        with disable_auditlog():
            return super().handle(**options)
