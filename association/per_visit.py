"""Values a page issues afresh for each visitor, such as the join form's one-time token.

A view that puts such a value in a page declares it with `per_visit()`. The page cache
(`ptce/cache.py`) then stores the render with a placeholder where the value appears, and fills
each visitor's copy with a value of its own, issued by the same function: the page is drawn
once per content version, the value is still new at each visit. The CSRF token needs no
declaration (the page cache recognises Django's hidden input).
"""

from collections.abc import Callable

from django.http import HttpRequest

PER_VISIT_ATTRIBUTE = "_per_visit_values"


def per_visit(request: HttpRequest, value: str, issue: Callable[[], str]) -> str:
    """`value`, just made by `issue()` for this response, noted as one to make afresh for every
    visitor. `issue` is a module-level function without arguments (it is stored by name)."""
    values = request.__dict__.setdefault(PER_VISIT_ATTRIBUTE, {})
    values[value] = f"{issue.__module__}.{issue.__qualname__}"
    return value


def per_visit_values(request: HttpRequest) -> dict[str, str]:
    """The values declared for this response, each with the dotted name of its issuer."""
    return dict(getattr(request, PER_VISIT_ATTRIBUTE, {}))
