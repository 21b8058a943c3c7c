"""People's and structures' names: tidied as the member file writes them, compared as the
coordinator would (without case, accents, punctuation nor a leading article)."""

import re
import unicodedata

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "oe", "æ": "ae", "Æ": "ae"})
_LEADING_ARTICLES = {"le", "la", "les", "l"}


def normalize_name(value: str) -> str:
    """A name as compared for duplicates: without case, accents, punctuation nor a leading
    article. « Les Compagnons-Bâtisseurs » and « compagnons batisseurs » are the same."""
    value = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    value = "".join(c for c in value if not unicodedata.combining(c)).casefold()
    words = re.sub(r"[\W_]+", " ", value).split()
    while len(words) > 1 and words[0] in _LEADING_ARTICLES:
        words = words[1:]
    return " ".join(words)


def tidy_first_name(value: str) -> str:
    """A first name as the member file writes it, whatever the visitor typed: each part
    capitalised, hyphens kept. « jean-michel » and « JEAN-MICHEL » are « Jean-Michel »."""
    return re.sub(
        r"[^\s-]+", lambda part: part[0][:1].upper() + part[0][1:].lower(), " ".join(value.split())
    )


def tidy_last_name(value: str) -> str:
    """A last name as typed (« de La Fontaine » keeps its case), spaces tidied: it is shown in
    capitals anyway."""
    return " ".join(value.split())
