from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Membres"

    def ready(self):
        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, LEAD_GROUP, register_permissions
        from audit.models import AuditEntry
        from audit.registry import register as audit
        from members.models import Membership, Person, Structure
        from members.services.personal_data import declare_personal_data

        # Who changed what in the member file, field by field (the audit trail).
        audit(Structure)
        audit(Person)
        audit(Membership)

        declare_personal_data(Structure, "no person's data: an organisation's own details")
        declare_personal_data(
            AuditEntry,
            "the audit trail: the person's records' past versions and their name scrubbed by "
            "erase_person, their contact details by retention; its own purge after "
            "AUDIT_RETENTION_YEARS",
        )

        # Public pages, feeds and calendars are cached under the content version.
        watch_app(self)

        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {
                "structure": ALL,
                "person": ALL,
                "membership": (*ALL, "import", "export"),
            },
        )
        # Read-only, and only the people and structures taking part in the lead's groups
        # (groups/admin/scoping.py); a lead adds people to their own groups through
        # « Ajouter un participant » (groups/services/participants.py).
        register_permissions(LEAD_GROUP, self.label, {"structure": ("view",), "person": ("view",)})
