"""A write without signals (`QuerySet.update`, `bulk_create`, `bulk_update`) escapes the audit
trail unless the service records it (`audit.registry.update_logged`, `log_bulk_create`). Each
one in the apps is listed here with why it may stay: a new one fails until it is recorded or
declared. The search reads the code (a call on `<Model>.objects…`, `.filter(…)`, `.answers`…):
an update on a queryset kept in a variable of another name is not seen."""

import ast
from pathlib import Path

from django.conf import settings

from tests.test_architecture import APPS

BULK = {"update", "bulk_create", "bulk_update"}
QUERYSET_WORDS = {"objects", "filter", "exclude", "all", "answers", "counted", "through"}

DECLARED = {
    # association stands below the trail: the calendars' UID domain, set once by the first
    # calendar served, never typed by anyone.
    ("association/calendars.py", "_fix_uid_domain", "update"): "below the trail",
    # The outbox's mails are not in the trail (their subject and body are not records edited).
    ("outbox/services.py", "queue_mails", "bulk_create"): "not recorded",
    ("outbox/services.py", "deliver_outgoing_mail", "update"): "not recorded",
    ("outbox/services.py", "_record_delivery", "update"): "not recorded",
    ("outbox/services.py", "resend_outgoing_mails", "update"): "not recorded",
    # The trail itself: its scrubs under a permit, its own inserts.
    ("audit/services.py", "scrub_records", "update"): "the trail",
    ("audit/services.py", "scrub_fields", "update"): "the trail",
    ("audit/services.py", "scrub_actor", "update"): "the trail",
    ("audit/services.py", "scrub_mentions", "update"): "the trail",
    ("audit/registry.py", "_insert", "bulk_create"): "the trail",
    # Django's own admin history.
    ("members/services/personal_data.py", "scrub_admin_history", "update"): "admin log",
    # Followed by log_bulk_create.
    ("groups/services/invitations.py", "send_invitations", "bulk_create"): "recorded",
    ("groups/services/attendance.py", "close_meeting", "bulk_create"): "recorded",
    # An erasure request's « handled »: not a record of the trail's list.
    ("space/admin.py", "mark_handled", "update"): "not recorded",
    # Other portals' published rows, read again at each harvest: not this association's records.
    ("opendata/harvest.py", "_store", "bulk_create"): "not recorded",
    # The newsletter's sending: the worker's progress (claimed, its heartbeat, sent), after a
    # scheduling that is recorded (`schedule_issue`); its sections, recomposed from the records
    # at will; the deliveries and the subscribers, not in the trail (docs/audit.md).
    ("news/services/sending.py", "_claim", "update"): "sending's progress",
    ("news/services/sending.py", "_stopped", "update"): "sending's progress",
    ("news/services/sending.py", "send_issue", "update"): "sending's progress",
    ("news/services/sending.py", "_write_batch", "bulk_create"): "deliveries: not recorded",
    ("news/services/composing.py", "compose_issue", "bulk_create"): "sections: not recorded",
    ("news/services/subscriptions.py", "mark_bounced", "update"): "subscribers: not recorded",
    ("news/services/subscriptions.py", "import_subscribers", "bulk_create"): "subscribers: not "
    "recorded",
    ("news/services/subscriptions.py", "send_queued_confirmations", "update"): "subscribers: "
    "not recorded",
    # The demo and the benchmark's network: loaded data, nobody's change.
    ("ptce/demo/volume.py", "build_network", "bulk_create"): "demo data",
    ("ptce/demo/participants.py", "_sample_minutes", "bulk_create"): "demo data",
    ("ptce/demo/participants.py", "reset_demo_lead", "update"): "demo data",
}


def _chain(node) -> list[str]:
    names = []
    while True:
        if isinstance(node, ast.Call):
            node = node.func
        elif isinstance(node, ast.Attribute):
            names.append(node.attr)
            node = node.value
        elif isinstance(node, ast.Name):
            names.append(node.id)
            return names
        else:
            return names


def _bulk_writes():
    base = Path(settings.BASE_DIR)
    for app in APPS:
        for path in (base / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for function in ast.walk(ast.parse(path.read_text())):
                if not isinstance(function, ast.FunctionDef):
                    continue
                for node in ast.walk(function):
                    if not (
                        isinstance(node, ast.Call)
                        and isinstance(node.func, ast.Attribute)
                        and node.func.attr in BULK
                    ):
                        continue
                    names = _chain(node.func.value)
                    if QUERYSET_WORDS & set(names) or any(n[:1].isupper() for n in names):
                        yield (str(path.relative_to(base)), function.name, node.func.attr)


def test_every_write_without_signals_is_recorded_or_declared():
    assert set(_bulk_writes()) - set(DECLARED) == set()


def test_the_declarations_are_not_stale():
    assert set(DECLARED) - set(_bulk_writes()) == set()
