from django.apps import AppConfig


class PtceConfig(AppConfig):
    """The project package is also the app of site-wide records (identity, figures, venues)."""

    name = "ptce"
    verbose_name = "Site et association"

    def ready(self):
        from django.db.models.signals import post_migrate

        from ptce.roles import sync_coordinator_group

        # Not tied to this app's signal: permissions of the apps listed after this one only
        # exist once their own post_migrate has run, so the group is synced after each app.
        post_migrate.connect(sync_coordinator_group, dispatch_uid="sync_coordinator_group")
