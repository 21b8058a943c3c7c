from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every e-mail the portal sends: written with what caused it, sent by the task worker,
    retried, resent from the admin."""

    name = "outbox"
    verbose_name = "E-mails du site"

    def ready(self):
        from association.roles import COORDINATOR_GROUP, register_permissions

        # Mails are a record, never edited: « change » is what « Renvoyer » needs.
        register_permissions(COORDINATOR_GROUP, self.label, {"outgoingmail": ("view", "change")})
