"""Live instances of this portal for the national picture's tests: each its own SQLite database
(migrated once, copied), its own identity and data, its own `runserver` on a loopback port;
and a hostile server beside them (oversized, wrong schema, redirects to private addresses,
too slow)."""

import contextlib
import http.server
import json
import os
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.conftest import free_port

ROOT = Path(settings.BASE_DIR)

LOAD = """
import datetime
from django.utils import timezone
from association.models import SiteIdentity, Venue
from events.models import Event
from groups.models import Meeting, WorkingGroup
from members.models import Structure
from report.models import YearlyFigures

NAME, SHORT, TOWN, SIZE = {name!r}, {short!r}, {town!r}, {size!r}
today = timezone.localdate()
SiteIdentity.objects.update_or_create(
    pk=1, defaults={{"name": NAME, "short_name": SHORT, "website": "https://example.org/"}}
)
venue = Venue.objects.create(name="Maison des associations", town=TOWN)
group = WorkingGroup.objects.create(name="Mobilité solidaire", slug="mobilite")
for number in range(SIZE):
    structure = Structure.objects.create(
        name=f"{{SHORT}} structure {{number}}", slug=f"structure-{{number}}", town=TOWN
    )
    group.participant_structures.add(structure)
Meeting.objects.create(
    group=group, date=today + datetime.timedelta(days=10 + SIZE), start_time=datetime.time(14),
    venue=venue,
)
Event.objects.create(
    title=f"Forum de {{SHORT}}", slug="forum", date=today + datetime.timedelta(days=20 + SIZE),
    venue=venue, is_published=True,
)
YearlyFigures.objects.create(year=today.year - 1, meetings=10 * SIZE, beneficiaries=100 * SIZE)
"""

INSTANCES = [
    {"name": "PTCE du Pays de Lorient", "short": "PTCE Lorient", "town": "Lorient", "size": 2},
    {"name": "PTCE Sud Grésivaudan", "short": "PTCE Grésivaudan", "town": "Vinay", "size": 3},
    {"name": "PTCE du Val de Lys", "short": "PTCE Val de Lys", "town": "Armentières", "size": 4},
]


@dataclass
class LivePortal:
    name: str
    url: str
    process: subprocess.Popen

    @property
    def package(self) -> str:
        return f"{self.url}/donnees/datapackage.json"


def _env(database: Path, port: int | None = None) -> dict:
    env = {
        **os.environ,
        "DEBUG": "on",
        "ENV_FILE": "/dev/null",
        "DATABASE_URL": f"sqlite:///{database}",
        "SITE_URL": f"http://127.0.0.1:{port}" if port else "http://127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("CACHE_URL", None)
    return env


def _manage(*args, env: dict) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True,
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=120,
    )  # fmt: skip


def _wait_for(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server stopped")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"{url} never answered")


def start_portals(folder: Path) -> list[LivePortal]:
    template = folder / "template.sqlite3"
    _manage("migrate", "--noinput", "-v0", env=_env(template))
    envs = []
    for instance in INSTANCES:
        database = folder / f"{instance['short'].split()[-1].lower()}.sqlite3"
        shutil.copy(template, database)
        envs.append(_env(database, free_port()))
    # The three loads at once (each is mostly a Django start-up), then the three servers.
    loads = [
        subprocess.Popen(
            [sys.executable, "manage.py", "shell", "-c", LOAD.format(**instance)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        for instance, env in zip(INSTANCES, envs, strict=True)
    ]
    for load in loads:
        _, errors = load.communicate(timeout=120)
        if load.returncode:
            raise RuntimeError(f"loading a portal failed: {errors.decode()[-2000:]}")
    portals = []
    for instance, env in zip(INSTANCES, envs, strict=True):
        port = env["SITE_URL"].rsplit(":", 1)[1]
        process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
            cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        portals.append(LivePortal(instance["name"], f"http://127.0.0.1:{port}", process))
    for portal in portals:
        _wait_for(portal.package, portal.process)
    return portals


def stop_portals(portals: list[LivePortal]) -> None:
    for portal in portals:
        portal.process.terminate()
    for portal in portals:
        portal.process.wait(timeout=10)


# --- The hostile server -----------------------------------------------------------------------

HOSTILE_PATHS = {
    "oversized": "/grand/datapackage.json",
    "wrong schema": "/schema/datapackage.json",
    "to a private address": "/prive/datapackage.json",
    "to the cloud's metadata": "/metadonnees/datapackage.json",
    "too slow": "/lent/datapackage.json",
}


def hostile_server(real_package: dict, slow_seconds: float):
    """A server on loopback answering each of HOSTILE_PATHS as its name says; the wrong schema
    is a real package whose columns have lost their types and names."""
    wrong = json.loads(json.dumps(real_package))
    for resource in wrong["resources"]:
        resource["schema"] = {"fields": [{"name": "colonne", "type": "string"}]}

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path == HOSTILE_PATHS["oversized"]:
                self._send(b'{"resources": [' + b" " * (3 * 1024 * 1024) + b"]}")
            elif self.path == HOSTILE_PATHS["wrong schema"]:
                self._send(json.dumps(wrong).encode())
            elif self.path == HOSTILE_PATHS["to a private address"]:
                self._redirect("http://10.20.30.40/donnees/datapackage.json")
            elif self.path == HOSTILE_PATHS["to the cloud's metadata"]:
                self._redirect("http://169.254.169.254/latest/meta-data/")
            elif self.path == HOSTILE_PATHS["too slow"]:
                time.sleep(slow_seconds)
                self._send(b"{}")
            else:
                self.send_error(404)

        def _send(self, body: bytes):
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()  # no Content-Length: the reader must count
            with contextlib.suppress(OSError):  # the reader stopped at its limit
                self.wfile.write(body)

        def _redirect(self, location: str):
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server
