"""What every row of a list in the back-office costs: kept to what the row shows.

The people's list has 10 000 rows at 100x and the coordinator pages through it a hundred at a
time; the meetings, events, mails and the trail's entries are as long. Django's list writes
each cell through general code that works out, for every cell of every row, what the column
is (a field? its choices? a boolean?), looks the admin's icons up in the static files'
manifest, reverses the row's address through every address of the admin and goes through the
template engine once per cell: at a hundred rows that was most of the page. `ListRowsMixin`
(the admin site gives it to every model admin, ptce/login_security.py) works each column out
once per list and writes a row's cells in one string: the same markup as Django's. The tests
compare every list of the back-office, whole, with the page Django writes there
(tests/admin_lists.py, used by tests/ptce/test_every_admin_page.py) and the long lists' rows,
searched, filtered and sorted, cell for cell (tests/members/test_admin.py).

A list's own template (`change_list_template`) may extend the admin's and fill its blocks, but
not `result_list`: that block is this module's (admin/listing/change_list.html)."""

import contextlib
import datetime
from urllib.parse import quote as url_quote

from django.contrib.admin import helpers
from django.contrib.admin.templatetags.admin_list import (
    ResultList,
    _boolean_icon,
    _coerce_field_name,
    results,
)
from django.contrib.admin.templatetags.admin_urls import add_preserved_filters
from django.contrib.admin.utils import (
    display_for_field,
    display_for_value,
    get_fields_from_path,
    lookup_field,
    quote,
)
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import FieldDoesNotExist, ObjectDoesNotExist
from django.core.validators import EMPTY_VALUES
from django.db import models
from django.db.models.constants import LOOKUP_SEP
from django.template.loader import select_template
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, reverse
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.http import RFC3986_SUBDELIMS
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

# Stands for a record's key in the one address reversed per list (`quote` never writes it).
_KEY = "__key__"
_NOWRAP_FIELDS = (models.DateField, models.TimeField, models.ForeignKey)


class _Column:
    """One column of the list, worked out once: how a record's value becomes its cell, as
    Django's `items_for_result` would write it."""

    def __init__(self, changelist, index, name, is_link, tag):
        self.changelist = changelist
        self.name = name
        self.model_admin = changelist.model_admin
        self.empty = self.model_admin.get_empty_value_display()
        self.classes = "field-" + _coerce_field_name(name, index)
        if name == "action_checkbox":
            self.classes = "action-checkbox"
        self.is_link = is_link
        self.tag = tag
        self.icons = {}  # The admin's three icons, looked up in the manifest once.
        self.choices = None

    def icon(self, value):
        key = (type(value), value)  # 1 is not True: its icon's text says « 1 »
        if key not in self.icons:
            self.icons[key] = _boolean_icon(value)
        return self.icons[key]

    def cell(self, record):
        empty = self.empty
        classes = self.classes
        try:
            field, attr, value = lookup_field(self.name, record, self.model_admin)
        except ObjectDoesNotExist:
            text = empty
        else:
            empty = getattr(attr, "empty_value_display", empty)
            if field is None and isinstance(self.name, str) and LOOKUP_SEP in self.name:
                with contextlib.suppress(FieldDoesNotExist):
                    field = get_fields_from_path(self.changelist.model, self.name)[-1]
            if field is None or field.auto_created:
                text = self._value(attr, value, empty)
                if isinstance(value, (datetime.date, datetime.time)):
                    classes += " nowrap"
            else:
                text = self._field_value(field, value, empty)
                if isinstance(field, _NOWRAP_FIELDS):
                    classes += " nowrap"
        if self.is_link:
            text = self.changelist.link_for_result(record, text)
        return f'<{self.tag} class="{classes}">{conditional_escape(text)}</{self.tag}>'

    def _value(self, attr, value, empty):
        boolean = getattr(attr, "boolean", False)
        if isinstance(attr, property) and hasattr(attr, "fget"):
            boolean = getattr(attr.fget, "boolean", False)
        if boolean:
            return self.icon(None if value in EMPTY_VALUES else value)
        return display_for_value(value, empty)

    def _field_value(self, field, value, empty):
        if isinstance(field.remote_field, models.ManyToOneRel):
            return empty if value is None else value
        if field.flatchoices:
            try:
                if self.choices is None:
                    self.choices = dict(field.flatchoices)
                return self.choices.get(value, empty)
            except TypeError:  # list-like choices
                return display_for_field(value, field, empty, avoid_link=self.is_link)
        if isinstance(field, models.BooleanField) and isinstance(value, (bool, type(None))):
            return self.icon(value)
        return display_for_field(value, field, empty, avoid_link=self.is_link)


