"""`make bench`: the public pages under load, at three sizes of data, against a bare view.

    .venv/bin/python scripts/bench.py [--scales 1 10 100] [--rounds 5] [--duration 3] [--identity]
    .venv/bin/python scripts/bench_fault.py [--duration 5]   # the database stopped under load

For each scale (ptce/demo/volume.py SCALES: 100x is 10 000 people, 1 000 structures, 5 000
meetings, 500 events) it writes a fresh SQLite database beside the code (bench/, ignored by
git), counts each page's SQL queries and times its cold render in-process (the first request
after a change: the content version raised), counts the renders of 8 visitors asking for it at
once right after a change (1: the page cache holds the others off), then starts gunicorn with
the production settings (DEBUG off, 2 workers) and drives each page with wrk. Each page's run
is paired with a run of a bare view (a constant through the same middleware), bare and page
interleaved, and the ratio is the median over the rounds, so the machine's drift (other
processes, CPU frequency) cancels out. Separate from the tests: it takes minutes and its
figures depend on the machine.
"""

import argparse
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from benchlib import ROOT, build, collect_static, fresh_database, in_django, production_env

WRK_CONNECTIONS = 8
WORKERS = 2
# What every browser and calendar application sends; `--identity` measures without it.
ACCEPT_ENCODING = "gzip, deflate, br, zstd"
# The Host a visitor sends, without the bench's port: the page cache stores and serves only
# the pages asked with SITE_URL's port (ptce/cache.py), none here.
HOST = "127.0.0.1"
# Visitors asking for one page at once right after a change (the stampede count).
STAMPEDE_VISITORS = 8

PAGES = {
    "home": "/",
    "agenda": "/agenda/",
    "group": "group_detail",
    "meeting": "meeting_detail",
    "event": "event_detail",
    "structures": "/structures/",
    "join form": "/adherer/",
    "agenda calendar": "/agenda/calendrier.ics",
    "network": "/reseau/",
    # A structure's page draws its own network (issue 22): measured with the network page.
    "structure": "structure_detail",
}

# The admin pages measured at each scale: the coordinator's lists, and the page of the group with
# the most meetings (its meetings are listed by link, not inline, so its cost stays flat).
ADMIN_PAGES = {
    "people list": "/admin/members/person/",
    "structures list": "/admin/members/structure/",
    "memberships list": "/admin/members/membership/",
    "join requests list": "/admin/joining/joinrequest/",
    "meetings list": "/admin/groups/meeting/",
    "events list": "/admin/events/event/",
    "mails list": "/admin/outbox/outgoingmail/",
    # The searches used daily, on the names this network has (scripts/bench_admin.py measures
    # them on French names, with join requests, as a coordinator).
    "people search": "/admin/members/person/?q=nom42",
    "structures search": "/admin/members/structure/?q=structure%2000",
    "join requests search": "/admin/joining/joinrequest/?q=dupont",
    "working group's page": lambda net: f"/admin/groups/workinggroup/{net.group.pk}/change/",
}


def server_env(database_url: str, **extra) -> dict:
    """A real instance's settings (benchlib) served by gunicorn, with the bare view."""
    return production_env(
        database_url,
        BENCH_BARE_VIEW="on",
        GUNICORN_ACCESS_LOG="",  # one line per request would measure the terminal
        GUNICORN_MAX_REQUESTS="0",  # no worker renewed in the middle of a run
        **extra,
    )


# --- Inside a Django process: data and query counts ----------------------------------------


# Renders in process per page (cold public pages, admin pages): the median of their CPU time,
# 3 per wrk round (9 with ROUNDS=3; CI's one-round form, 3). SQLite runs in the process, so its
# work is counted; a busy machine disturbs CPU time less than wall-clock time (a single slow
# spell moved a page's wall-clock median of 5 by 2x).
RENDERS_PER_ROUND = 3


