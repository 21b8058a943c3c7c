"""Data for the public-site tests: a frozen "today", and a network of any size whose pages must
cost the same number of queries whatever the size."""

import datetime
import re
from html import unescape
from zoneinfo import ZoneInfo

import time_machine

from ptce.demo.volume import ACCENTS, LARGE, SMALL, TODAY, Network, build_network

__all__ = ["ACCENTS", "LARGE", "SMALL", "TODAY", "Network", "build_network", "frozen", "page_text"]

PARIS = ZoneInfo("Europe/Paris")
NBSP, NNBSP = "\u00a0", "\u202f"


def page_text(response) -> str:
    """A page's text as read: tags out, entities decoded, no-break spaces as plain ones,
    whitespace collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    words = unescape(re.sub(r"<[^>]+>", " ", html))
    words = re.sub(r"\s+", " ", words.replace(NBSP, " ").replace(NNBSP, " "))
    # An inline tag closed just before a comma or a full stop is not a space to the reader.
    return re.sub(r" ([,.])", r"\1", words)


def frozen(day: datetime.date = TODAY, hour: int = 10, minute: int = 0):
    """time_machine at a local time in Paris (a decorator or a context manager)."""
    moment = datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=PARIS)
    return time_machine.travel(moment, tick=False)