class ListRowsChangeList(ChangeList):
    @cached_property
    def _address(self):
        """The record's address with `_KEY` for its key: one `reverse()` per list."""
        return reverse(
            f"admin:{self.opts.app_label}_{self.opts.model_name}_change",
            args=(_KEY,),
            current_app=self.model_admin.admin_site.name,
        )

    @cached_property
    def _link(self):
        """The link's address with `_KEY` for its key, the list's search and filters kept for
        the way back (Django's `add_preserved_filters`, once per list); None without one."""
        try:
            address = self._address
        except NoReverseMatch:
            return None
        context = {"preserved_filters": self.preserved_filters, "opts": self.opts}
        return add_preserved_filters(context, address)

    def _with_key(self, address, result):
        key = str(quote(getattr(result, self.pk_attname)))
        # As `reverse()` escapes what it puts in an address.
        return address.replace(_KEY, url_quote(key, safe=RFC3986_SUBDELIMS + "/~:@"), 1)

    def url_for_result(self, result):
        """The same address as Django's, from one `reverse()` per list, not one per row."""
        return self._with_key(self._address, result)

    def link_for_result(self, result, text):
        """The row's link to its record, or its text when the record has no page."""
        if self._link is None:
            return text
        return format_html('<a href="{}">{}</a>', self._with_key(self._link, result), text)

    def rows(self):
        """The rows of the page, each as one string of cells; Django's own writing where this
        one does not apply (editable lists, pop-ups, a key other than the record's)."""
        if self.formset or self.is_popup or self.to_field:
            yield from results(self)
            return
        columns, first = [], True
        for index, name in enumerate(self.list_display):
            is_link = _link_in_column(first, name, self)
            tag = "th" if is_link and first else "td"
            columns.append(_Column(self, index, name, is_link, tag))
            first = first and not is_link
        for result in self.result_list:
            yield ResultList(None, [mark_safe("".join(c.cell(result) for c in columns))])


def _link_in_column(is_first, name, changelist):
    if changelist.list_display_links is None:
        return False
    if is_first and not changelist.list_display_links:
        return True
    return name in changelist.list_display_links


class ListRowsMixin:
    """A model admin's rows written by `ListRowsChangeList.rows` through the template
    admin/listing/change_list.html, over the list's own template whichever it is; the
    selection boxes without a template. An admin with a list of its own (`get_changelist`)
    keeps it, and Django's rows."""

    def get_changelist(self, request, **kwargs):
        changelist = super().get_changelist(request, **kwargs)
        return ListRowsChangeList if changelist is ChangeList else changelist

    def changelist_view(self, request, extra_context=None):
        response = super().changelist_view(request, extra_context)
        if (
            isinstance(response, TemplateResponse)
            and not response.is_rendered
            and isinstance(response.context_data.get("cl"), ListRowsChangeList)
        ):
            names = response.template_name
            response.context_data["listing_parent"] = select_template(
                [names] if isinstance(names, str) else names
            )
            response.template_name = "admin/listing/change_list.html"
        return response

    def action_checkbox(self, obj):
        return format_html(
            '<input type="checkbox" name="{}" value="{}" class="action-select" aria-label="{}">',
            helpers.ACTION_CHECKBOX_NAME,
            str(obj.pk),
            format_html(gettext("Select this object for an action - {}"), str(obj)),
        )
