"""Who is writing, and from where: a context every trail entry written inside it carries.

The middleware opens one per request (origin from the URL: the back-office, « Mon espace »,
a public form or link of the site); `manage.py` opens one per command (cron, the task
worker); a view or service narrows it (`audit_context(actor_label="visiteur Zoé …")`): an inner
context keeps what it does not set. Outside any context (a shell, a test) the origin is a
command. django-auditlog's own `set_actor` is not used: its context does not survive nesting."""

import contextlib
from contextvars import ContextVar
from dataclasses import dataclass, replace

from audit.models import AuditEntry, Origin


@dataclass(frozen=True)
class AuditContext:
    origin: str = Origin.COMMAND
    actor: object = None  # a login account, or None
    actor_label: str = ""


_NONE = AuditContext()  # frozen: safe as the default of every thread and task
_current: ContextVar[AuditContext] = ContextVar("audit_context", default=_NONE)


def current_context() -> AuditContext:
    return _current.get()


_UNSET = object()


@contextlib.contextmanager
def audit_context(*, origin=_UNSET, actor=_UNSET, actor_label=_UNSET):
    """Writes inside carry this origin and author; what is not given is kept from outside."""
    changes = {
        name: value
        for name, value in (("origin", origin), ("actor", actor), ("actor_label", actor_label))
        if value is not _UNSET
    }
    if "actor" in changes and "actor_label" not in changes and changes["actor"] is not None:
        changes["actor_label"] = account_label(changes["actor"])
    token = _current.set(replace(_current.get(), **changes))
    try:
        yield _current.get()
    finally:
        _current.reset(token)


def visitor_label(answers: dict) -> str:
    """« visiteur » and the name a visitor typed in a public form (first and last name, or
    the structure's)."""
    name = (
        " ".join(
            str(answers.get(key) or "").strip() for key in ("first_name", "last_name")
        ).strip()
        or str(answers.get("structure_name") or "").strip()
    )
    return f"visiteur {name}"[:200].strip()


def account_label(account) -> str:
    name = account.get_full_name() if hasattr(account, "get_full_name") else ""
    return f"{name} ({account.get_username()})" if name else account.get_username()


def stamp(instance: AuditEntry) -> None:
    """Fill a new entry's origin and author from the context (the registry, as it is written)."""
    context = _current.get()
    if not instance.origin or instance.origin == Origin.COMMAND:
        instance.origin = context.origin
    if instance.actor_id is None and context.actor is not None and context.actor.pk:
        instance.actor = context.actor
    if not instance.actor_label:
        instance.actor_label = context.actor_label
    instance.actor_email = None  # the account is enough; an address is personal data twice
    instance.remote_addr = None
