"""`make bench FAULT=db`: the database stopped for a few seconds under load.

A PostgreSQL server of its own (initdb in a temporary folder, on a free port: the machine's
server is never touched) holds a small network; gunicorn serves it with the production
settings while visitors read the home page and send the join form. Five seconds in (`--duration`),
the database stops; five seconds later it starts again. The scenario prints, before, during and
after the outage, how many answers were pages, join confirmations, 503 pages, other errors or
refused connections; how long the portal took to answer again; and whether every join request
that got a confirmation is in the database afterwards.
"""

import argparse
import contextlib
import glob
import html
import itertools
import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import urllib.parse
from collections import Counter
from http.client import HTTPConnection
from pathlib import Path

from bench import HOST, Server, free_port, generate, server_env
from benchlib import ROOT, collect_static, in_django, manage

VISITORS = 4


class Cluster:
    """A throwaway PostgreSQL server, run as the `postgres` account when we are root."""

    def __init__(self):
        binaries = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"))
        if not binaries:
            raise SystemExit("FAULT=db needs PostgreSQL's server (apt-get install postgresql).")
        self.bin = Path(binaries[-1]).parent
        self.folder = Path(tempfile.mkdtemp(prefix="ptce-bench-pg-"))
        self.port = free_port()
        self.as_owner = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        if self.as_owner:
            shutil.chown(self.folder, "postgres")
        self.url = f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args):
        subprocess.run(
            [*self.as_owner, str(self.bin / "pg_ctl"), "-D", str(self.folder / "data"), *args],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.folder,  # the server's account may not enter the clone's folder
        )

    def __enter__(self):
        subprocess.run(
            [
                *self.as_owner,
                str(self.bin / "initdb"),
                "-D",
                str(self.folder / "data"),
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
            ],
            check=True,
            stdout=subprocess.DEVNULL,
            cwd=self.folder,
        )
        self.start()
        return self

    def start(self):
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self):
        self._ctl("-m", "fast", "-w", "stop")

    def __exit__(self, *exc):
        with contextlib.suppress(subprocess.CalledProcessError):
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


class Visitor(threading.Thread):
    """Reads the home page and sends the join form, in turn, until told to stop."""

    numbers = itertools.count()

    def __init__(self, port: int, clock, stop: threading.Event):
        super().__init__(daemon=True)
        self.port, self.clock, self.stop = port, clock, stop
        self.answers: list[tuple[float, str]] = []
        self.confirmed: list[str] = []

    def request(self, method, path, body=None, headers=None):
        connection = HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            connection.request(
                method,
                path,
                body=body,
                headers={"X-Forwarded-Proto": "https", "Host": HOST, **(headers or {})},
            )
            response = connection.getresponse()
            return response.status, response.getheaders(), response.read().decode()
        finally:
            connection.close()

    def record(self, outcome: str):
        self.answers.append((self.clock(), outcome))

    def send_join_form(self):
        status, headers, page = self.request("GET", "/adherer/")
        if status != 200:
            return self.record(str(status))
        cookie = next(
            v.split(";")[0]
            for k, v in headers
            if k.lower() == "set-cookie" and v.startswith("csrftoken=")
        )
        fields = dict(re.findall(r'name="(csrfmiddlewaretoken|form_token)" value="([^"]+)"', page))
        email = f"visiteur{next(self.numbers)}@example.org"
        data = {
            **{name: html.unescape(value) for name, value in fields.items()},
            "applicant_kind": "person",
            "wants_membership": "on",
            "first_name": "Louise",
            "last_name": "Lefebvre",
            "email": email,
            "phone": "0612345678",
            "town": "Carvin",
            "message": "",
            "website": "",
            "consent": "on",
        }
        origin = f"https://{HOST}"
        status, headers, _ = self.request(
            "POST",
            "/adherer/",
            body=urllib.parse.urlencode(data),
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Cookie": cookie,
                "Origin": origin,
                "Referer": origin + "/adherer/",
            },
        )
        if status == 302 and dict(headers).get("Location", "").endswith("/adherer/merci/"):
            self.confirmed.append(email)
            return self.record("confirmed")
        return self.record(str(status))

    def run(self):
        while not self.stop.is_set():
            try:
                status, _, _ = self.request("GET", "/")
                self.record(str(status))
                self.send_join_form()
            except (OSError, StopIteration) as error:
                self.record(type(error).__name__)
                time.sleep(0.05)


def database_fault(seconds: float):
    """`seconds` of load before the outage and of outage, and more after it (recovery)."""
    before, outage, after = seconds, seconds, seconds * 1.6
    collect_static()
    with Cluster() as cluster:
        env = server_env(
            cluster.url,
            JOIN_MIN_FILL_SECONDS="0",
            JOIN_RATE_LIMIT="1000000",
            JOIN_ACKNOWLEDGEMENT_LIMIT="1000000",
        )
        manage(env, "migrate", "--noinput")
        in_django(env, generate, 1)
        log = ROOT / "bench" / "fault-db.log"
        print(f"gunicorn's console (a traceback per refused request, as in production): {log}")
        with Server(env, log=log) as server:
            started = time.monotonic()
            clock = lambda: time.monotonic() - started  # noqa: E731
            stop = threading.Event()
            visitors = [Visitor(server.port, clock, stop) for _ in range(VISITORS)]
            for visitor in visitors:
                visitor.start()
            time.sleep(before)
            stopped_at = clock()  # from the order to stop: refusals start at once
            cluster.stop()
            time.sleep(outage)
            cluster.start()
            restarted_at = clock()
            time.sleep(after)
            stop.set()
            for visitor in visitors:
                visitor.join(timeout=15)
        answers = sorted(a for v in visitors for a in v.answers)
        confirmed = [email for v in visitors for email in v.confirmed]
        import psycopg

        with psycopg.connect(cluster.url.replace("postgres://", "postgresql://")) as db:
            saved = {row[0] for row in db.execute("SELECT email FROM joining_joinrequest")}

    phases = {
        "before": [o for t, o in answers if t < stopped_at],
        "outage": [o for t, o in answers if stopped_at <= t < restarted_at],
        "after": [o for t, o in answers if t >= restarted_at],
    }
    recovered = next(
        (t - restarted_at for t, o in answers if t >= restarted_at and o in ("200", "confirmed")),
        None,
    )
    print(f"Database stopped at {stopped_at:.1f} s, started again at {restarted_at:.1f} s.")
    for phase, outcomes in phases.items():
        counts = ", ".join(f"{o}: {n}" for o, n in sorted(Counter(outcomes).items()))
        print(f"  {phase:<7} {counts}")
    print(
        f"  first page served {recovered:.2f} s after the restart"
        if recovered is not None
        else "  never recovered"
    )
    missing = [email for email in confirmed if email not in saved]
    print(
        f"  join requests confirmed: {len(confirmed)}, in the database: "
        f"{len(confirmed) - len(missing)}, lost: {len(missing)}"
    )
    other_errors = [o for o in (o for _, o in answers) if o.startswith("5") and o != "503"]
    if missing or other_errors or recovered is None:
        raise SystemExit("FAULT=db: the portal did not survive the outage")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--duration", type=float, default=5.0, help="seconds before, and of, the outage"
    )
    database_fault(parser.parse_args().duration)
