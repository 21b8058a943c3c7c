from django.apps import AppConfig


class JoiningConfig(AppConfig):
    """The join-us form and the coordinator's triage of requests, above the member file and
    the working groups (a request names the groups it wants to join)."""

    name = "joining"
    verbose_name = "Adhésions"

    def ready(self):
        from audit.registry import register as audit
        from joining.models import JoinRequest

        audit(JoinRequest, m2m=("groups",))

        from association.roles import COORDINATOR_GROUP, register_permissions
        from joining.personal_data import JOIN_REQUESTS, delete_expired_requests
        from members.services.personal_data import register_personal_data
        from members.services.retention import register_retention_rule

        register_personal_data(JOIN_REQUESTS)
        register_retention_rule(delete_expired_requests)
        # Requests come from the public form (no add); delete serves erasure on request.
        register_permissions(
            COORDINATOR_GROUP, self.label, {"joinrequest": ("view", "change", "delete")}
        )
