from django.apps import AppConfig


class SpaceConfig(AppConfig):
    """The partners' space (« Mon espace »): sign-in by a one-time link, the groups one takes
    part in, their meetings and answers, minutes and documents reserved to participants, one's
    details and data. Above the groups and the member file, below the portal."""

    name = "space"
    verbose_name = "Espace des partenaires"

    def ready(self):
        from association.roles import COORDINATOR_GROUP, register_permissions
        from members.services.personal_data import (
            DELETED_WITH_PERSON,
            declare_personal_data,
            register_personal_data,
        )
        from members.services.retention import register_retention_rule
        from space.models import ErasureRequest
        from space.personal_data import (
            SIGN_IN_LINKS,
            SIGN_IN_REQUESTS,
            forget_old_sign_in_links,
        )

        register_personal_data(SIGN_IN_LINKS)
        register_personal_data(SIGN_IN_REQUESTS)
        declare_personal_data(ErasureRequest, DELETED_WITH_PERSON)
        register_retention_rule(forget_old_sign_in_links)
        # Requests come from the partners' space; « change » marks one handled.
        register_permissions(
            COORDINATOR_GROUP, self.label, {"erasurerequest": ("view", "change", "delete")}
        )
