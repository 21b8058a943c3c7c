"""Delete the expired entries of the database caches. Safe to run daily (cron).

Django's database cache deletes expired rows only when a write finds the table over its
MAX_ENTRIES (300 by default): below that, an abandoned membership import preview (the uploaded
file, e-mail addresses included) would stay in the table long after it expired. A cache kept
elsewhere (Redis) expires its entries itself and is left alone."""

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.core.management.base import BaseCommand
from django.db import connections, router, transaction
from django.utils import timezone


def clear_expired_cache_entries() -> dict[str, int]:
    """Delete the expired rows of every database cache: cache alias -> rows deleted."""
    deleted = {}
    for alias in caches:
        cache = caches[alias]
        if not isinstance(cache, DatabaseCache):
            continue
        database = router.db_for_write(cache.cache_model_class)
        connection = connections[database]
        quote = connection.ops.quote_name
        # As the cache writes its expiry dates (see DatabaseCache._base_set).
        now = timezone.now().replace(microsecond=0)
        with transaction.atomic(using=database), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(cache._table)} WHERE {quote('expires')} < %s",
                [connection.ops.adapt_datetimefield_value(now)],
            )
            deleted[alias] = cursor.rowcount
    return deleted


class Command(BaseCommand):
    help = (
        "Supprime les entrées expirées des caches en base de données (dont les aperçus "
        "d'import d'adhésions abandonnés)."
    )

    def handle(self, *args, **options):
        for alias, count in clear_expired_cache_entries().items():
            self.stdout.write(
                f"Cache «\u00a0{alias}\u00a0»\u00a0: {count} entrée(s) expirée(s) supprimée(s)."
            )
