"""French formatting for the member file's pages and mails."""

from collections.abc import Iterable

from django import template
from django.utils import formats, timezone
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

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


def enumerate_in_french(items: Iterable[str], *, quoted: bool = False) -> str:
    """« A, B et C ». With `quoted`, each item between guillemets (non-breaking spaces inside),
    for names that may hold a comma themselves: a working group « A, B » is not two groups."""
    words = [f"«\u00a0{item}\u00a0»" if quoted else str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} et {words[-1]}"


@register.filter(needs_autoescape=True)
def french_list(value, arg: str = "", autoescape: bool = True) -> str:
    """{{ join_request.wishes|french_list }} → « A, B et C »; {{ groups|french_list:"quoted" }}
    puts each item's str() between guillemets. Items are escaped where autoescape is on."""
    escape = conditional_escape if autoescape else str
    return mark_safe(
        enumerate_in_french((escape(str(item)) for item in value), quoted=arg == "quoted")
    )
