"""The caches kept in a database table (django's DatabaseCache), which the deployment check
and the daily clean-up both walk: a cache kept elsewhere (Redis) manages itself."""

from collections.abc import Iterator
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router
from django.db.backends.base.base import BaseDatabaseWrapper


@dataclass(frozen=True)
class DatabaseCacheTable:
    alias: str  # the cache's alias in CACHES
    table: str  # as `createcachetable` reads it
    database: str  # the database alias that holds the table

    @property
    def connection(self) -> BaseDatabaseWrapper:
        return connections[self.database]


def database_caches() -> Iterator[DatabaseCacheTable]:
    """Each cache of CACHES kept in a database table, with that table and its database."""
    for alias in caches:
        cache = caches[alias]
        if isinstance(cache, DatabaseCache):
            database = router.db_for_write(cache.cache_model_class)
            yield DatabaseCacheTable(alias=alias, table=cache._table, database=database)
