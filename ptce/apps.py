from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PtceConfig(AppConfig):
    """The top floor: the public pages that combine apps (home, agenda, directory, sitemaps,
    theme) over every app below."""

    name = "ptce"
    default = True  # this module also holds PortalAdminConfig
    verbose_name = "Portail"

    def ready(self):
        from association.identity import annotate_site_identity
        from ptce.theme import groups_changed

        annotate_site_identity("groups_changed", groups_changed)
        declare_foreign_personal_data()

        from django.db.models.signals import post_migrate

        from ptce import checks  # noqa: F401 (registers them)

        # Sent for apps with models only: this one has none, the ground floor always has.
        post_migrate.connect(
            create_cache_tables,
            sender=self.apps.get_app_config("association"),
            dispatch_uid="create_cache_tables",
        )


def declare_foreign_personal_data() -> None:
    """How erasure treats the models of the ground floor and of Django and the packages, which
    cannot declare themselves to the member file (members.services.personal_data)."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django.contrib.admin.models import LogEntry
    from django.contrib.auth.models import Group, Permission
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from association.models import SiteIdentity, Venue
    from members.services.personal_data import declare_personal_data

    with_account = "deleted when the person's back-office account is anonymised"
    for model, how in [
        (LogEntry, "the person's name and address replaced wherever the history holds them"),
        (AccessAttempt, with_account),
        (AccessFailureLog, with_account),
        (AccessLog, with_account),
        (TOTPDevice, with_account),
        (SiteIdentity, "no person's data: the association's own details"),
        (Venue, "no person's data: a meeting place's address"),
        (Permission, "no person's data: a right's name"),
        (Group, "no person's data: a role's name"),
    ]:
        declare_personal_data(model, how)


def create_cache_tables(sender, *, using, verbosity=1, **kwargs):
    """The join form's rate limit lives in the database cache (by default): `migrate` makes
    its table, so an operator who forgets `createcachetable` loses nothing. Does nothing for
    other caches, nor for a table already there."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=verbosity)


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin, whose default site asks for a one-time code when
    ADMIN_REQUIRE_2FA is on (ptce/login_security.py)."""

    default = False
    default_site = "ptce.login_security.PortalAdminSite"

    def ready(self):
        super().ready()
        from django_otp.plugins.otp_totp.models import TOTPDevice

        # django-otp names its model in English, outside any catalogue. The admin reads these
        # two; migrations read the model's declared Meta, which stays as it is.
        TOTPDevice._meta.verbose_name = "appareil à code unique"
        TOTPDevice._meta.verbose_name_plural = "appareils à code unique"

        from association.admin_french import name_link_models

        name_link_models()
