"""The newsletter's sending, measured: throughput, memory, and a sender killed half-way.

    .venv/bin/python scripts/bench_newsletter.py [--recipients 10000]

On a fresh SQLite database beside the code (bench/, ignored by git) with the demo's issue n° 1
and `--recipients` confirmed subscribers, against a local SMTP server this script starts in a
process of its own (aiosmtpd, writing each recipient it accepts to a file):

1. the limit of this machine: a bare `smtplib` loop sending the same message to every
   recipient over one connection;
2. the portal: `manage.py send_newsletters --here` (through the outbox, one Delivery row and one
   OutgoingMail row per recipient, over one connection, no throttle), its throughput as a ratio
   to the bare loop, and the sender's resident memory sampled as it goes;
3. a sender killed (SIGKILL, a crash) a third of the way, restarted once its lease and claim are
   stale: every recipient counted in the server's log, duplicates and missing;
4. the same with SIGTERM (a deploy), restarted at once.

Throughputs are counted between the first and the last message the server accepted, so the
processes' start-up does not count. Not a test: the figures depend on the machine.
"""

import argparse
import asyncio
import collections
import os
import signal
import smtplib
import socket
import subprocess
import sys
import time
from pathlib import Path

from benchlib import DATA, PYTHON, ROOT, fresh_database, in_django, production_env

# OUTGOING_MAIL_CLAIM_TIMEOUT must exceed 12 x EMAIL_TIMEOUT (ptce/settings.py).
EMAIL_TIMEOUT = 1
CLAIM_TIMEOUT = 13


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


# --- The SMTP server: a process of its own ----------------------------------------------------


