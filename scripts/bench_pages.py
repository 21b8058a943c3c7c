"""Benchmark of the public pages and feeds: time and queries at two data sizes, in one run.

    .venv/bin/python scripts/bench_pages.py [--repeat 20]

Builds the small and the large network of the query-count tests (10 vs 500 meetings, 2 vs 8
groups, 4 vs 60 structures, 2 vs 12 events) in a throwaway test database, requests every page
`--repeat` times with Django's test client, and prints the median time per page at each size,
their ratio and the query count. Ratios, not absolute times, are what to compare between runs:
a page whose work grows with the data shows a ratio well above 1 and a growing query count.
"""

import argparse
import datetime
import logging
import os
import statistics
import sys
import time
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ptce.settings")
# A development run on throwaway data: DEBUG on (it defaults to off), so no SECRET_KEY is needed.
os.environ.setdefault("DEBUG", "on")
# A throwaway database of its own, whatever DATABASE_URL says, unless asked otherwise.
os.environ.setdefault("BENCH_KEEP_DATABASE_URL", "")
if not os.environ["BENCH_KEEP_DATABASE_URL"]:
    os.environ["DATABASE_URL"] = "sqlite:///:memory:"

import django

django.setup()

import time_machine  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from ptce.demo.volume import LARGE, PAGES, SMALL, TODAY, build_network, page_url  # noqa: E402
from report.network import bench_network  # noqa: E402


def frozen():
    """The clock stopped at 10 h, Paris time, on the day the network is built around."""
    moment = datetime.datetime.combine(TODAY, datetime.time(10), tzinfo=ZoneInfo("Europe/Paris"))
    return time_machine.travel(moment, tick=False)


def measure(repeat: int, size: dict) -> dict[str, tuple[float, int]]:
    call_command("flush", interactive=False, verbosity=0)
    net = build_network(**size)
    client = Client()
    results = {}
    for name in PAGES:
        url = page_url(name, net)
        client.get(url)  # warm caches (content types, templates)
        timings = []
        for _ in range(repeat):
            reset_queries()
            start = time.perf_counter()
            client.get(url)
            timings.append(time.perf_counter() - start)
        results[name] = (statistics.median(timings), len(connection.queries))
    return results


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()

    logging.getLogger("django.request").setLevel(logging.ERROR)  # the 404 page is measured
    setup_test_environment()
    settings.DEBUG = True  # to count queries
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    connection.creation.create_test_db(verbosity=0, autoclobber=True)
    with frozen():
        small = measure(args.repeat, SMALL)
        large = measure(args.repeat, LARGE)

    print(f"{'page':<26}{'small ms':>10}{'large ms':>10}{'ratio':>8}{'queries':>10}")
    for name in PAGES:
        (t_small, q_small), (t_large, q_large) = small[name], large[name]
        queries = f"{q_small}" if q_small == q_large else f"{q_small}→{q_large}"
        ratio = t_large / t_small if t_small else float("nan")
        print(
            f"{name:<26}{t_small * 1000:>10.1f}{t_large * 1000:>10.1f}{ratio:>8.2f}{queries:>10}"
        )
    seconds = bench_network(structures=1000)
    print(f"network drawing, 1 000 structures (layout and SVG): {seconds * 1000:.0f} ms")


if __name__ == "__main__":
    main()
