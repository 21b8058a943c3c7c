"""The page cache, as a view declares it. The design in one place.

Anonymous visitors get public pages, feeds and calendars from a cache (the middleware,
`ptce/cache.py`). A view is cached only if it says so, beside its code:

    @cached_page(groupe=text, type=text, page=page_number)
    class AgendaView(ListView): ...

The keywords are the query parameters the view reads, each with the one spelling its values
are kept in (`page_number`, `ticked`, `text`, or a function of the view's own). For an
anonymous visitor the middleware keeps only those parameters, in that order, each spelled one
way, before the view runs: the view, the links it draws and the cache key see the same
address, and « ?utm_source=… » or « ?page=0002 » gets the stored page instead of a new render
and a new entry. A view that reads a parameter it did not declare is logged as an error and its
page is not stored (tests/ptce/test_cache_declarations.py opens every cached page to find one).

A page is stored under the content version (`association/content.py`: every change to what
public pages show raises it, in the same transaction), the day (« à venir » changes at
midnight) and the address. So a stored page is never out of date, and invalidation is a single
write. While drawing a page, its view may also say:
- `changes_at(request, moment)`: the page changes by itself then (registrations close at an
  event's end hour), with no record saved: kept until that moment only;
- `not_stored(request)`: the address is one no link of the site gives (an unknown group in a
  filter, a page past the last): shown, never stored, so made-up addresses cannot fill the cache;
- `public_form(request)`: the page's form is the same for every visitor but its CSRF token, so
  it may be stored with a hole there (otherwise a page with a form is never stored: most show a
  visitor's own record or act on a link's token);
- `per_visit(request, value, issue)`: `value` (the join form's one-time token) is made afresh
  for each visitor by `issue`: stored as a hole, filled at each visit.

What the middleware never stores, whatever the view declares, is listed in `ptce/cache.py`.
"""

import functools
from collections.abc import Callable

from django.http import HttpRequest, QueryDict

# --- Declaring a cached view -----------------------------------------------------------------

# A parameter's kind: its value as the visitor wrote it → its one spelling, or None (as if the
# parameter were absent). It takes the request too (a theme's version is the current one only).
Canonical = Callable[[HttpRequest, str], str | None]


def page_number(request: HttpRequest, value: str) -> str | None:
    """A page of a list: a whole number from 2 (1 is the page without it)."""
    value = value.strip()
    if not (value.isascii() and value.isdigit() and len(value) <= 6):
        return None
    return str(int(value)) if int(value) > 1 else None


def ticked(request: HttpRequest, value: str) -> str | None:
    """A ticked box: « on »; false, 0 or empty is unticked, as Django's BooleanField reads it."""
    return None if value.strip().lower() in ("", "false", "0") else "on"


def text(request: HttpRequest, value: str) -> str | None:
    """A value the view checks itself (a group's slug, a type): it says `not_stored` for one
    no link gives."""
    return value.strip() or None


class CachedPage:
    """What a view declared: the query parameters it reads, in order, with their kinds."""

    def __init__(self, parameters: dict[str, Canonical]):
        self.parameters = parameters

    def query(self, request: HttpRequest) -> "DeclaredQuery":
        """The request's query reduced to the declared parameters, each spelled one way; the
        last value of each, as `QueryDict.get` and the forms read it."""
        given = request.GET
        kept = DeclaredQuery(mutable=True, encoding=request.encoding)
        for name, canonical in self.parameters.items():
            if name in given:
                value = canonical(request, given[name])
                if value is not None:
                    kept[name] = value
        kept._mutable = False
        kept.declared = frozenset(self.parameters)
        return kept


def cached_page(**parameters: Canonical):
    """Declare a view's pages cached for anonymous visitors, with the query parameters it
    reads. On a class-based view, a function view or any callable (a feed, a library's view,
    wrapped where its URL is declared)."""
    declaration = CachedPage(parameters)

    def declare(view):
        if isinstance(view, type):  # as_view() keeps the class as `view_class`
            view.cached_page = declaration
            return view

        @functools.wraps(view, assigned=("__module__", "__name__", "__qualname__", "__doc__"))
        def cached_view(*args, **kwargs):
            return view(*args, **kwargs)

        cached_view.cached_page = declaration
        return cached_view

    return declare


def declaration_of(view) -> CachedPage | None:
    """What the resolved view declared, None for a view never cached."""
    declared = getattr(view, "cached_page", None)
    if declared is None:
        declared = getattr(getattr(view, "view_class", None), "cached_page", None)
    return declared


class DeclaredQuery(QueryDict):
    """`request.GET` of a cached page: notes every parameter the view looks for that it did not
    declare (the middleware then logs it and stores nothing)."""

    declared: frozenset[str] | None = None  # None: a copy, which notes nothing

    def _note(self, key) -> None:
        if self.declared is not None and key not in self.declared:
            self.__dict__.setdefault("undeclared", set()).add(key)

    def __getitem__(self, key):
        self._note(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self._note(key)
        return super().__contains__(key)

    def getlist(self, key, default=None):
        self._note(key)
        return super().getlist(key, default)


def undeclared_reads(request: HttpRequest) -> set[str]:
    return set(getattr(request.GET, "undeclared", ()))


# --- What a view says while drawing a page ---------------------------------------------------

CHANGES_AT_ATTRIBUTE = "_content_changes_at"
NOT_STORED_ATTRIBUTE = "_content_not_stored"
PER_VISIT_ATTRIBUTE = "_per_visit_values"
PUBLIC_FORM_ATTRIBUTE = "_per_visit_public_form"


def changes_at(request: HttpRequest, moment) -> None:
    """The page being drawn changes by itself at `moment` (a datetime), with no record saved:
    kept until then only. The soonest of several moments counts; midnight needs no saying."""
    current = request.__dict__.get(CHANGES_AT_ATTRIBUTE)
    request.__dict__[CHANGES_AT_ATTRIBUTE] = moment if current is None else min(current, moment)


def page_changes_at(request: HttpRequest):
    return request.__dict__.get(CHANGES_AT_ATTRIBUTE)


def not_stored(request: HttpRequest) -> None:
    """The page being drawn answers an address no link of the site gives: shown, not kept."""
    request.__dict__[NOT_STORED_ATTRIBUTE] = True


def page_not_stored(request: HttpRequest) -> bool:
    return request.__dict__.get(NOT_STORED_ATTRIBUTE, False)


def public_form(request: HttpRequest) -> None:
    """The page is the same for every anonymous visitor but its CSRF token and the values
    declared with `per_visit()`: it shows only records under the content version, does nothing
    but read, and may be stored with holes for those values."""
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