def smtp_sink(port: int, log: Path) -> None:
    """Accept every message; append « time recipient » per recipient to `log`."""
    from aiosmtpd.controller import Controller

    out = log.open("a", buffering=1)

    class Handler:
        async def handle_DATA(self, server, session, envelope):
            now = time.time()
            for address in envelope.rcpt_tos:
                out.write(f"{now:.6f} {address}\n")
            return "250 OK"

    # Blocked before the server's thread starts, so that sigwait() below receives them.
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    controller = Controller(Handler(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


class Sink:
    def __init__(self, log: Path):
        self.port, self.log = free_port(), log
        log.unlink(missing_ok=True)
        log.touch()
        self.process = subprocess.Popen(
            [PYTHON, __file__, "--smtp-sink", str(self.port), str(log)], cwd=ROOT
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("the SMTP server did not start")

    def lines(self) -> list[tuple[float, str]]:
        rows = []
        for line in self.log.read_text().splitlines():
            moment, address = line.split(" ", 1)
            rows.append((float(moment), address))
        return rows

    def count(self) -> int:
        with self.log.open("rb") as file:
            return sum(1 for _ in file)

    def stop(self) -> None:
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=10)


# --- Inside Django: the database and the message -------------------------------------------


def setup(recipients: int, message_file: str) -> None:
    """Load the demo, copy issue n° 1 as issues 101, 102, 103 (drafts), subscribe the
    recipients, and write one personal message as bytes for the bare loop."""
    from django.core.management import call_command
    from django.utils import timezone

    from news.models import Issue, Subscriber
    from news.services.sending import personal_mail, render_issue_mail

    # The local SMTP server only: no real person is mailed.
    call_command("load_newsletter", real_mail=True, stdout=open(os.devnull, "w"))  # noqa: SIM115
    model = Issue.objects.get(number=1)
    for number in (101, 102, 103):
        issue = Issue.objects.create(number=number, title=model.title, editorial=model.editorial)
        for section in model.sections.all():
            section.pk, section.issue = None, issue
            section.save()
    now = timezone.now()
    Subscriber.objects.bulk_create(
        (
            Subscriber(
                email=f"abonne{i:05d}@example.org",
                status="confirmed",
                source="import",
                consent_version="bench",
                requested_at=now,
                confirmed_at=now,
            )
            for i in range(recipients)
        ),
        batch_size=1000,
    )
    from django.core import mail

    fields = personal_mail(render_issue_mail(model), Subscriber.objects.first())
    message = mail.EmailMultiAlternatives(
        subject=fields["subject"], body=fields["body_text"], to=[fields["recipient"]]
    )
    message.attach_alternative(fields["body_html"], "text/html")
    # As Django's SMTP backend writes it: CRLF line ends.
    raw = message.message().as_bytes().replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")
    Path(message_file).write_bytes(raw)


def schedule(number: int) -> None:
    from django.utils import timezone

    from news.models import Issue

    Issue.objects.filter(number=number).update(status="scheduled", send_at=timezone.now())


# --- The runs -----------------------------------------------------------------------------------


def env(database: str, port: int) -> dict:
    """A real instance's settings (benchlib), mailing through the server on `port`."""
    return production_env(
        database,
        SITE_URL="https://portail.example.org",
        EMAIL_URL=f"smtp://127.0.0.1:{port}",
        EMAIL_TIMEOUT=str(EMAIL_TIMEOUT),
        OUTGOING_MAIL_CLAIM_TIMEOUT=str(CLAIM_TIMEOUT),
        NEWSLETTER_MAILS_PER_MINUTE="0",
    )


def rss_kib(pid: int) -> int | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        return None
    return None


def sender(database: str, sink: Sink) -> subprocess.Popen:
    return subprocess.Popen(
        [PYTHON, "manage.py", "send_newsletters", "--here"],
        cwd=ROOT,
        env=env(database, sink.port),
        stdout=subprocess.DEVNULL,
    )


def throughput(rows: list[tuple[float, str]]) -> float:
    moments = [moment for moment, _ in rows]
    return (len(moments) - 1) / (max(moments) - min(moments))


def bare_loop(sink: Sink, message: bytes, recipients: int) -> float:
    with smtplib.SMTP("127.0.0.1", sink.port, local_hostname="localhost", timeout=10) as server:
        for i in range(recipients):
            server.sendmail("ne-pas-repondre@localhost", [f"abonne{i:05d}@example.org"], message)
    return throughput(sink.lines())


def send_and_sample(database: str, sink: Sink, recipients: int) -> tuple[float, list]:
    process = sender(database, sink)
    samples = []
    while process.poll() is None:
        sent, memory = sink.count(), rss_kib(process.pid)
        if memory:
            samples.append((sent, memory))
        time.sleep(0.25)
    if process.returncode != 0:
        raise RuntimeError("send_newsletters failed")
    return throughput(sink.lines()), samples


def interrupted(database: str, sink: Sink, recipients: int, how: int) -> dict:
    """Stop the sender with `how` a third of the way, restart it (after the claim timeout for
    a crash), and count each recipient in the server's log."""
    process = sender(database, sink)
    while sink.count() < recipients // 3:
        if process.poll() is not None:
            raise RuntimeError("the sender ended before it was stopped")
        time.sleep(0.01)
    process.send_signal(how)
    process.wait(timeout=60)
    at_stop = sink.count()
    if how == signal.SIGKILL:
        time.sleep(CLAIM_TIMEOUT + 1)
    restarted = sender(database, sink)
    restarted.wait(timeout=3600)
    counts = collections.Counter(address for _, address in sink.lines())
    expected = {f"abonne{i:05d}@example.org" for i in range(recipients)}
    return {
        "stopped after": at_stop,
        "received": sum(counts.values()),
        "duplicates": sum(count - 1 for count in counts.values() if count > 1),
        "missing": len(expected - set(counts)),
        "strangers": len(set(counts) - expected),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--recipients", type=int, default=10_000)
    options = parser.parse_args()
    recipients = options.recipients
    print(f"Préparation : {recipients} abonnés, la lettre n° 1 de la démonstration…", flush=True)
    database, message_file = fresh_database("newsletter"), DATA / "newsletter.eml"
    in_django(env(database, 25), setup, recipients, str(message_file))
    message = message_file.read_bytes()

    sink = Sink(DATA / "smtp-bare.log")
    bare = bare_loop(sink, message, recipients)
    sink.stop()
    print(f"Boucle smtplib nue, une connexion : {bare:.0f} messages/s")

    sink = Sink(DATA / "smtp-send.log")
    in_django(env(database, sink.port), schedule, 101)
    portal, samples = send_and_sample(database, sink, recipients)
    received = len(sink.lines())
    sink.stop()
    print(
        f"Envoi par le portail (outbox, une ligne Delivery et une OutgoingMail par abonné) : "
        f"{portal:.0f} messages/s, soit {portal / bare:.2f} fois la boucle nue ; "
        f"{received} reçus sur {recipients}"
    )
    if samples:
        marks = [samples[len(samples) * k // 4] for k in range(4)] + [samples[-1]]
        print(
            "Mémoire du processus d'envoi (envoyés → RSS) : "
            + ", ".join(f"{sent} → {memory / 1024:.0f} Mo" for sent, memory in marks)
        )

    for number, how, label in ((102, signal.SIGKILL, "SIGKILL"), (103, signal.SIGTERM, "SIGTERM")):
        sink = Sink(DATA / f"smtp-{label}.log")
        in_django(env(database, sink.port), schedule, number)
        figures = interrupted(database, sink, recipients, how)
        sink.stop()
        print(
            f"Arrêt par {label} après {figures['stopped after']} messages, puis reprise : "
            f"{figures['received']} reçus, {figures['duplicates']} en double, "
            f"{figures['missing']} manquants"
        )


if __name__ == "__main__":
    if sys.argv[1:2] == ["--smtp-sink"]:
        asyncio.set_event_loop(asyncio.new_event_loop())
        smtp_sink(int(sys.argv[2]), Path(sys.argv[3]))
    else:
        main()
