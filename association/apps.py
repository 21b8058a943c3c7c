from django.apps import AppConfig


class AssociationConfig(AppConfig):
    """The ground floor: the login account, the association's identity, venues, what
    meetings and events share, French formats and calendars."""

    name = "association"
    verbose_name = "Site et association"

    def ready(self):
        from django.db.models.signals import post_migrate

        from association.content import watch_app
        from association.roles import (
            ALL,
            COORDINATOR_GROUP,
            LEAD_GROUP,
            register_permissions,
            sync_roles,
        )

        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "siteidentity": ("view", "change"),
                # A dated legal form is added (a transformation); an old one stays for old
                # documents.
                "legalstatus": ("view", "add"),
                "venue": ALL,
            },
        )
        # Any venue for a meeting's place, and a new one added from the meeting's form
        # (changing one is the coordinator's: other groups meet there).
        register_permissions(LEAD_GROUP, self.label, {"venue": ("view", "add")})

        # The identity and venues are on public pages; accounts and the version are not.
        watch_app(self, exclude=("User", "ContentVersion"))

        # Not tied to this app's signal: permissions of the apps listed after this one only
        # exist once their own post_migrate has run, so the groups are synced after the last.
        post_migrate.connect(sync_roles, dispatch_uid="sync_roles")
