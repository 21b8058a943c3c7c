"""The stylesheet generated from the site's and the working groups' colours, and its version."""

import hashlib

from django.db.models import Subquery

from association.colors import DEFAULT_ACCENT_COLOR, HEX_COLOR, contrast_ratio
from association.identity import get_site_identity
from association.models import SiteIdentity
from groups.models import WorkingGroup

# The darkest light background text sits on (site.css `--tint`). Accent colours are checked
# against white when saved; text in an accent colour on the warmer tint may need a darker shade.
TINT = "#f2ece1"
MIN_TEXT_CONTRAST = 4.5


def groups_changed():
    """When a working group last changed: its colour may have."""
    return Subquery(WorkingGroup.objects.order_by("-updated_at").values("updated_at")[:1])


def theme_version(identity: SiteIdentity) -> str:
    """A short token that changes whenever the identity or a working group is edited, so
    `/theme.css?v=…` can be cached for a year. `identity` comes from `get_site_identity`,
    which fetches `groups_changed` in the same query (see `PtceConfig.ready`)."""
    seed = f"{identity.updated_at.isoformat()}|{identity.groups_changed}"
    return hashlib.sha256(seed.encode()).hexdigest()[:12]


def current_theme_version(request, value: str) -> str | None:
    """`/theme.css?v=…`'s one spelling for the page cache: the current version only (a made-up
    one is served the plain stylesheet, never a new entry)."""
    value = value.strip()
    return value if value == theme_version(get_site_identity(request)) else None


def safe_color(value: str, default: str = DEFAULT_ACCENT_COLOR) -> str:
    """A colour as it may be written into CSS: only #RRGGBB passes."""
    return value if HEX_COLOR.match(value or "") else default


def text_shade(color: str, background: str = TINT) -> str:
    """`color`, darkened towards black just enough to be read as text on `background`
    (WCAG AA, 4.5:1)."""
    red, green, blue = (int(color[i : i + 2], 16) for i in (1, 3, 5))
    for step in range(21):
        keep = 1 - step / 20
        shade = f"#{round(red * keep):02x}{round(green * keep):02x}{round(blue * keep):02x}"
        if contrast_ratio(shade, background) >= MIN_TEXT_CONTRAST:
            return shade
    return "#000000"


def theme_stylesheet(identity: SiteIdentity, groups) -> str:
    """Custom properties for the site's accent and each working group's colour (and a shade
    of each dark enough for text). Served as a stylesheet of its own because the
    Content-Security-Policy forbids inline styles."""
    accent = safe_color(identity.accent_color)
    lines = [
        "/* Generated from the site identity and the working groups (admin). */",
        f":root {{ --accent: {accent}; --accent-ink: {text_shade(accent)}; }}",
    ]
    for group_pk, color in groups:
        color = safe_color(color, accent)
        lines.append(
            f".group-{int(group_pk)} {{ --group: {color}; --group-ink: {text_shade(color)}; }}"
        )
    return "\n".join(lines) + "\n"
