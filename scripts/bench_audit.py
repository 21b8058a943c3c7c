"""What the audit trail costs: write overhead and size.

    .venv/bin/python scripts/bench_audit.py [--rounds 7]
    .venv/bin/python scripts/bench_audit.py --database-url postgres://ptce:ptce@127.0.0.1:5432/NAME

In a fresh database (a SQLite file in bench/, or the PostgreSQL database given, dropped and
created again), each write is timed with the trail on and with it off (django-auditlog's
`disable_auditlog`), alternately, `--rounds` times, and the medians compared:

- saving a meeting: one `Meeting.save()` after a change of its minutes (the admin's or a lead's
  save; the trail reads the row before, diffs it and inserts one entry), 200 saves a round;
- a bulk import of 1 000 people, two ways: `bulk_create` plus `log_bulk_create` (the services'
  bulk path: one insert for the people, one for their entries), and 1 000 `save()`s in one
  transaction (what django-import-export does row by row: one entry per save);
- the trail's size after the 100x data set (ptce/demo/volume.py SCALES[100], built in bulk):
  every record of the registered models entered once, as if each had been created through the
  portal (`log_bulk_create`), then the entries counted and the table measured.

Separate from the tests: its figures depend on the machine (2 shared cores here).
"""

import argparse
import json
import statistics
import time

from benchlib import build, fresh_database, in_django, production_env


def _timed(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def _compare(write, rounds: int) -> dict:
    """Median seconds of `write()` with the trail and without, alternating."""
    from auditlog.context import disable_auditlog

    write()  # warm: content types, prepared statements
    with disable_auditlog():
        write()
    on, off = [], []
    for _ in range(rounds):
        on.append(_timed(write))
        with disable_auditlog():
            off.append(_timed(write))
    with_trail, without = statistics.median(on), statistics.median(off)
    return {
        "with_ms": with_trail * 1000,
        "without_ms": without * 1000,
        "ratio": with_trail / without,
    }


def _make_meeting():
    import datetime

    from association.models import Venue
    from groups.models import Meeting, WorkingGroup

    group = WorkingGroup.objects.create(
        name="Mobilité", slug="mobilite", short_description="Un groupe.", accent_color="#1f5f8b"
    )
    venue = Venue.objects.create(name="Garage solidaire", town="Courrières")
    return Meeting.objects.create(
        group=group,
        date=datetime.date(2025, 10, 7),
        start_time=datetime.time(14, 0),
        venue=venue,
        agenda="Point d'étape sur les projets.",
    )


def measure_writes(rounds: int) -> dict:
    from django.db import transaction

    from audit.registry import log_bulk_create
    from groups.models import Meeting
    from members.models import Person

    meeting = _make_meeting()
    counter = iter(range(10**9))

    def save_meetings():
        for _ in range(200):
            meeting.minutes = f"Compte rendu, version {next(counter)}"
            meeting.save()

    def people(round_number: int) -> list[Person]:
        return [
            Person(
                first_name=f"Prénom{i}",
                last_name=f"Nom{round_number}-{i}",
                email=f"p{round_number}-{i}@example.org",
            )
            for i in range(1000)
        ]

    def bulk_import():
        from auditlog.context import auditlog_disabled

        created = Person.objects.bulk_create(people(next(counter)))
        if not auditlog_disabled.get():
            log_bulk_create(created)

    def row_by_row_import():
        with transaction.atomic():
            for person in people(next(counter)):
                person.save()

    return {
        "meeting_save_x200": _compare(save_meetings, rounds),
        "bulk_import_1000_people": _compare(bulk_import, rounds),
        "row_by_row_import_1000_people": _compare(row_by_row_import, rounds),
        "meetings": Meeting.objects.count(),
    }


def measure_size() -> dict:
    from auditlog.context import disable_auditlog
    from django.db import connection

    from association.models import Venue
    from audit.models import AuditEntry
    from audit.registry import log_bulk_create, registered_models
    from audit.services import scrub_permit
    from groups.models import WorkingGroup
    from members.models import Person

    # The writes measured above leave their rows and entries: the size is the 100x data set's.
    with disable_auditlog():
        for model in (Person, WorkingGroup, Venue):
            model.objects.all().delete()
    with scrub_permit("benchmark"):
        AuditEntry.objects.all().delete()
    build(100)
    counts = {}
    for model in registered_models():
        rows = list(model._default_manager.all())
        for start in range(0, len(rows), 5000):
            log_bulk_create(rows[start : start + 5000])
        if rows:
            counts[model._meta.label] = len(rows)
    entries = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('audit_auditentry')")
            size, method = cursor.fetchone()[0], "pg_total_relation_size (table, indexes, TOAST)"
        else:
            try:
                cursor.execute(
                    "SELECT SUM(pgsize) FROM dbstat WHERE name LIKE '%auditentry%'"
                    " OR name LIKE 'audit_entry%'"
                )
                size, method = cursor.fetchone()[0], "dbstat (table and indexes)"
            except Exception:  # SQLite built without dbstat: the stored text's length
                cursor.execute(
                    "SELECT SUM(LENGTH(changes) + LENGTH(object_repr) + LENGTH(object_pk)"
                    " + 64) FROM audit_auditentry"
                )
                size, method = cursor.fetchone()[0], "stored text + 64 bytes a row"
    return {
        "entries": entries,
        "bytes": size,
        "method": method,
        "records": sum(counts.values()),
        "by_model": counts,
    }


def generate(rounds: int) -> dict:
    from django.db import connection

    report = {"vendor": connection.vendor, **measure_writes(rounds)}
    report.update(size_100x=measure_size())
    return report


def run(rounds: int, database_url: str | None) -> dict:
    database_url = fresh_database("audit", database_url)
    return in_django(production_env(database_url), generate, rounds)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--database-url", help="a PostgreSQL database, dropped and created")
    args = parser.parse_args()
    report = run(args.rounds, args.database_url)
    print(f"database: {report['vendor']}, median of {args.rounds} rounds")
    print("write | with the trail (ms) | without (ms) | ratio")
    print("--- | --- | --- | ---")
    for name in ("meeting_save_x200", "bulk_import_1000_people", "row_by_row_import_1000_people"):
        row = report[name]
        print(f"{name} | {row['with_ms']:.1f} | {row['without_ms']:.1f} | {row['ratio']:.2f}")
    size = report["size_100x"]
    print(
        f"trail after the 100x data set: {size['entries']} entries for {size['records']} "
        f"records, {size['bytes'] / 1024 / 1024:.1f} MiB "
        f"({size['bytes'] / max(size['entries'], 1):.0f} bytes an entry; {size['method']})"
    )
    print(json.dumps(size["by_model"]))


if __name__ == "__main__":
    main()
