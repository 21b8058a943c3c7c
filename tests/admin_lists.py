"""A back-office list as Django itself writes it, to compare with ours.

The lists' rows are written once per column (association/admin_listing.py) through a template
over each list's own; `assert_written_as_django_writes_it` opens the same address with the
admin's own changelist and template and compares the whole page: the rows and everything the
template swap could lose or a Django upgrade could change (the actions bars, the headers,
the counter, « Tout afficher », the empty list's message, the list's own buttons)."""

import difflib
import re
from unittest import mock

from django.contrib.admin import ModelAdmin

from association.admin_listing import ListRowsChangeList, ListRowsMixin

# What differs between two renders of one page: the per-request tokens, the indentation.
_PER_REQUEST = [
    (re.compile(r'name="csrfmiddlewaretoken" value="[^"]+"'), 'name="csrfmiddlewaretoken"'),
    (re.compile(r' nonce="[^"]+"'), ""),
]


def comparable(html: str) -> list[str]:
    for pattern, replacement in _PER_REQUEST:
        html = pattern.sub(replacement, html)
    return [line.strip() for line in html.splitlines() if line.strip()]


def as_django_writes_it(client, url: str):
    """The page at `url` with Django's own changelist, rows, selection boxes and template."""

    def changelist_view(model_admin, request, extra_context=None):
        return super(ListRowsMixin, model_admin).changelist_view(request, extra_context)

    def get_changelist(model_admin, request, **kwargs):
        return super(ListRowsMixin, model_admin).get_changelist(request, **kwargs)

    with (
        mock.patch.object(ListRowsMixin, "changelist_view", changelist_view),
        mock.patch.object(ListRowsMixin, "get_changelist", get_changelist),
        mock.patch.object(ListRowsMixin, "action_checkbox", ModelAdmin.action_checkbox),
    ):
        return client.get(url)


def assert_written_as_django_writes_it(client, url: str, response) -> None:
    """`response` (our page at `url`) has its rows written once per column, and is, line for
    line, the page Django writes there."""
    assert isinstance(response.context["cl"], ListRowsChangeList), url
    django = as_django_writes_it(client, url)
    assert response.status_code == django.status_code == 200, url
    ours, theirs = comparable(response.content.decode()), comparable(django.content.decode())
    diff = "\n".join(list(difflib.unified_diff(theirs, ours, "django", "ours", lineterm=""))[:40])
    assert ours == theirs, f"{url}:\n{diff}"
