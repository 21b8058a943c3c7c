"""Values a page issues afresh for each visitor, such as the join form's one-time token.

A view that puts such a value in a page declares it with `per_visit()`. The page cache
(`ptce/cache.py`) then stores the render with a placeholder where the value appears, and fills
each visitor's copy with a value of its own, issued by the same function: the page is drawn
once per content version, the value is still new at each visit.

The CSRF token is the other per-visit value; the page cache recognises Django's hidden input.
A page with one is stored only if its view calls `public_form()`: many pages with a form show a
visitor's own record (a registration, an invitation's answer) or act on a link's token, and
must be rendered at each visit.
"""

from collections.abc import Callable

from django.http import HttpRequest

PER_VISIT_ATTRIBUTE = "_per_visit_values"
PUBLIC_FORM_ATTRIBUTE = "_per_visit_public_form"


def public_form(request: HttpRequest) -> None:
    """Declare this page the same for every anonymous visitor but its CSRF token and the values
    declared with `per_visit()`: it shows only records under the content version, does
    nothing but read, and may be stored with holes for those values."""
    request.__dict__[PUBLIC_FORM_ATTRIBUTE] = True


def is_public_form(request: HttpRequest) -> bool:
    return getattr(request, PUBLIC_FORM_ATTRIBUTE, False)


def per_visit(request: HttpRequest, value: str, issue: Callable[[], str]) -> str:
    """`value`, just made by `issue()` for this response, noted as one to make afresh for every
    visitor. `issue` is a module-level function without arguments (it is stored by name)."""
    values = request.__dict__.setdefault(PER_VISIT_ATTRIBUTE, {})
    values[value] = f"{issue.__module__}.{issue.__qualname__}"
    return value


def per_visit_values(request: HttpRequest) -> dict[str, str]:
    """The values declared for this response, each with the dotted name of its issuer."""
    return dict(getattr(request, PER_VISIT_ATTRIBUTE, {}))
