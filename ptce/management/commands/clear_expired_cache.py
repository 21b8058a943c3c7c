"""Delete the expired entries of the database caches. Safe to run daily (cron).

Django's database cache deletes expired rows only when a write finds the table over its
MAX_ENTRIES (300 by default): below that, an abandoned membership import preview (the uploaded
file, e-mail addresses included) would stay in the table long after it expired. A cache kept
elsewhere (Redis) expires its entries itself and is left alone."""

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from ptce.database_caches import database_caches


def clear_expired_cache_entries() -> dict[str, int]:
    """Delete the expired rows of every database cache: cache alias -> rows deleted."""
    deleted = {}
    for cache in database_caches():
        connection = cache.connection
        quote = connection.ops.quote_name
        # As the cache writes its expiry dates (see DatabaseCache._base_set).
        now = timezone.now().replace(microsecond=0)
        with transaction.atomic(using=cache.database), connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {quote(cache.table)} WHERE {quote('expires')} < %s",
                [connection.ops.adapt_datetimefield_value(now)],
            )
            deleted[cache.alias] = cursor.rowcount
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
