"""Colour contrast, per WCAG 2.1 (relative luminance and contrast ratio)."""

import re

from django.core.exceptions import ValidationError

HEX_COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
# The colour of a new site identity or working group, and of any colour that cannot be used.
DEFAULT_ACCENT_COLOR = "#1f5f8b"
# Accent colours carry white text (badges, headings' rule, buttons): AA for normal text.
MIN_CONTRAST_ON_WHITE = 4.5


def relative_luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def validate_accent_color(value: str) -> None:
    if not HEX_COLOR.match(value or ""):
        raise ValidationError(
            f"Saisissez une couleur au format #RRVVBB, par exemple {DEFAULT_ACCENT_COLOR}.",
            code="invalid",
        )
    ratio = contrast_ratio(value, "#ffffff")
    if ratio < MIN_CONTRAST_ON_WHITE:
        raise ValidationError(
            "Cette couleur est trop claire : le texte blanc posé dessus serait illisible "
            "(contraste %(ratio).1f:1, il faut au moins 4,5:1). "
            "Choisissez une teinte plus foncée.",
            code="low_contrast",
            params={"ratio": ratio},
        )
