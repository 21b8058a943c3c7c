"""French formatting of dates, hours, phone numbers, money and punctuation.

Written out here rather than left to the active locale: pages, calendars, feeds and e-mails must
read the same (« vendredi 12 septembre 2025 à 9 h », « 1er octobre », « 03 21 20 79 44 »)
whatever language a management command or a test happens to run in.
"""

import datetime
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.utils import timezone

NBSP = "\u00a0"  # before « : » and inside « guillemets », between a number and its unit
NNBSP = "\u202f"  # narrow no-break space, before « ; ! ? »

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
SHORT_WEEKDAYS = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
SHORT_MONTHS = (
    "janv.",
    "févr.",
    "mars",
    "avr.",
    "mai",
    "juin",
    "juil.",
    "août",
    "sept.",
    "oct.",
    "nov.",
    "déc.",
)


def day_number(day: int) -> str:
    """« 1er » for the first of the month, the bare number otherwise."""
    return "1er" if day == 1 else str(day)


def day_month(value: datetime.date) -> str:
    """« 1er octobre »."""
    return f"{day_number(value.day)}{NBSP}{MONTHS[value.month - 1]}"


def day_month_year(value: datetime.date) -> str:
    """« 1er octobre 2025 »."""
    return f"{day_month(value)} {value.year}"


def long_date(value: datetime.date) -> str:
    """« vendredi 12 septembre 2025 »."""
    return f"{WEEKDAYS[value.weekday()]} {day_month_year(value)}"


def month_year(value: datetime.date) -> str:
    """« septembre 2025 »."""
    return f"{MONTHS[value.month - 1]} {value.year}"


def hour(value: datetime.time) -> str:
    """« 9 h », « 8 h 30 »."""
    if value.minute:
        return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"
    return f"{value.hour}{NBSP}h"


def time_range(start: datetime.time | None, end: datetime.time | None = None) -> str:
    """« de 9 h à 12 h », « à 14 h », or nothing when the hour is not known."""
    if start is None:
        return ""
    # « à » stays on the line of its hour: « 2025 à / 14 h » reads badly on a phone.
    if end is None:
        return f"à{NBSP}{hour(start)}"
    return f"de{NBSP}{hour(start)} à{NBSP}{hour(end)}"


def hours(start: datetime.time | None, end: datetime.time | None = None) -> str:
    """Hours for a list column: « 14 h », or start and end joined by an en dash; empty for a
    whole-day item (hours the source does not give are never made up)."""
    if start is None:
        return ""
    if end is None:
        return hour(start)
    return f"{hour(start)}{NBSP}\u2013{NBSP}{hour(end)}"


def when(
    date: datetime.date, start: datetime.time | None = None, end: datetime.time | None = None
) -> str:
    """« vendredi 12 septembre 2025 à 9 h », « mardi 7 octobre 2025, de 14 h à 16 h »."""
    text = long_date(date)
    if start is None:
        return text
    if end is None:
        return f"{text} {time_range(start)}"
    return f"{text}, {time_range(start, end)}"


def moment(value: datetime.datetime) -> str:
    """« lundi 1er décembre 2025 à 14 h », « … à 14 h 05 »: an instant, in the site's time
    zone, to the minute (when a request arrived, when a mail was sent)."""
    local = timezone.localtime(value)
    return when(local.date(), local.time().replace(second=0, microsecond=0))


