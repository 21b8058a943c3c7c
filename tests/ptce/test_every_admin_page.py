"""Every app page, and every list, add, change, history and delete page of every model
registered in the admin opens without an error for the coordinator, a group lead and a
superuser, on a database holding a record of every kind (every kind of mail included, about
every kind of record); and what the coordinator and the lead read there is in correct French.

The models come from the admin's registry: a model registered later is covered without
touching this file, and `build_every_record` fails until it holds a record of it. One test
per model, each page opened once per person: the whole runs in well under a minute. Each list,
as it is and sorted and searched, is the page Django writes there, its rows written by
association/admin_listing.py (tests/admin_lists.py)."""

import re

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.admin_lists import assert_written_as_django_writes_it
from tests.conftest import text_of
from tests.every_record import build_every_record

# The mails' test opens a page per mail (one about every kind of record) for three people: under
# a busy machine's load it passed the 60 s every other test gets.
pytestmark = [
    pytest.mark.slow,
    pytest.mark.django_db,
    pytest.mark.ignore_template_errors,
    pytest.mark.timeout(300),
]

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)

# What Django's French catalogue writes around our models' names, and other text a person
# should never read in the back-office. Each a regular expression on the page's HTML, entities
# decoded.
WRONG_FORMS = [
    r"Django",
    r"Ajout de ",  # « Ajout de associé »
    r"Modification de ",
    r"Affichage de ",
    r"Ajouter (?!un |une |un·e |au |aux |à )\w",  # « Ajouter associé »: the article is missing
    r"l['\u2019]objet ",  # « Sélectionnez l'objet réunion à changer »
    r"un objet ",  # « Ajouter un objet Document supplémentaire »
    r"objets? \w+ sélectionnés",
    r"je suis sûr",
    r"Impossible de supprimer \w",  # « Impossible de supprimer lieu »
    r"\d+ sur \d+ sélectionné",  # « 0 sur 40 sélectionné » under a list of meetings
    r"ajouter un nouveau|en tant que nouveau",  # « Enregistrer et ajouter un nouveau »
    r"\d+ registre",  # « 4 registre des associés »
    r"les registre",  # « Rechercher dans les registre des associés »
    r"Administration de [A-ZÉ]",  # « Administration de Groupes de travail », an app's page
    # « sélectionnés » after a feminine plural (« Supprimer les réunions sélectionnés »).
    r"(réunions|demandes|personnes|structures|adhésions|inscriptions|assemblées|catégories"
    r"|règles|résolutions|séries|séquences|avancées|coopérations|tentatives|connexions)"
    r"\b[^<\n]{0,40} sélectionnés",
    r"<label[^>]*>\s*[a-zàâçéèêëîïôûù]",  # a label in lower case (« parts souscrites : »)
    r">\s*(acknowledgement|notification)\s*<",  # a mail kind's code instead of its name
    r">\s*PK\s*<",  # a column named after the primary key
    r">\[\]</textarea>",  # a list to type as JSON
    # What a delete page lists with a group or a person: « Relation workinggroup-person:
    # WorkingGroup_participant_people object (1) ».
    r"Relations? [a-z]+-[a-z]+",
    r"\w+ object \(",
    # « Groupes de travail: 1 », « Adhésion: <a href…>2025</a> » on a delete page.
    r"[a-zàâçéèêëîïôûù]: (\d|<a )",
]
# « Annulé » said of a feminine noun.
WRONG_FOR = {"groups.Meeting": [r"Annulé(?!e)"], "scic.GeneralAssembly": [r"Annulé(?!e)"]}
# The pages only a superuser opens (accounts, the task queue, login security) are technical:
# they must open, their wording is the libraries'.
READERS = ("coordinator", "lead")
# Models whose records are many of a few kinds (the trail holds an entry for each record the
# others create): one change page per kind, not per record.
ONE_PAGE_PER_KIND = {"audit.AuditEntry": ("content_type", "action", "origin")}


