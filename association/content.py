"""The content version: one number that changes whenever anything a public page shows changes.

Public pages, feeds and calendars are cached under it (`association/page_cache.py` says how),
so invalidation is a single write: every save, delete and many-to-many change of a watched
model raises the version in the same transaction as the change. A rolled-back change leaves
the version as it was; a committed one is seen by the next request of every process. Apps
declare their public models from their `AppConfig.ready()` with `watch_app`. Writes that send
no signal (`bulk_create`, `QuerySet.update`, raw SQL) call `bump_content_version()` themselves.
"""

import time

from django.db import connections, router
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.db.models.signals import m2m_changed, post_delete, post_save

from association.models import ContentVersion


def bump_content_version(*, using: str | None = None) -> int:
    """Raise the version to now (in microseconds), or by one if the clock is behind it."""
    using = using or router.db_for_write(ContentVersion)
    now = time.time_ns() // 1000
    rows = ContentVersion.objects.using(using).filter(pk=1)
    if not rows.update(version=Greatest(F("version") + 1, Value(now))):
        # A database flushed or never migrated with the row (tests, `flush`).
        rows.get_or_create(pk=1, defaults={"version": now})
    return now


_READ_SQL: dict[str, str] = {}


def content_version(*, using: str | None = None) -> int:
    """The current version: one primary-key read, without the ORM (it runs on every cached
    page). 0 when the row is missing."""
    using = using or router.db_for_read(ContentVersion)
    connection = connections[using]
    sql = _READ_SQL.get(connection.vendor)
    if sql is None:
        table = connection.ops.quote_name(ContentVersion._meta.db_table)
        sql = _READ_SQL[connection.vendor] = f"SELECT version FROM {table} WHERE id = 1"
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    return row[0] if row else 0


def _changed(sender, *, using=None, **kwargs):
    bump_content_version(using=using)


def _m2m_changed(sender, *, action, using=None, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump_content_version(using=using)


def watch_models(*models) -> None:
    """Raise the version on every save and delete of `models` and on every change of their
    many-to-many fields. Connected per model, not to every sender: a model without listeners
    keeps Django's fast bulk delete (sessions, task results)."""
    for model in models:
        label = model._meta.label
        post_save.connect(_changed, sender=model, dispatch_uid=f"content-save-{label}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"content-delete-{label}")
        for field in model._meta.local_many_to_many:
            through = field.remote_field.through
            m2m_changed.connect(
                _m2m_changed,
                sender=through,
                dispatch_uid=f"content-m2m-{through._meta.label}",
            )


def watch_app(app_config, *, exclude: tuple[str, ...] = ()) -> None:
    """Watch every model of an app (those added later included) except the `exclude`d ones,
    named by class name: the safe default for an app whose records the public pages show."""
    watch_models(*(model for model in app_config.get_models() if model.__name__ not in exclude))
