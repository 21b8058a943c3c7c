"""The admin home's « Ce qui vous attend » panel (see ptce/waiting.py)."""

from django import template

from ptce.waiting import waiting_lines

register = template.Library()


@register.inclusion_tag("admin/ptce/waiting.html", takes_context=True)
def waiting_panel(context):
    request = context.get("request")
    if request is None or not getattr(request, "user", None):
        return {"lines": []}
    return {"lines": waiting_lines(request)}
