"""The project's French catalogue (locale/fr/): the compiled .mo says what the .po says, and
Django uses it ahead of its own."""

import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

FOLDER = Path(settings.BASE_DIR) / "locale" / "fr" / "LC_MESSAGES"


def read_po(path: Path) -> dict:
    """msgid (or (msgid, msgid_plural)) -> msgstr (or the list of plural msgstr), as gettext
    reads them; the header (empty msgid) left out."""
    entries, entry, key = {}, {}, None
    for line in [*path.read_text().splitlines(), ""]:
        line = line.strip()
        if line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        elif line.startswith(("msgid", "msgstr")):
            key, _, text = line.partition(" ")
            entry[key] = ast.literal_eval(text)
        elif not line and entry:
            if entry["msgid"]:
                if "msgid_plural" in entry:
                    plurals = sorted(k for k in entry if k.startswith("msgstr["))
                    entries[(entry["msgid"], entry["msgid_plural"])] = [entry[k] for k in plurals]
                else:
                    entries[entry["msgid"]] = entry["msgstr"]
            entry = {}
    return entries


@pytest.mark.parametrize("domain", ["django", "djangojs"])
def test_the_compiled_catalogue_is_in_step_with_its_source(domain):
    """Run `make messages` after editing a .po."""
    source = read_po(FOLDER / f"{domain}.po")
    with (FOLDER / f"{domain}.mo").open("rb") as compiled_file:
        compiled = gettext.GNUTranslations(compiled_file)
    assert source
    for key, text in source.items():
        if isinstance(key, tuple):
            for n, plural in zip((1, 1_000_000, 2), text, strict=True):
                assert compiled.ngettext(*key, n) == plural, key
        else:
            assert compiled.gettext(key) == text, key
    # Nothing compiled that the source no longer has (the header is the empty msgid).
    assert len(compiled._catalog) - 1 == sum(
        len(text) if isinstance(key, tuple) else 1 for key, text in source.items()
    )


def test_django_speaks_the_project_s_french_first():
    with translation.override("fr"):
        assert translation.gettext("Yes, I\u2019m sure") == "Oui, supprimer"
        assert translation.gettext("Task Results") == "résultats de tâches"


def test_the_admin_s_scripts_speak_it_too(coordinator_client):
    script = coordinator_client.get(reverse("admin:jsi18n")).content.decode()
    assert "%(sel)s sur %(cnt)s" in script
    assert "%(sel)s sur %(cnt)s s\\u00e9lectionn" not in script
