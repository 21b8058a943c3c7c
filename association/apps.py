from django.apps import AppConfig


class AssociationConfig(AppConfig):
    """The ground floor: the login account, the association's identity and declared figures,
    venues, what meetings and events share, French formats and calendars."""

    name = "association"
    verbose_name = "Site et association"

    def ready(self):
        from django.db.models.signals import post_migrate

        from association.content import watch_app
        from association.roles import sync_roles

        # The identity, figures and venues are on public pages; accounts and the version are not.
        watch_app(self, exclude=("User", "ContentVersion"))

        # Not tied to this app's signal: permissions of the apps listed after this one only
        # exist once their own post_migrate has run, so the groups are synced after each app.
        post_migrate.connect(sync_roles, dispatch_uid="sync_roles")
