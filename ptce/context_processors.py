from association.identity import get_site_identity
from ptce.theme import theme_version

# Which main-menu entry a page belongs to, by URL namespace (and name where one app feeds two
# entries). Computed here, not in the template: a 404 page has no resolver match to inspect.
_SECTIONS = {
    ("site", "home"): "home",
    ("site", "about"): "about",
    ("site", "agenda"): "agenda",
    ("site", "agenda_archive"): "agenda",
    ("groups", None): "groups",
    ("events", None): "events",
    ("site", "structure_list"): "structures",
    ("site", "structure_detail"): "structures",
}


def site_identity(request):
    """The association's identity (header, footer, page titles) and the current menu entry."""
    match = getattr(request, "resolver_match", None)
    section = ""
    if match is not None:
        section = _SECTIONS.get((match.namespace, match.url_name)) or _SECTIONS.get(
            (match.namespace, None), ""
        )
    site = get_site_identity(request)
    site.theme_version = theme_version(site)
    return {"site": site, "nav_section": section}
