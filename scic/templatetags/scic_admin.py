"""The SCIC's block on the admin dashboard: the statutory checks, for who may see the
register."""

from django import template
from django.utils import timezone

from scic.services.checks import evaluate_rules

register = template.Library()


@register.inclusion_tag("admin/scic/checks_panel.html", takes_context=True)
def scic_checks_panel(context):
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.has_perm("scic.view_associate"):
        return {"show": False}
    return {"show": True, "checks": evaluate_rules(), "checks_date": timezone.localdate()}
