"""What every row of a long list in the back-office costs: kept to what the row shows.

The people's list has 10 000 rows at 100x and the coordinator pages through it a hundred at a
time. Two costs of Django's list grew with the rows shown, not with what they show: each row's
selection box rendered as a form widget through the template engine (a third of the row), and
each row's link to its record found by `reverse()` through every address of the admin.
`ListRowsMixin` writes the same box directly and makes the links from one address."""

from urllib.parse import quote as url_quote

from django.contrib.admin import helpers
from django.contrib.admin.utils import quote
from django.contrib.admin.views.main import ChangeList
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.translation import gettext

# Stands for a record's key in the one address reversed per list (`quote` never writes it).
_KEY = "__key__"


class ListRowsChangeList(ChangeList):
    def url_for_result(self, result):
        """The same address as Django's, from one `reverse()` per list, not one per row."""
        if not hasattr(self, "_change_url"):
            opts = self.opts
            self._change_url = reverse(
                f"admin:{opts.app_label}_{opts.model_name}_change",
                args=(_KEY,),
                current_app=self.model_admin.admin_site.name,
            )
        key = str(quote(getattr(result, self.pk_attname)))
        # As `reverse()` escapes what it puts in an address.
        return self._change_url.replace(_KEY, url_quote(key, safe=RFC3986_SUBDELIMS + "/~:@"), 1)


class ListRowsMixin:
    """Mix into a ModelAdmin with actions: its rows' selection boxes, the admin's markup
    written without a template, and its rows' links from one address."""

    def get_changelist(self, request, **kwargs):
        return ListRowsChangeList

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )
