"""Django's `flush`, able to empty the append-only trail: SQLite flushes with DELETE, which the
trail's trigger refuses, so the trail is emptied first under a scrub permit. Tests that commit
(browser, live server) flush between tests; an operator resetting a demo database too.
What the flush writes back afterwards is not recorded."""

from auditlog.context import disable_auditlog
from django.core.management.commands.flush import Command as FlushCommand
from django.db import DEFAULT_DB_ALIAS, connections


class Command(FlushCommand):
    def handle(self, **options):
        from audit.models import AuditEntry
        from audit.services import scrub_permit

        database = options.get("database") or DEFAULT_DB_ALIAS
        tables = connections[database].introspection.table_names()
        # Asked interactively, the operator may still say no: the trigger then refuses.
        if AuditEntry._meta.db_table in tables and not options.get("interactive", True):
            with scrub_permit("flush"):
                AuditEntry.objects.using(database).all().delete()
        # What post_migrate writes back (the roles) is a reset, not anyone's change; and the
        # content types it would name are being recreated under new numbers.
        with disable_auditlog():
            return super().handle(**options)
