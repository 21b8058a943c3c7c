"""The identity where a view's context hides the context processor's `site`: Django's login
and password views put their own `site` (a RequestSite) in the context."""

from django import template

from association.identity import get_site_identity

register = template.Library()


@register.simple_tag(takes_context=True)
def back_office_name(context) -> str:
    return get_site_identity(context.get("request")).back_office_name
