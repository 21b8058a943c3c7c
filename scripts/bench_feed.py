"""The agenda's calendar feed after an edit, in process: the first render in a fresh process,
then the median of five renders each after one meeting is edited (the content version raised,
so the page cache misses). Run it on a database built by scripts/bench_admin.py, at 1x and 100x:

    .venv/bin/python scripts/bench_admin.py --scales 1 --rounds 1 --database-url postgres://ptce:ptce@127.0.0.1:5432/bench1
    DATABASE_URL=postgres://ptce:ptce@127.0.0.1:5432/bench1 .venv/bin/python scripts/bench_feed.py

CPU time is the figure a busy machine disturbs least. It edits meetings of that database.
"""

import os
import statistics
import sys
import time

from benchlib import PRODUCTION, ROOT

for name, value in PRODUCTION.items():  # under the database's URL of the environment
    os.environ.setdefault(name, value)
sys.path.insert(0, str(ROOT))


def main():
    import django

    django.setup()
    from django.test import Client

    from association.content import bump_content_version
    from groups.models import Meeting

    client = Client(headers={"X-Forwarded-Proto": "https"}, secure=True)

    def render():
        start, cpu = time.perf_counter(), time.process_time()
        response = client.get("/agenda/calendrier.ics")
        assert response.status_code == 200, response.status_code
        return (
            (time.perf_counter() - start) * 1000,
            (time.process_time() - cpu) * 1000,
            response.content.count(b"BEGIN:VEVENT"),
        )

    bump_content_version()
    wall, cpu, entries = render()
    print(f"{entries} entries; first render in a fresh process: {wall:.0f} ms (CPU {cpu:.0f} ms)")
    after = []
    for round_ in range(5):
        meeting = Meeting.objects.in_calendar_feed().order_by("?").first()
        meeting.agenda = f"Ordre du jour modifié ({round_}, {time.time()})"
        meeting.save()
        bump_content_version()
        after.append(render())
    wall = statistics.median(a[0] for a in after)
    cpu = statistics.median(a[1] for a in after)
    print(f"after one edit: median {wall:.0f} ms (CPU {cpu:.0f} ms)")


if __name__ == "__main__":
    main()