def _url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


def admin_pages(model) -> list[str]:
    """The model's app page and list, its add page, the change page of each of its records (of
    each kind, for ONE_PAGE_PER_KIND), the history and delete pages of the first."""
    records = model._default_manager.order_by("pk")
    first_of_kind = {}
    for pk, *kind in records.values_list("pk", *ONE_PAGE_PER_KIND.get(model._meta.label, ())):
        first_of_kind.setdefault(tuple(kind) or pk, pk)
    pks = list(first_of_kind.values())
    return [
        reverse("admin:app_list", args=[model._meta.app_label]),
        _url(model, "changelist"),
        _url(model, "add"),
        *(_url(model, "change", pk) for pk in pks),
        _url(model, "history", pks[0]),
        _url(model, "delete", pks[0]),
    ]


def wrong_forms(page: str, wrong: list[str]) -> list[str]:
    """Each wrong form found, with what surrounds it."""
    return [
        page[max(match.start() - 60, 0) : match.end() + 40]
        for form in wrong
        for match in [re.search(form, page)]
        if match
    ]


@pytest.fixture
def personas(db, legal_rules, request):
    """The coordinator, a group lead and a superuser (tests/conftest.py), over a database with
    a record of every kind."""
    groups = build_every_record()
    return {
        "coordinator": request.getfixturevalue("coordinator"),
        "lead": groups.lead_user_a,
        "superuser": request.getfixturevalue("superuser"),
    }


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_every_admin_page_of_the_model_opens_and_reads_in_correct_french(client, personas, model):
    """The client raises what a view raises: a crash fails the test with its traceback."""
    wrong = [*WRONG_FORMS, *WRONG_FOR.get(model._meta.label, [])]
    for name, user in personas.items():
        client.force_login(user)
        for url in admin_pages(model):
            response = client.get(url)
            assert response.status_code < 500, f"{name} {url}: {response.status_code}"
            if name in READERS and response.status_code == 200:
                found = wrong_forms(text_of(response), wrong)
                assert not found, f"{name} {url}: {found}"
            if response.status_code == 200 and "cl" in response.context:
                assert_written_as_django_writes_it(client, url, response)
                searched = f"{url}?q=e&o=-1"
                assert_written_as_django_writes_it(client, searched, client.get(searched))


# The pages an admin adds to the standard ones (accept a request, close a meeting, print the
# register, a letter's preview…): each opened by GET with its first record, for the same people.
STANDARD = {"changelist", "add", "history", "delete", "change", "autocomplete"}


def custom_pages() -> list[tuple[type, str, list[str]]]:
    pages = []
    for model in REGISTERED:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        for pattern in admin.site._registry[model].get_urls():
            name = getattr(pattern, "name", None)
            if name is None or name in {prefix + action for action in STANDARD}:
                continue
            pages.append((model, name, list(pattern.pattern.converters)))
    return pages


@pytest.mark.parametrize(
    ("model", "name", "arguments"),
    custom_pages(),
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_custom_admin_page_opens_and_reads_in_correct_french(
    client, personas, model, name, arguments
):
    if arguments not in ([], ["pk"], ["id"]):
        pytest.skip(f"{name} takes {arguments}: opened by its own tests")
    args = [model._default_manager.order_by("pk").values_list("pk", flat=True)[0]] * len(arguments)
    url = reverse(f"admin:{name}", args=args)
    wrong = [*WRONG_FORMS, *WRONG_FOR.get(model._meta.label, [])]
    for person, user in personas.items():
        client.force_login(user)
        response = client.get(url)
        assert response.status_code < 500, f"{person} {url}: {response.status_code}"
        html = response.get("Content-Type", "").startswith("text/html")
        if person in READERS and response.status_code == 200 and html:
            found = wrong_forms(text_of(response), wrong)
            assert not found, f"{person} {url}: {found}"
