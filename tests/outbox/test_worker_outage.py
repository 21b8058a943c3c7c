"""The mail worker, as systemd runs it (scripts/entrypoint worker), through a database outage:
it keeps running and sends again once PostgreSQL is back (issue #26: it died, and the unit
had no RestartSec). The outage is a proxy in front of the test database that drops every
connection and refuses new ones, then comes back on the same port: the shared PostgreSQL
server is never stopped."""

import contextlib
import os
import socket
import subprocess
import threading
import time
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.conf import settings
from django.db import connection

from outbox.models import OutgoingMail
from outbox.services import send_outgoing_mail
from tests.conftest import Inbox, free_port
from tests.factories import OutgoingMailFactory

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the outage of a database server (the PostgreSQL pass of CI runs it)",
    ),
    pytest.mark.django_db(transaction=True),  # the worker is another process
]


class DatabaseProxy:
    """A TCP relay from a loopback port to PostgreSQL, which can go down and come back."""

    def __init__(self, target: tuple[str, int]):
        self.target, self.port = target, free_port()
        self.connections: list[socket.socket] = []
        self.listener: socket.socket | None = None

    def start(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", self.port), reuse_port=False)
        threading.Thread(target=self._accept, args=(self.listener,), daemon=True).start()

    def stop(self) -> None:
        """PostgreSQL gone: open connections cut, new ones refused."""
        # shutdown() wakes the thread blocked in accept(), which close() alone would not: the
        # port would go on accepting.
        with contextlib.suppress(OSError):
            self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for sock in self.connections:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.connections.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.target)
            self.connections += [client, server]
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self._pipe, args=(source, sink), daemon=True).start()

    @staticmethod
    def _pipe(source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        finally:
            for sock in (source, sink):
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)


def wait_until(condition, seconds: float = 30) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def status(mail: OutgoingMail) -> str:
    mail.refresh_from_db()
    return mail.status


def test_the_worker_waits_out_a_database_outage_and_sends_once_it_is_back(tmp_path):
    database = connection.settings_dict
    proxy = DatabaseProxy((database["HOST"] or "127.0.0.1", int(database["PORT"] or 5432)))
    proxy.start()
    inbox = Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=free_port())
    smtp.start()
    log = tmp_path / "worker.log"
    environment = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": os.devnull,
        "DEBUG": "on",
        "DATABASE_URL": (
            f"postgres://{database['USER']}:{database['PASSWORD']}@127.0.0.1:{proxy.port}/"
            f"{database['NAME']}"
        ),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp.port}",
        "CONN_MAX_AGE": "60",
    }
    with open(log, "w") as output:
        worker = subprocess.Popen(
            [str(Path(settings.BASE_DIR) / "scripts" / "entrypoint"), "worker"],
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        before = OutgoingMailFactory(recipient="avant@example.org")
        send_outgoing_mail.enqueue(before.pk)
        assert wait_until(lambda: status(before) == OutgoingMail.Status.SENT), log.read_text()

        proxy.stop()
        assert wait_until(lambda: "Database unavailable" in log.read_text()), log.read_text()
        time.sleep(3)  # a few retries, refused each time
        assert worker.poll() is None, log.read_text()

        # Queued while the worker cannot reach the database (the web process can).
        during = OutgoingMailFactory(recipient="pendant@example.org")
        send_outgoing_mail.enqueue(during.pk)
        proxy.start()
        assert wait_until(lambda: status(during) == OutgoingMail.Status.SENT, 60), log.read_text()
        assert worker.poll() is None
        assert [message["To"] for message in inbox.messages] == [
            "avant@example.org",
            "pendant@example.org",
        ]
    finally:
        worker.terminate()
        worker.wait(timeout=30)
        proxy.stop()
        smtp.stop()