def file_size(size: int) -> str:
    """« 850 Ko », « 2,4 Mo »: a file's size as a French reader expects it."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))}{NBSP}Ko"
    return f"{size / 1024 / 1024:.1f}".replace(".", ",") + f"{NBSP}Mo"


def enumerate_in_french(items: Iterable[str], *, quoted: bool = False) -> str:
    """« A, B et C ». With `quoted`, each item between guillemets (non-breaking spaces inside),
    for names that may hold a comma themselves: a working group « A, B » is not two groups."""
    words = [f"«{NBSP}{item}{NBSP}»" if quoted else str(item) for item in items]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} et {words[-1]}"


def partial_date(value: datetime.date, precision: str = "day") -> str:
    """A date no more precise than it is known: « 12 décembre 2024 », « juillet 2025 »,
    « 2025 » (`precision` is « day », « month » or « year », as in `ProjectUpdate`)."""
    if precision == "year":
        return str(value.year)
    if precision == "month":
        return month_year(value)
    return day_month_year(value)


def titles_heading(titles: list[str], mixed: str) -> str:
    """The heading over people shown with their titles: the title of the only one (« cheffe
    de file »), its plural when all share it (« chefs de file », « cheffes de file »), and
    `mixed` when they differ (« chef·fe·s de file »). The plural is the first word's: French
    titles put their head noun first."""
    titles = [title.strip() for title in titles]
    if len(set(titles)) != 1:
        return mixed
    if len(titles) == 1:
        return titles[0]
    head, _space, rest = titles[0].partition(" ")
    if not head.endswith(("s", "x", "z")):
        head += "s"
    return f"{head} {rest}".strip()


_NON_DIGITS = re.compile(r"[^\d+]")


def _national_digits(raw: str) -> str | None:
    """The ten digits of a French number (« 0321207944 ») from any usual spelling, or None."""
    compact = _NON_DIGITS.sub("", raw or "")
    if compact.startswith("+33"):
        compact = "0" + compact[3:]
    elif compact.startswith("0033"):
        compact = "0" + compact[4:]
    if compact.startswith("0(0)"):
        compact = compact.replace("(0)", "", 1)
    if len(compact) == 10 and compact.startswith("0") and compact.isdigit():
        return compact
    return None


def _by_two(digits: str, space: str) -> str:
    return space.join(digits[i : i + 2] for i in range(0, 10, 2))


def phone(raw: str) -> str:
    """« 03 21 20 79 44 »: a French number grouped by two (no-break spaces, so it never wraps);
    anything else is left as written."""
    digits = _national_digits(raw)
    if digits is None:
        return (raw or "").strip()
    return _by_two(digits, NBSP)


def normalize_phone(raw: str) -> str:
    """A phone number as the member file stores it: a French one in its national form grouped
    by two with plain spaces (« +33 6 80 59 63 40 » → « 06 80 59 63 40 »; `phone` adds the
    no-break ones when it is shown), any other as typed, its spaces tidied."""
    digits = _national_digits(raw)
    if digits is None:
        return " ".join((raw or "").split())
    return _by_two(digits, " ")


def phone_uri(raw: str) -> str:
    """« tel:+33321207944 » (RFC 3966, international form) for a French number; digits and a
    leading « + » otherwise."""
    digits = _national_digits(raw)
    if digits is not None:
        return f"tel:+33{digits[1:]}"
    return "tel:" + _NON_DIGITS.sub("", raw or "")


_ENTITY_BEFORE = re.compile(r"&#?\w+$")
_SPACE_BEFORE_HIGH = re.compile(r"[ \u00a0\u202f]*([;!?])(?=\s|$|[»)\];!?])")
_SPACE_BEFORE_COLON = re.compile(r"[ \u00a0\u202f]*:(?=\s|$)")
_OPEN_QUOTE = re.compile(r"«[ \u00a0\u202f]*")
_CLOSE_QUOTE = re.compile(r"[ \u00a0\u202f]*»")


def typography(text: str) -> str:
    """French punctuation spacing: a no-break space before « : » and inside « guillemets »,
    a narrow one before « ; ! ? ». Only punctuation that ends a word is touched, so times
    (14:00), web addresses (https://…?a=1) and HTML entities (&amp;) are left alone."""
    if not text:
        return text

    def high(match: re.Match) -> str:
        before = text[: match.start()]
        if not before.strip() or before[-1] in ";!?":
            return match.group(0)
        if match.group(1) == ";" and _ENTITY_BEFORE.search(before):
            return match.group(0)
        return NNBSP + match.group(1)

    def colon(match: re.Match) -> str:
        if not text[: match.start()].strip():
            return match.group(0)
        return NBSP + ":"

    text = _SPACE_BEFORE_HIGH.sub(high, text)
    text = _SPACE_BEFORE_COLON.sub(colon, text)
    text = _OPEN_QUOTE.sub("«" + NBSP, text)
    text = _CLOSE_QUOTE.sub(NBSP + "»", text)
    return text


def number(value: Decimal | float | int | None, places: int = 0) -> str:
    """« 1 932 », « 19,7 », « 12,50 »: French digits, a narrow no-break space between thousands
    and a decimal comma, rounded half up to `places` decimals (nothing counts as 0)."""
    quantum = Decimal(1).scaleb(-places)
    rounded = Decimal(str(value or 0)).quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if rounded < 0 else ""
    whole, _dot, decimals = f"{abs(rounded):f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    text = NNBSP.join(groups) or "0"
    return f"{sign}{text},{decimals}" if places else f"{sign}{text}"


def euros(value: Decimal | int) -> str:
    """« 1 250,00 € »: money, always with its cents."""
    return f"{number(value, 2)}{NBSP}€"


def percent(value: Decimal | int, places: int = 2) -> str:
    """« 12,50 % »."""
    return f"{number(value, places)}{NBSP}%"
