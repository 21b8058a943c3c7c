"""French formatting for the member file's pages and mails."""

from django import template
from django.utils import formats, timezone

register = template.Library()


@register.filter
def french_datetime(value) -> str:
    """« lundi 7 octobre 2025 à 14 h » or « … à 14 h 05 », in the site's time zone."""
    if not value:
        return ""
    value = timezone.localtime(value)
    day = formats.date_format(value, "l j F Y")
    hour = f"{value.hour} h" if not value.minute else f"{value.hour} h {value.minute:02d}"
    return f"{day} à {hour}"
