from django.apps import AppConfig


class OutboxConfig(AppConfig):
    """Every e-mail the portal sends: written with what caused it, sent by the task worker,
    retried, resent from the admin."""

    name = "outbox"
    verbose_name = "E-mails du site"
