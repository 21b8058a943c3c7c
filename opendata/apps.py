from django.apps import AppConfig
from django.core import checks


class OpenDataConfig(AppConfig):
    """Open data: what the site already shows, published as documented datasets (CSV, JSON, a
    Frictionless data package, a DCAT catalogue, a read-only API), and the national picture read
    from other instances' packages."""

    name = "opendata"
    verbose_name = "Données ouvertes"

    def ready(self):
        from association.content import watch_app
        from association.roles import ALL, COORDINATOR_GROUP, register_permissions
        from members.services.personal_data import declare_personal_data

        from .models import RemotePortal

        checks.register(check_licence)
        # The national page shows what was read: the cached pages follow it.
        watch_app(self)
        declare_personal_data(RemotePortal, "no person's data: another portal's name and address")
        register_permissions(
            COORDINATOR_GROUP,
            self.label,
            {"remoteportal": ALL, "harvestedrecord": ("view", "delete")},
        )


def check_licence(app_configs=None, **kwargs):
    from django.conf import settings

    from opendata.exports import LICENCES

    if settings.OPEN_DATA_LICENCE in LICENCES:
        return []
    return [
        checks.Error(
            f"OPEN_DATA_LICENCE vaut « {settings.OPEN_DATA_LICENCE} » : choisissez l'une de "
            f"{', '.join(LICENCES)}.",
            id="opendata.E001",
        )
    ]
