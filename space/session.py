"""Who is signed in to the partners' space: a person of the member file, kept in the session
(no account, no password). A back-office login and a space session may share a browser and
its session: signing out of the back-office (Django's `logout`, which clears the session)
ends the space's too, and « Se déconnecter » of the space ends only the space."""

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from audit.context import audit_context
from members.models import Person

SESSION_KEY = "space_person"


def sign_in(request, person: Person) -> None:
    """A new session key (no fixation), for SPACE_SESSION_DAYS."""
    request.session.cycle_key()
    request.session[SESSION_KEY] = person.pk
    request.session.set_expiry(settings.SPACE_SESSION_DAYS * 24 * 60 * 60)
    request._space_person = person


def sign_out(request) -> None:
    request.session.pop(SESSION_KEY, None)
    request.session.cycle_key()
    request._space_person = None


def signed_in_person(request) -> Person | None:
    """The person signed in, once per request; None once erased or anonymised."""
    if not hasattr(request, "_space_person"):
        pk = request.session.get(SESSION_KEY)
        request._space_person = (
            Person.objects.filter(pk=pk, anonymised_at__isnull=True)
            .select_related("structure")
            .first()
            if pk
            else None
        )
    return request._space_person


def safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(
        value, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return value
    return reverse("space:home")


def person_required(view):
    """The view gets `request.person`, or the visitor is sent to the sign-in page. Never
    cached: the pages are personal."""

    @never_cache
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        person = signed_in_person(request)
        if person is None:
            # Where to come back to, without a query string no link makes this long (a
            # redirect past Django's 16 KiB limit is refused).
            back = request.get_full_path()
            query = urlencode({"suivant": back if len(back) <= 2000 else request.path})
            return redirect(f"{reverse('space:sign_in')}?{query}")
        request.person = person
        # What the partner changes here is signed with their name in the audit trail.
        with audit_context(actor_label=f"{person.full_name} (Mon espace)"):
            return view(request, *args, **kwargs)

    return wrapper
