from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PtceConfig(AppConfig):
    """The project package is also the app of site-wide records (identity, figures, venues)."""

    name = "ptce"
    default = True  # this module also holds PortalAdminConfig
    verbose_name = "Site et association"

    def ready(self):
        from django.db.models.signals import post_migrate

        from ptce.roles import sync_coordinator_group

        # Not tied to this app's signal: permissions of the apps listed after this one only
        # exist once their own post_migrate has run, so the group is synced after each app.
        post_migrate.connect(sync_coordinator_group, dispatch_uid="sync_coordinator_group")


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose default site asks for a one-time code when
    ADMIN_REQUIRE_2FA is on (ptce/login_security.py)."""

    default = False
    default_site = "ptce.login_security.PortalAdminSite"
