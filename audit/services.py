"""The only writes the trail accepts besides new entries: the GDPR scrub and the retention
purge, each through a scrub permit (see `audit.models`) held inside its own transaction.

The member file drives them (`members/services/personal_data.py`, `retention.py`): this floor
knows records by model and key, never who a person is."""

import contextlib
import datetime
from collections.abc import Callable, Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import Q
from django.db.models.functions import Cast

from audit.models import AuditEntry, ScrubPermit

ERASED = "effacé"


@contextlib.contextmanager
def scrub_permit(reason: str):
    """Lift the trail's triggers for the length of the block, in one transaction: the permit
    is deleted before it commits, so no other connection ever sees it."""
    with transaction.atomic():
        permit = ScrubPermit.objects.create(reason=reason[:200])
        yield
        permit.delete()


def entries_about(model: type[models.Model], pks: Iterable) -> models.QuerySet:
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(model, for_concrete_model=False),
        object_pk__in=[str(pk) for pk in pks],
    )


def _blank_changes(changes) -> dict:
    """The same fields, each value replaced: a change happened, to these fields, no more."""
    if not isinstance(changes, dict):
        return {}
    blanked = {}
    for name, values in changes.items():
        if isinstance(values, dict):  # a many-to-many change: {"type", "operation", "objects"}
            blanked[name] = {**values, "objects": [ERASED for _ in values.get("objects", [])]}
        else:
            blanked[name] = [ERASED if value not in (None, "None") else value for value in values]
    return blanked


def scrub_records(
    *, model: type[models.Model], pks: Iterable, label: str = "Données effacées"
) -> int:
    """Erase what the trail holds of these records' past versions (every value, the name)
    while keeping that they were created, changed (which fields) or deleted, when and by whom."""
    entries = list(entries_about(model, pks).only("pk", "changes"))
    if not entries:
        return 0
    with scrub_permit(f"effacement : {model._meta.label}"):
        for entry in entries:
            AuditEntry.objects.filter(pk=entry.pk).update(
                changes=_blank_changes(entry.changes),
                changes_text="",
                object_repr=label,
                serialized_data=None,
                additional_data=None,
            )
    return len(entries)


def scrub_fields(*, model: type[models.Model], pks: Iterable, fields: Iterable[str]) -> int:
    """Erase the past values of some fields only (retention: an inactive person's e-mail and
    phone), the rest of the records' history left as it was."""
    fields = set(fields)
    entries = [
        entry
        for entry in entries_about(model, pks).only("pk", "changes")
        if isinstance(entry.changes, dict) and fields & entry.changes.keys()
    ]
    if not entries:
        return 0
    with scrub_permit(f"conservation : {model._meta.label}"):
        for entry in entries:
            changes = dict(entry.changes)
            changes.update(
                _blank_changes({name: changes[name] for name in fields & changes.keys()})
            )
            AuditEntry.objects.filter(pk=entry.pk).update(changes=changes, serialized_data=None)
    return len(entries)


def scrub_actor(*, accounts: Iterable, label: str) -> int:
    """The trail names an erased account's holder as the author of changes: replace the name,
    keep the account's number (the change still has an author)."""
    accounts = [account.pk for account in accounts]
    if not accounts:
        return 0
    with scrub_permit("effacement d'un auteur"):
        return AuditEntry.objects.filter(actor_id__in=accounts).update(
            actor_label=label, actor_email=None
        )


def scrub_mentions(*, terms: list[str], replace: Callable[[str], str]) -> int:
    """Replace a name or address wherever the trail holds it (the name of another record, a
    value in its changes, a visitor as author). `terms` find the candidate entries in the
    database (every spelling it compares as is); `replace` rewrites a text."""
    if not terms:
        return 0
    condition = Q()
    for term in terms:
        condition |= (
            Q(object_repr__icontains=term)
            | Q(actor_label__icontains=term)
            | Q(changes_as_text__icontains=term)
        )
    candidates = AuditEntry.objects.annotate(
        changes_as_text=Cast("changes", models.TextField())
    ).filter(condition)
    changed = 0
    with scrub_permit("effacement d'un nom dans le journal"):
        for entry in candidates.only("pk", "object_repr", "actor_label", "changes"):
            values = {
                "object_repr": replace(entry.object_repr),
                "actor_label": replace(entry.actor_label),
                "changes": _replace_in(entry.changes, replace),
            }
            if values != {
                "object_repr": entry.object_repr,
                "actor_label": entry.actor_label,
                "changes": entry.changes,
            }:
                AuditEntry.objects.filter(pk=entry.pk).update(**values)
                changed += 1
    return changed


def _replace_in(value, replace):
    if isinstance(value, str):
        return replace(value)
    if isinstance(value, list):
        return [_replace_in(item, replace) for item in value]
    if isinstance(value, dict):
        return {key: _replace_in(item, replace) for key, item in value.items()}
    return value


def purge_before(moment: datetime.datetime) -> int:
    """Delete the entries older than `moment` (retention: `AUDIT_RETENTION_YEARS`)."""
    old = AuditEntry.objects.filter(timestamp__lt=moment)
    if not old.exists():
        return 0
    with scrub_permit("durée de conservation du journal écoulée"):
        deleted, _ = old.delete()
    return deleted


def export_about(*, records: dict[type[models.Model], list], accounts: Iterable) -> list[dict]:
    """What the trail holds about a person: the changes to their records and the changes
    they made through their accounts, as JSON-ready rows (right of access)."""
    condition = Q(actor_id__in=[account.pk for account in accounts])
    for model, pks in records.items():
        if pks:
            condition |= Q(
                content_type=ContentType.objects.get_for_model(model),
                object_pk__in=[str(pk) for pk in pks],
            )
    from audit.display import changes_rows

    entries = AuditEntry.objects.filter(condition).select_related("content_type")
    return [
        {
            "date": entry.timestamp.isoformat(),
            "enregistrement": f"{entry.content_type.name} — {entry.object_repr}",
            "action": action_label(entry.action),
            "origine": entry.get_origin_display(),
            "auteur": entry.actor_label,
            "modifications": [
                {"champ": field, "avant": before, "après": after}
                for field, before, after in changes_rows(entry)
            ],
        }
        for entry in entries.order_by("timestamp", "pk")
    ]


ACTIONS = {
    AuditEntry.Action.CREATE: "création",
    AuditEntry.Action.UPDATE: "modification",
    AuditEntry.Action.DELETE: "suppression",
    AuditEntry.Action.ACCESS: "consultation",
}


def action_label(action: int) -> str:
    return ACTIONS.get(action, str(action))