def generate(scale: int, render_count: int = RENDERS_PER_ROUND) -> dict:
    """Build the network of `scale` in the (migrated) database; each page's path, its queries
    rendered and cached, its render time, and the admin pages'."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from association.content import bump_content_version
    from ptce.cache import PublicPageCacheMiddleware
    from ptce.demo.volume import page_url

    def stampede(path: str) -> int:
        """STAMPEDE_VISITORS anonymous visitors asking for `path` at once right after a change:
        how many renders they cost (1 when the page cache holds them off, ptce/cache.py)."""
        client.get(path)
        bump_content_version()
        renders, lock = [0], threading.Lock()
        store = PublicPageCacheMiddleware._store  # reached by a request that rendered

        def counting(middleware, *args):
            with lock:
                renders[0] += 1
            return store(middleware, *args)

        start = threading.Barrier(STAMPEDE_VISITORS)

        def visitor():
            visiting = Client(headers={"X-Forwarded-Proto": "https", "Host": HOST}, secure=True)
            start.wait()
            visiting.get(path)
            connection.close()

        PublicPageCacheMiddleware._store = counting
        try:
            threads = [threading.Thread(target=visitor) for _ in range(STAMPEDE_VISITORS)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        finally:
            PublicPageCacheMiddleware._store = store
        return renders[0]

    net = build(scale)
    client = Client(headers={"X-Forwarded-Proto": "https", "Host": HOST}, secure=True)
    report = {"pages": {}}
    for name, path in PAGES.items():
        path = page_url(path, net) if not path.startswith("/") else path
        renders = []
        client.get(path)  # stored under the current version
        for _ in range(render_count):
            # Cold: the first request after a change to any record a public page shows (the
            # version raised, as by an edit in the back-office).
            bump_content_version()
            start = time.process_time()
            with CaptureQueriesContext(connection) as rendered:
                response = client.get(path)
            renders.append(time.process_time() - start)
            assert response.status_code == 200, (path, response.status_code)
        with CaptureQueriesContext(connection) as cached:
            client.get(path)
        if len(cached) > 1:  # one query, the content version: else the bench measures renders
            raise SystemExit(f"{path}: the page cache did not answer ({len(cached)} queries)")
        report["pages"][name] = {
            "path": path,
            "queries": len(rendered),
            "cached_queries": len(cached),
            "render_ms": statistics.median(renders) * 1000,
            "stampede_renders": stampede(path),
        }
    admin = get_user_model().objects.create_superuser("bench", "bench@example.org", "x")
    client.force_login(admin)
    report["admin"] = {}
    for name, path in ADMIN_PAGES.items():
        path = path(net) if callable(path) else path
        timings = []
        client.get(path)  # warm: content types, permissions' caches
        for _ in range(render_count):
            start = time.process_time()
            with CaptureQueriesContext(connection) as admin_queries:
                assert client.get(path).status_code == 200, path
            timings.append(time.process_time() - start)
        report["admin"][name] = {
            "path": path,
            "ms": statistics.median(timings) * 1000,
            "queries": len(admin_queries),
        }
    return report


# --- Outside: gunicorn and wrk ---------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def prepare(scale: int, render_count: int) -> tuple[str, dict]:
    database_url = fresh_database(f"scale-{scale}")
    started = time.perf_counter()
    report = in_django(server_env(database_url), generate, scale, render_count)
    print(f"  {scale}x: data and query counts in {time.perf_counter() - started:.0f} s")
    return database_url, report


class Server:
    """gunicorn as `scripts/entrypoint web` starts it, on a free loopback port."""

    def __init__(self, env: dict, log: Path | None = None):
        self.port = free_port()
        self.log = log
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(WORKERS),
        }

    def __enter__(self):
        output = open(self.log, "w") if self.log else None
        self.process = subprocess.Popen(
            ["scripts/entrypoint", "web"],
            env=self.env,
            cwd=ROOT,
            start_new_session=True,
            stdout=output,
            stderr=output,
        )
        for _ in range(100):
            try:
                self.get("/sante/")
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=20)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def get(self, path: str) -> int:
        request = urllib.request.Request(
            self.url(path), headers={"X-Forwarded-Proto": "https", "Host": HOST}
        )
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3}


def wrk(server: Server, path: str, duration: int) -> dict:
    encoding = ["-H", f"Accept-Encoding: {ACCEPT_ENCODING}"] if ACCEPT_ENCODING else []
    out = subprocess.run(
        [
            "wrk",
            "--latency",
            f"-t{min(2, WRK_CONNECTIONS)}",
            f"-c{WRK_CONNECTIONS}",
            f"-d{duration}s",
            "-H",
            "X-Forwarded-Proto: https",
            "-H",
            f"Host: {HOST}",
            *encoding,
            server.url(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Non-2xx" in out or "Socket errors" in out or "Requests/sec:        0" in out:
        raise RuntimeError(f"{path}: errors under load\n{out}")
    latency = {
        pct: float(value) * UNITS[unit]
        for pct, value, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)$", out, re.M)
    }
    if os.environ.get("BENCH_VERBOSE"):
        print(path, out, file=sys.stderr)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1]),
        "p50": latency["50"],
        "p99": latency["99"],
    }


def measure(database_url: str, report: dict, rounds: int, duration: int) -> dict:
    results = {}
    with Server(server_env(database_url)) as server:
        for name, page in report["pages"].items():
            for _ in range(5 * WORKERS):  # warm: each worker renders and caches
                server.get(page["path"])
            bare, runs = [], []
            for _ in range(rounds):
                bare.append(wrk(server, "/__bench__/bare/", duration))
                runs.append(wrk(server, page["path"], duration))
            results[name] = {
                "rps": statistics.median(r["rps"] for r in runs),
                "bare_rps": statistics.median(b["rps"] for b in bare),
                "p50": statistics.median(r["p50"] for r in runs),
                "p99": statistics.median(r["p99"] for r in runs),
                "ratio": statistics.median(
                    r["rps"] / b["rps"] for r, b in zip(runs, bare, strict=True)
                ),
            }
    return results


def table(scales, reports, results) -> str:
    lines = [
        "| page | "
        + " | ".join(f"{s}x req/s · p50/p99 ms · ratio" for s in scales)
        + " | queries (cold/cached) | cold CPU ms "
        + " / ".join(f"{s}x" for s in scales)
        + f" | renders for {STAMPEDE_VISITORS} at once |",
        "| --- |" + " --- |" * (len(scales) + 3),
    ]
    for name in PAGES:
        cells = []
        for scale in scales:
            r = results[scale][name]
            cells.append(f"{r['rps']:.0f} · {r['p50']:.1f}/{r['p99']:.1f} · {r['ratio']:.2f}")
        counts = {
            (reports[s]["pages"][name]["queries"], reports[s]["pages"][name]["cached_queries"])
            for s in scales
        }
        queries = " ≠ ".join(f"{q}/{c}" for q, c in sorted(counts))
        renders = " / ".join(f"{reports[s]['pages'][name]['render_ms']:.1f}" for s in scales)
        stampedes = " / ".join(str(reports[s]["pages"][name]["stampede_renders"]) for s in scales)
        lines.append(
            f"| {name} | " + " | ".join(cells) + f" | {queries} | {renders} | {stampedes} |"
        )
    bare = " | ".join(
        f"{statistics.median(r['bare_rps'] for r in results[s].values()):.0f}" for s in scales
    )
    lines.append(f"| *bare view* | {bare} | 0/0 | | |")
    lines.append("")
    for name in ADMIN_PAGES:
        admin = " / ".join(f"{reports[s]['admin'][name]['ms']:.1f}" for s in scales)
        queries = " / ".join(str(reports[s]["admin"][name]["queries"]) for s in scales)
        lines.append(
            f"Admin {name} (render, CPU ms, {' / '.join(f'{s}x' for s in scales)}): "
            f"{admin} ({queries} queries)."
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=3)
    parser.add_argument(
        "--identity", action="store_true", help="no Accept-Encoding: the pages uncompressed"
    )
    args = parser.parse_args()
    if args.identity:
        global ACCEPT_ENCODING
        ACCEPT_ENCODING = ""
    if shutil.which("wrk") is None:
        sys.exit("wrk is missing: apt-get install wrk")
    collect_static()
    reports, results = {}, {}
    for scale in args.scales:
        database_url, reports[scale] = prepare(scale, RENDERS_PER_ROUND * args.rounds)
        results[scale] = measure(database_url, reports[scale], args.rounds, args.duration)
        print(f"  {scale}x: measured")
    print()
    print(table(args.scales, reports, results))


if __name__ == "__main__":
    main()
