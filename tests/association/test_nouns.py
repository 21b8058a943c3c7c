"""The French around a model's name: articles, elision, agreement, and a plural for every
model the admin shows."""

import pytest
from django.contrib import admin

from association.nouns import EPICENE, FEMININE, MASCULINE, noun

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize(
    ("name", "indefinite", "definite", "demonstrative", "selected"),
    [
        ("associé", "un associé", "l'associé", "cet associé", "sélectionnés"),
        ("assemblée générale", "une assemblée générale", "l'assemblée générale", None, None),
        ("réunion", "une réunion", "la réunion", "cette réunion", "sélectionnées"),
        ("document", "un document", "le document", "ce document", "sélectionnés"),
        ("identité du site", "une identité du site", "l'identité du site", None, None),
        ("chef·fe de file", "un·e chef·fe de file", "le·la chef·fe de file", None, None),
        ("demande d'adhésion", "une demande d'adhésion", "la demande d'adhésion", None, None),
    ],
)
def test_a_name_gets_the_article_its_gender_and_first_letter_need(
    name, indefinite, definite, demonstrative, selected
):
    assert noun(name).indefinite == indefinite
    assert noun(name).definite == definite
    if demonstrative:
        assert noun(name).demonstrative == demonstrative
    if selected:
        assert noun(name).selected == selected


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_model_has_a_known_gender_and_a_real_plural(model):
    """A new model's head word must be placed in FEMININE or MASCULINE (association/nouns.py),
    or the admin would call a « réunion » « un réunion ». Its plural must be a plural: the
    list says « 4 associés », not « 4 registre des associés »."""
    opts = model._meta
    inlines = admin.site._registry[model].inlines
    names = [opts.verbose_name, *(inline.verbose_name for inline in inlines)]
    for name in filter(None, names):
        assert noun(name).head in FEMININE | MASCULINE | EPICENE, (
            f"{opts.label}: is « {noun(name).head} » feminine or masculine?"
        )
    if opts.label != "association.SiteIdentity":  # one record only, never counted
        head = str(opts.verbose_name_plural).split()[0]
        assert head.endswith(("s", "x")), f"{opts.label}: « {opts.verbose_name_plural} »"
