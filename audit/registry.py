"""What the trail records: each app registers its models from its `AppConfig.ready()`.

`register(model)` hands the model to django-auditlog (its save, delete and many-to-many
signals write an entry with the fields before and after); `scope` says which working group a
record belongs to, for the leads' view. Signals do not fire on `bulk_create` nor on
`QuerySet.update`: the services that write in bulk call `log_bulk_create` and `update_logged`
instead (see docs/audit.md for what is left uncovered)."""

from collections.abc import Callable, Iterable

from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from django.db import models
from django.db.models.signals import m2m_changed, pre_save
from django.dispatch import receiver

from audit.context import stamp
from audit.models import AuditEntry

Scope = Callable[[models.Model], int | None]
_scopes: dict[type[models.Model], Scope] = {}


def register(
    model: type[models.Model],
    *,
    exclude: Iterable[str] = (),
    m2m: Iterable[str] = (),
    scope: Scope | str | None = None,
) -> None:
    """Record every change to `model`, `exclude` left out (a password's hash, a counter);
    `m2m` the many-to-many fields whose additions and removals count; `scope` the attribute
    (« group_id ») or function giving the record's working group."""
    # Stored fields only: the reverse relations are no record's own values.
    fields = [field.name for field in model._meta.concrete_fields if field.name not in exclude]
    auditlog.register(model, include_fields=fields, m2m_fields=set(m2m))
    for name in m2m:
        field = model._meta.get_field(name)
        m2m_changed.connect(
            _remember_cleared(field),
            sender=field.remote_field.through,
            weak=False,
            dispatch_uid=f"audit_cleared_{model._meta.label}_{name}",
        )
    if isinstance(scope, str):
        attribute = scope
        _scopes[model] = lambda instance: getattr(instance, attribute, None)
    elif scope is not None:
        _scopes[model] = scope


def _remember_cleared(field):
    """django-auditlog records a `clear()` as the removal of every row of the other table (it
    reads them after the clear): note which were related before, for the entry to name them
    (`AuditEntryManager.log_m2m_changes`), from either side of the relation."""
    through = field.remote_field.through
    source, target = field.m2m_field_name(), field.m2m_reverse_field_name()

    def remember(sender, instance, action, reverse, **kwargs):
        if action != "pre_clear":
            return
        mine, theirs = (target, source) if reverse else (source, target)
        related = through._default_manager.filter(**{mine: instance.pk})
        instance.__dict__.setdefault("_audit_cleared", {})[field.name] = list(
            related.values_list(f"{theirs}_id", flat=True)
        )

    return remember


def registered_models() -> list[type[models.Model]]:
    return list(auditlog._registry)


def scope_of(instance: models.Model) -> int | None:
    scope = _scopes.get(type(instance)) or _scopes.get(instance._meta.concrete_model)
    return scope(instance) if scope else None


def log_bulk_create(objects: list[models.Model]) -> list[AuditEntry]:
    """What `bulk_create` wrote, as the signals would have recorded it (one insert for all).
    Call it after `bulk_create`, with the objects it returned (their keys set)."""
    entries = []
    for instance in objects:
        changes = model_instance_diff(None, instance)
        entry = AuditEntry(
            action=AuditEntry.Action.CREATE,
            changes=changes,
            **_about(instance),
        )
        entries.append(entry)
    return _insert(entries)


def update_logged(queryset: models.QuerySet, *, hide_before: bool = False, **values) -> int:
    """`queryset.update(**values)`, each row's change recorded (its fields before and after;
    `hide_before`: that they changed, not from what, when the old values are being forgotten)."""
    rows = list(queryset)
    count = queryset.update(**values)
    entries = []
    for instance in rows:
        changes = {}
        for name, value in values.items():
            field = instance._meta.get_field(name)
            old = getattr(instance, field.attname)
            new = value.pk if isinstance(value, models.Model) else value
            if old != new:
                changes[name] = ["effacé" if hide_before else str(old), str(new)]
        if changes:
            entries.append(
                AuditEntry(action=AuditEntry.Action.UPDATE, changes=changes, **_about(instance))
            )
    _insert(entries)
    return count


def _about(instance: models.Model) -> dict:
    from django.contrib.contenttypes.models import ContentType

    pk = instance.pk
    return {
        "content_type": ContentType.objects.get_for_model(instance),
        "object_pk": str(pk),
        "object_id": pk if isinstance(pk, int) else None,
        "object_repr": str(instance)[:2000],
        "record": instance,
    }


@receiver(pre_save, sender=AuditEntry, dispatch_uid="audit_entry_written")
def _on_write(sender, instance: AuditEntry, **kwargs):
    if instance.pk is None:
        _complete(instance)


def _complete(entry: AuditEntry) -> None:
    """What a new entry holds beyond the change: who made it and from where (the context), and
    the working group of its record."""
    stamp(entry)
    if entry.scope_id is None and entry.record is not None:
        entry.scope_id = scope_of(entry.record)


def _insert(entries: list[AuditEntry]) -> list[AuditEntry]:
    for entry in entries:  # `bulk_create` sends no pre_save
        _complete(entry)
    return AuditEntry.objects.bulk_create(entries)


# Who sees only part of the trail: a function of the request giving a condition on the
# entries it may see, or None for all (groups registers the leads': their groups' records).
_visibility: list[Callable] = []


def register_scope(scope: Callable) -> None:
    if scope not in _visibility:
        _visibility.append(scope)


def visible_entries(request, queryset: models.QuerySet) -> models.QuerySet:
    for scope in _visibility:
        condition = scope(request)
        if condition is not None:
            queryset = queryset.filter(condition)
    return queryset


# Whose names an account may read in an entry's changes (a foreign key's record): a function of
# the request, the related model and its records found, giving the keys of those it may name, or
# None for all (groups registers the leads': their groups' records, people and structures).
_naming: list[Callable] = []


def register_naming(scope: Callable) -> None:
    if scope not in _naming:
        _naming.append(scope)


def nameable(request, model: type[models.Model], records: list[models.Model]) -> set | None:
    """The keys of `records` the request's account may see named; None for all of them."""
    if request is None:
        return None
    shown = None
    for scope in _naming:
        allowed = scope(request, model, records)
        if allowed is not None:
            shown = set(allowed) if shown is None else shown & set(allowed)
    return shown


def has_scope(model: type[models.Model]) -> bool:
    return model in _scopes or model._meta.concrete_model in _scopes
