from django.conf import settings
from django.urls import NoReverseMatch, reverse

from audit.context import audit_context
from audit.models import Origin


class AuditContextMiddleware:
    """Every write during a request carries its origin: the back-office (and its account),
    « Mon espace » (the space names the partner, `space/session.py`), or else a visitor
    through a public form or link (a view names them once it knows, e.g. the join form)."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL.lstrip("/")
        self.space_prefix = None

    def __call__(self, request):
        if self.space_prefix is None:
            # A URL's name, not an import: the space stands above the trail. A site without
            # it (a test's own URLs) has no space origin.
            try:
                self.space_prefix = reverse("space:home")
            except NoReverseMatch:
                self.space_prefix = False
        path = request.path_info
        if path.startswith(self.admin_prefix):
            user = request.user
            context = (
                audit_context(origin=Origin.ADMIN, actor=user)
                if user.is_authenticated
                else audit_context(origin=Origin.ADMIN, actor=None, actor_label="")
            )
        elif self.space_prefix and path.startswith(self.space_prefix):
            context = audit_context(origin=Origin.SPACE, actor=None, actor_label="partenaire")
        else:
            context = audit_context(origin=Origin.PUBLIC_FORM, actor=None, actor_label="visiteur")
        with context:
            return self.get_response(request)
