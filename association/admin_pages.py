"""The admin's intermediate pages: between an action chosen on a list or a record and its
effect, a page that shows what will happen and asks for what is missing (a confirmation, a
reason, a choice among lookalikes).

Every such page is built here, the way Django builds its own « delete selected » page: the
action redirects with the selected ids (`redirect_with_selection`), the view reads them back
(`selected_ids`), checks the right (`require_permission`) and renders its template, which
extends `admin/intermediate_page.html`, with the admin's standard context
(`render_intermediate_page`). That base draws the breadcrumb bar (home, app, list, the
record if there is one, this page); its `breadcrumbs` partial also serves the pages whose base
is another library's (the membership import and export)."""

from django.contrib.admin import ActionLocation, ModelAdmin
from django.core.exceptions import PermissionDenied
from django.db.models import Model, QuerySet
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.text import capfirst

# An action offered both in the list and on each record's page.
ON_LIST_AND_PAGE = [ActionLocation.CHANGE_LIST, ActionLocation.CHANGE_FORM]


def redirect_with_selection(url: str, queryset: QuerySet) -> HttpResponseRedirect:
    """From an action to the page at `url`, carrying the selected records' ids."""
    ids = ",".join(str(pk) for pk in queryset.values_list("pk", flat=True))
    return HttpResponseRedirect(f"{url}?ids={ids}")


def selected_ids(request: HttpRequest) -> list[int]:
    """The ids `redirect_with_selection` carried; anything else in the list is ignored."""
    return [int(pk) for pk in request.GET.get("ids", "").split(",") if pk.isdigit()]


def require_permission(
    model_admin: ModelAdmin, request: HttpRequest, permission: str, obj: Model | None = None
) -> None:
    """Refuse (403) unless the model admin grants `permission` (« change », « delete »…),
    on `obj` when the page is about one record."""
    has_permission = getattr(model_admin, f"has_{permission}_permission")
    if not has_permission(request, obj):
        raise PermissionDenied


def render_intermediate_page(
    model_admin: ModelAdmin,
    request: HttpRequest,
    *,
    template: str,
    title: str,
    breadcrumb: str | None = None,
    obj: Model | None = None,
    **context,
) -> TemplateResponse:
    """The page, with the admin's context (site, sidebar, `opts`). `title` is its heading;
    `breadcrumb` the last item of the bar (the title unless given); `obj`, the record the page
    is about, adds a link to it before that item. The labels of a form in the context start with
    a capital, as the admin's own forms' do (`FrenchNamesMixin.get_form`)."""
    for value in context.values():
        if isinstance(value, BaseForm):
            for field in value.fields.values():  # the form's own copies
                if field.label:
                    field.label = capfirst(field.label)
    return TemplateResponse(
        request,
        template,
        {
            **model_admin.admin_site.each_context(request),
            "opts": model_admin.opts,
            "title": title,
            "breadcrumb": breadcrumb or title,
            "object": obj,
            **context,
        },
    )
