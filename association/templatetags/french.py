"""Template filters for French dates, hours, phone numbers and typography, and a few helpers
the public pages share (absolute and webcal:// addresses, JSON-LD)."""

import datetime
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from association import formats
from association.nouns import noun

register = template.Library()


@register.filter
def long_date(value):
    """{{ meeting.date|long_date }} → « vendredi 12 septembre 2025 »."""
    return formats.long_date(value) if value else ""


@register.filter
def day_month(value):
    """{{ event.date|day_month }} → « 1er octobre »."""
    return formats.day_month(value) if value else ""


@register.filter
def month_year(value):
    """{{ value|month_year }} → « septembre 2025 »."""
    return formats.month_year(value) if value else ""


@register.filter
def short_weekday(value):
    """« ven. », for the date block of agenda entries."""
    return formats.SHORT_WEEKDAYS[value.weekday()] if value else ""


@register.filter
def short_month(value):
    """« sept. », for the date block of agenda entries."""
    return formats.SHORT_MONTHS[value.month - 1] if value else ""


@register.filter
def titles_heading(people, mixed):
    """{{ leads|titles_heading:"chef·fe·s de file" }} → « Chef de file », « Cheffes de file »,
    or the `mixed` form: agrees with the titles of the people listed below it."""
    return formats.titles_heading([person.title for person in people], mixed)


@register.filter
def euros(value):
    """{{ associate.capital|euros }} → « 1 250,00 € »."""
    return formats.euros(value) if value is not None and value != "" else ""


@register.filter
def percent(value, places=2):
    """{{ college.vote_share|percent }} → « 12,50 % »; {{ value|percent:0 }} → « 12 % »."""
    return formats.percent(value, int(places)) if value is not None and value != "" else ""


@register.filter
def number(value, decimals=0):
    """{{ 1932|number }} → « 1 932 », {{ 19.7|number:1 }} → « 19,7 »."""
    return formats.number(value, int(decimals)) if value is not None and value != "" else ""


@register.filter
def hour(value):
    """{{ meeting.start_time|hour }} → « 8 h 30 »."""
    return formats.hour(value) if value else ""


@register.filter
def when(value):
    """The date and hours of anything with `date`, `start_time` and `end_time` (a meeting, an
    event): « vendredi 12 septembre 2025 à 9 h ». A bare date gives the long date."""
    if not value:
        return ""
    if isinstance(value, datetime.date):
        return formats.long_date(value)
    return formats.when(value.date, value.start_time, value.end_time)


@register.filter
def time_range(value):
    """« de 14 h à 16 h », « à 9 h », or nothing, for anything with `start_time`/`end_time`."""
    return formats.time_range(value.start_time, value.end_time) if value else ""


@register.filter
def french_datetime(value):
    """{{ join_request.created_at|french_datetime }} → « lundi 1er décembre 2025 à 14 h »."""
    return formats.moment(value) if value else ""


@register.filter(needs_autoescape=True)
def french_list(value, arg: str = "", autoescape: bool = True) -> str:
    """{{ join_request.wishes|french_list }} → « A, B et C »; {{ groups|french_list:"quoted" }}
    puts each item's str() between guillemets. Items are escaped where autoescape is on."""
    escape = conditional_escape if autoescape else str
    return mark_safe(  # each item escaped just above
        formats.enumerate_in_french((escape(str(item)) for item in value), quoted=arg == "quoted")
    )


@register.filter
def partial_date(value, precision="day"):
    """{{ update.date|partial_date:update.precision }} → « juillet 2025 »."""
    return formats.partial_date(value, precision) if value else ""


@register.filter
def file_size(value):
    return formats.file_size(value or 0)


@register.filter
def phone(value):
    """{{ person.phone|phone }} → « 03 21 20 79 44 »."""
    return formats.phone(value)


@register.filter
def tel(value):
    """{{ person.phone|tel }} → « tel:+33321207944 », for the href of a phone link."""
    return formats.phone_uri(value)


@register.filter
def typo(value):
    """French punctuation spacing for text typed in the admin. Returns plain text: the
    template's autoescaping (or `linebreaks`) still escapes it."""
    return formats.typography(str(value)) if value else ""


@register.filter
def webcal(url):
    """The webcal:// form of a calendar feed's https:// address: calendar applications
    subscribe to it instead of downloading the file once."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return "webcal://" + url[len(scheme) :]
    return url


@register.simple_tag(takes_context=True)
def absolute_url(context, path):
    """{% absolute_url some_path %}: the full address of a path on this site."""
    return context["request"].build_absolute_uri(path)


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


@register.filter
def jsonld(data):
    """Serialise structured data for a <script type="application/ld+json"> element, escaped
    like `json_script` so that no text from the database can close the element."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False)
    return mark_safe(text.translate(_JSON_SCRIPT_ESCAPES))  # escaped just above


@register.filter
def first_paragraph(text):
    """The first paragraph of a text typed with blank lines between paragraphs."""
    return (text or "").strip().split("\n\n", 1)[0].strip()


@register.filter
def indefinite(name):
    """A model's name with its indefinite article: « un associé », « une réunion »."""
    return noun(name).indefinite


@register.filter
def demonstrative(name):
    """A model's name with its demonstrative: « ce lieu », « cet associé », « cette réunion »."""
    return noun(name).demonstrative
