"""The back-office login's defences: the lockout page (django-axes, which reads the visitor's
address with `association.http.client_address`, as the join form does), and the admin site
that asks for a one-time code when ADMIN_REQUIRE_2FA is on (django-otp), carries the
association's name and gives every model admin its French (association/admin_french.py)
and its list's rows written once per column (association/admin_listing.py)."""

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.admin import AdminSite, ModelAdmin
from django.shortcuts import render
from django_otp.admin import OTPAdminAuthenticationForm, OTPAdminSite

from association.admin_french import FrenchNamesMixin
from association.admin_listing import ListRowsMixin
from association.identity import get_site_identity
from association.roles import back_office_session


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (HTTP 429), in French."""
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return render(request, "ptce/lockout.html", {"cooloff_minutes": minutes}, status=429)


class OwnFailuresResetHandler(AxesDatabaseHandler):
    """django-axes' database handler, where a successful login forgets only the failures
    against the account that logged in. Axes' own reset (AXES_RESET_ON_SUCCESS) deletes every
    failure matching any lockout parameter, the address's included: anyone with an account
    could then wipe the failures counted against another account from their address, between
    rounds of guessing, and never be locked out."""

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        AccessAttempt.objects.filter(username=user.get_username()).delete()


class PortalAdminSite(AdminSite):
    """The default admin site; with ADMIN_REQUIRE_2FA on, it behaves as django-otp's
    OTPAdminSite: the login form asks for a code and an unverified session is not let in. The
    setting is read on each request, so no second admin site is needed. Its title is the
    association's, from the identity."""

    index_title = "Tableau de bord"

    def register(self, model_or_iterable, admin_class=None, **options):
        """Every model admin, ours and the libraries', speaks the French its model's name
        needs (association/admin_french.py) and writes its list's rows once per column, not
        once per cell (association/admin_listing.py)."""
        admin_class = admin_class or ModelAdmin
        mixins = tuple(
            mixin
            for mixin in (FrenchNamesMixin, ListRowsMixin)
            if not issubclass(admin_class, mixin)
        )
        if mixins:
            admin_class = type(
                admin_class.__name__,
                (*mixins, admin_class),
                {"__module__": admin_class.__module__, "__doc__": admin_class.__doc__},
            )
        super().register(model_or_iterable, admin_class, **options)

    def each_context(self, request):
        context = super().each_context(request)
        context["site_header"] = context["site_title"] = get_site_identity(
            request
        ).back_office_name
        return context

    @property
    def login_form(self):
        return OTPAdminAuthenticationForm if settings.ADMIN_REQUIRE_2FA else None

    @property
    def login_template(self):
        return OTPAdminSite.login_template if settings.ADMIN_REQUIRE_2FA else None

    def has_permission(self, request):
        return back_office_session(request)
