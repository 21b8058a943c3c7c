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


_COMBINING = re.compile(r"[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


def fold(value: str) -> str:
    """Text without case nor accents, punctuation kept: « Zoé SECRETNOM » is « zoe secretnom »."""
    value = unicodedata.normalize("NFKD", value.translate(_LIGATURES))
    return _COMBINING.sub("", value).casefold()


class Mentions:
    """Names or addresses to find in a text whatever their case and accents (« Zoe
    SECRETNOM » for « Zoé Secretnom »), as whole words with any run of spaces between them,
    and to replace."""

    def __init__(self, texts: list[str]):
        folded = {fold(" ".join(text.split())) for text in texts} - {""}
        alternatives = [
            r"\s+".join(re.escape(word) for word in text.split())
            for text in sorted(folded, key=len, reverse=True)
        ]
        pattern = rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)"
        self._pattern = re.compile(pattern) if alternatives else None

    def __bool__(self) -> bool:
        return self._pattern is not None

    def found_in(self, text: str) -> bool:
        return bool(self._pattern and self._pattern.search(fold(text)))

    def replace(self, text: str, replacement: str) -> str:
        if not self.found_in(text):
            return text
        # Fold character by character, remembering where each folded one comes from, to
        # replace the original spelling.
        folded, origin = [], []
        for index, character in enumerate(text):
            piece = fold(character)
            folded.append(piece)
            origin += [index] * len(piece)
        parts, kept_from = [], 0
        for match in self._pattern.finditer("".join(folded)):
            start, end = origin[match.start()], origin[match.end() - 1] + 1
            while end < len(text) and not fold(text[end]):  # a lone combining accent
                end += 1
            parts += [text[kept_from:start], replacement]
            kept_from = end
        return "".join([*parts, text[kept_from:]])
