"""An entry's changes as a person reads them, field by field: the admin's page, the auditor's
export and a person's data export all show them so."""

from django.core.exceptions import FieldDoesNotExist
from django.utils.text import capfirst

from audit.models import AuditEntry


def changes_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(field, before, after) for display and export; a many-to-many change in words."""
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
            before, after = [_shown(field, value) for value in [*values, "", ""][:2]]
            rows.append((label, before, after))
    return rows


def _field(model, name):
    """The model's field (None for a field since removed: its name is all there is)."""
    if model is None:
        return None
    try:
        return model._meta.get_field(name)
    except FieldDoesNotExist:
        return None


def _shown(field, value) -> str:
    """A value as a person reads it: a choice's French label, a related record's number."""
    if value in (None, "None", ""):
        return ""
    value = str(value)
    if field is None:
        return value
    if field.is_relation:
        return f"n° {value}"
    if field.get_internal_type() == "BooleanField":
        return {"True": "oui", "False": "non"}.get(value, value)
    if field.choices:
        return str({str(key): label for key, label in field.flatchoices}.get(value, value))
    return value
