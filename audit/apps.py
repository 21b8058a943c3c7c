from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    verbose_name = "Journal d'audit"

    def ready(self):
        from django.contrib.auth.models import Group

        from association.models import LegalStatus, SiteIdentity, User, Venue
        from association.roles import COORDINATOR_GROUP, LEAD_GROUP, register_permissions
        from audit.registry import register  # connects the receiver completing each entry

        # The ground floor's records: it stands below the trail and cannot register them.
        register(
            User,
            exclude=("password", "last_login"),
            m2m=("groups", "user_permissions"),
        )
        register(Group, m2m=("permissions",))
        register(SiteIdentity)
        register(LegalStatus)
        register(Venue)

        register_permissions(
            COORDINATOR_GROUP, self.label, {"auditentry": ("view", "export_auditentry")}
        )
        # Their groups' records only (groups registers the scope: `audit.registry.register_scope`).
        register_permissions(LEAD_GROUP, self.label, {"auditentry": ("view",)})
