"""What a visitor's text may hold, and text made safe for a mail header.

A one-line field (a name, a town, a phone number) holds no invisible character: no control
character (line breaks, tabs, escapes), no format character (zero-width space, right-to-left
override, soft hyphen, byte order mark), no line or paragraph separator (U+2028, U+2029), no
private-use or surrogate code point. They cannot be seen, are never typed on purpose, spoof
what the coordinator reads, and some break a mail header. Letters of every script, accents,
apostrophes (straight and curly), hyphens and spaces are all welcome; so are the zero-width
(non-)joiners, parts of words in Persian and Indic scripts.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible

FORBIDDEN_IN_LINE = {"Cc", "Cf", "Zl", "Zp", "Co", "Cs"}
JOINERS = {"\u200c", "\u200d"}
ALLOWED_IN_TEXT = {"\n", "\r", "\t"}


def is_forbidden_in_line(character: str) -> bool:
    return unicodedata.category(character) in FORBIDDEN_IN_LINE and character not in JOINERS


@deconstructible
class SingleLineValidator:
    """Refuse invisible characters in a one-line field, naming the field when told its label
    (the message may be read far from the field, in a list of errors). NUL is left to Django's
    own validator, which says so in its message."""

    code = "control_characters"

    def __init__(self, field_label: str = ""):
        self.field_label = str(field_label)

    def __call__(self, value: str) -> None:
        if any(is_forbidden_in_line(c) for c in value if c != "\x00"):
            field = "Ce champ"
            if self.field_label:
                field = f"Le champ «\u00a0{self.field_label}\u00a0»"
            raise ValidationError(
                "%(field)s contient des caractères invisibles non autorisés (retour à la ligne, "
                "tabulation, séparateur ou caractère de mise en forme, souvent venus d'un "
                "copier-coller). Retapez-le simplement.",
                code=self.code,
                params={"field": field},
            )

    def __eq__(self, other):
        return isinstance(other, SingleLineValidator) and self.field_label == other.field_label


validate_single_line = SingleLineValidator()


def validate_text(value: str) -> None:
    """For a message: line breaks and tabs are welcome, other control characters are not."""
    if any(
        unicodedata.category(c) == "Cc" and c not in ALLOWED_IN_TEXT and c != "\x00" for c in value
    ):
        raise ValidationError(
            "Ce message contient des caractères invisibles non autorisés. Retapez-le simplement.",
            code="control_characters",
        )


def single_spaces(value: str) -> str:
    """Every kind of space (non-breaking, narrow, ideographic…) as an ordinary space: a
    non-breaking space typed by mistake in a name would stop it matching the member file."""
    return "".join(" " if unicodedata.category(c) == "Zs" else c for c in value)


_HEADER_BREAKS = {"Cc", "Zl", "Zp"}
_HEADER_INVISIBLE = {"Cf", "Cs"}


def header_text(value: str, limit: int = 300) -> str:
    """`value` as a mail header may carry it, whatever it holds: control characters, line and
    paragraph separators become spaces (a header refuses any line break, U+2028 included),
    format characters and lone surrogates go, runs of spaces become one. Non-breaking spaces
    stay: French typography needs them before « : »."""
    kept = []
    for character in value:
        category = unicodedata.category(character)
        if category in _HEADER_BREAKS:
            kept.append(" ")
        elif category not in _HEADER_INVISIBLE:
            kept.append(character)
    return re.sub(" {2,}", " ", "".join(kept)).strip(" ")[:limit]
