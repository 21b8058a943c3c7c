"""`manage.py db_worker`: django-tasks-db's worker, which waits out a database outage.

Upstream's worker lets an OperationalError out of its loop, so a PostgreSQL restart (an
upgrade, a full disk) stopped the mail until someone restarted it. This one logs the outage,
waits (1 s, doubling up to DATABASE_RETRY_MAX_SECONDS) and carries on where it was: a task
claimed before the outage is recovered by `requeue_stale_mails`. Its options are upstream's.
Listed before django_tasks_db in INSTALLED_APPS, this command is the one `db_worker` runs.
"""

import contextlib
import logging
import time

from django.db import DatabaseError, InterfaceError, OperationalError, close_old_connections
from django_tasks_db.management.commands import db_worker

logger = logging.getLogger("django_tasks_db")

DATABASE_RETRY_MAX_SECONDS = 30


class PatientWorker(db_worker.Worker):
    def run(self) -> None:
        delay = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
                return
            except (OperationalError, InterfaceError) as error:
                if time.monotonic() - started > 60:  # a new outage, after a long run
                    delay = 1.0
                logger.warning(
                    "Database unavailable (%s): the worker tries again in %.0f s.",
                    (str(error).strip().splitlines() or ["?"])[0],
                    delay,
                )
            # A connection broken by the outage is dropped, not reused.
            with contextlib.suppress(DatabaseError):
                close_old_connections()
            time.sleep(delay)
            delay = min(delay * 2, DATABASE_RETRY_MAX_SECONDS)


class Command(db_worker.Command):
    help = "Run the database background worker; it waits out a database outage."

    def handle(self, **options) -> None:
        # Upstream builds its Worker by the module's name: the patient one takes its place for
        # this process only (a command is its own process).
        db_worker.Worker = PatientWorker
        super().handle(**options)
