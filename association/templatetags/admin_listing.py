"""`{% listing_result_list cl %}`: the admin's `{% result_list cl %}` with the rows written by
`association.admin_listing.ListRowsChangeList.rows`, in the same template (overridable per
model as Django's is). A copy of Django's `result_list`: tests/admin_lists.py compares every
list's page with Django's, so an upgrade that changes it fails there."""

from django import template
from django.contrib.admin.templatetags.admin_list import result_headers, result_hidden_fields
from django.contrib.admin.templatetags.base import InclusionAdminNode

register = template.Library()


def listing_result_list(cl):
    headers = list(result_headers(cl))
    return {
        "cl": cl,
        "result_hidden_fields": list(result_hidden_fields(cl)),
        "result_headers": headers,
        "num_sorted_fields": sum(1 for h in headers if h["sortable"] and h["sorted"]),
        "results": list(cl.rows()),
    }


@register.tag(name="listing_result_list")
def listing_result_list_tag(parser, token):
    return InclusionAdminNode(
        "listing_result_list",
        parser,
        token,
        func=listing_result_list,
        template_name="change_list_results.html",
        takes_context=False,
    )
