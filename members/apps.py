from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Membres"

    def ready(self):
        from django.db.models.signals import post_migrate

        from members import checks  # noqa: F401 (registers them)

        post_migrate.connect(create_cache_tables, sender=self, dispatch_uid="create_cache_tables")


def create_cache_tables(sender, *, using, verbosity=1, **kwargs):
    """The join form's rate limit lives in the database cache (by default): `migrate` makes
    its table, so an operator who forgets `createcachetable` loses nothing. Does nothing for
    other caches, nor for a table already there."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=verbosity)
