"""An entry's changes as a person reads them, field by field: the admin's page, the auditor's
export and a person's data export all show them so."""

from collections.abc import Iterable

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.utils.text import capfirst

from audit.models import AuditEntry
from audit.registry import nameable


class RelatedNames:
    """The current names of the records the foreign keys of `entries` point to, read once for
    a page of entries: one query per related model, whatever the number of entries.

    A record still there is named by its `str`, as the admin names it (an erased person by
    the anonymised name their record now has: erasure never brings a name back); one gone is
    « n° 12 (supprimé) »; one the account may not see (a lead, a record outside their groups,
    `audit.registry.register_naming`) stays « n° 12 »."""

    def __init__(self, entries: Iterable[AuditEntry], request=None):
        wanted: dict[type, set] = {}
        for entry in entries:
            for field, values in _foreign_keys(entry):
                for value in values:
                    if (pk := _pk(field, value)) is not None:
                        wanted.setdefault(field.related_model, set()).add(pk)
        self.names: dict[tuple[type, str], str] = {}
        self.found: set[tuple[type, str]] = set()
        for model, pks in wanted.items():
            related = [
                f.name
                for f in model._meta.concrete_fields
                if f.is_relation and (f.many_to_one or f.one_to_one)
            ]
            # One level of its own relations: most names read their group or person.
            records = model._base_manager.filter(pk__in=pks)
            records = list(records.select_related(*related) if related else records)
            shown = nameable(request, model, records)
            for record in records:
                self.found.add((model, str(record.pk)))
                if shown is None or record.pk in shown:
                    self.names[(model, str(record.pk))] = str(record)

    def shown(self, field, value: str) -> str:
        key = (field.related_model, value)
        if key in self.names:
            return self.names[key]
        if key in self.found or _pk(field, value) is None:
            return f"n° {value}"
        return f"n° {value} (supprimé)"


def changes_rows(
    entry: AuditEntry, names: RelatedNames | None = None
) -> list[tuple[str, str, str]]:
    """(field, before, after) for display and export; a many-to-many change in words; a
    foreign key by the related record's name where `names` has it, else by its number."""
    rows = []
    model = entry.content_type.model_class()
    for name, values in (entry.changes or {}).items():
        field = _field(model, name)
        label = capfirst(str(field.verbose_name)) if field else name
        if isinstance(values, dict):
            objects = ", ".join(values.get("objects", []))
            verb = "ajout" if values.get("operation") == "add" else "retrait"
            rows.append((label, "", f"{verb} : {objects}"))
        else:
            before, after = [_shown(field, value, names) for value in [*values, "", ""][:2]]
            rows.append((label, before, after))
    return rows


def _foreign_keys(entry: AuditEntry):
    """(field, [before, after]) of the entry's changed foreign keys."""
    model = entry.content_type.model_class()
    for name, values in (entry.changes or {}).items():
        field = _field(model, name)
        if (
            field is not None
            and field.is_relation
            and (field.many_to_one or field.one_to_one)
            and isinstance(values, list)
        ):
            yield field, [str(value) for value in values if value not in (None, "None", "")]


def _pk(field, value: str):
    """The related record's key from its text in the entry; None for a value that is none
    (« effacé » where the old value was forgotten)."""
    try:
        return field.target_field.to_python(value)
    except (ValidationError, ValueError, TypeError):
        return None


def _field(model, name):
    """The model's field (None for a field since removed: its name is all there is)."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field, value, names: RelatedNames | None = None) -> str:
    """A value as a person reads it: a choice's French label, a related record's name (or
    number)."""
    if value in (None, "None", ""):
        return ""
    value = str(value)
    if field is None:
        return value
    if field.is_relation:
        return names.shown(field, value) if names is not None else f"n° {value}"
    if field.get_internal_type() == "BooleanField":
        return {"True": "oui", "False": "non"}.get(value, value)
    if field.choices:
        return str({str(key): label for key, label in field.flatchoices}.get(value, value))
    return value
