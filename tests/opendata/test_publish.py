"""/donnees/: the datasets as a visitor or a re-user meets them, the data package validated by
the Frictionless reference validator, the DCAT catalogue, and what is never published."""

import csv
import io
import json

import pytest
from django.urls import reverse
from frictionless import Package

from opendata.datasets import DATASETS
from report.models import YearlyFigures
from tests.factories import (
    EventFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    StructureFactory,
)
from tests.public_site import LARGE, SMALL, build_network, frozen, page_text


def body(response) -> str:
    return (
        b"".join(response.streaming_content).decode()
        if response.streaming
        else (response.content.decode())
    )


def csv_rows(client, name: str) -> list[dict]:
    response = client.get(reverse(f"opendata:{name}_csv"))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body(response))))


def every_file(client) -> str:
    return "\n".join(
        body(client.get(reverse(f"opendata:{dataset.name}_{extension}")))
        for dataset in DATASETS
        for extension in ("csv", "json")
    )


@frozen()
def test_the_demo_s_data_package_validates_with_the_frictionless_validator(
    db, client, newsletter, tmp_path
):
    """Each resource's CSV, as served, against its Table Schema: types, required columns,
    enumerations, primary keys and the foreign keys between resources."""
    descriptor = client.get(reverse("opendata:datapackage")).json()
    for resource in descriptor["resources"]:
        (tmp_path / f"{resource['name']}.csv").write_text(
            body(client.get(resource["path"].removeprefix("http://testserver")))
        )
        resource["path"] = f"{resource['name']}.csv"

    report = Package(descriptor, basepath=str(tmp_path)).validate()

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert descriptor["licenses"][0]["name"] == "etalab-2.0"
    assert descriptor["contributors"][0]["role"] == "publisher"
    counts = {task.name: task.stats["rows"] for task in report.tasks}
    # The newsletter's structures, groups, autumn meetings and 2024 figures are all there.
    assert counts["structures"] >= 8 and counts["groupes"] == 4
    assert counts["reunions"] >= 8 and counts["chiffres"] >= 9


@frozen()
def test_the_page_lists_each_dataset_with_its_columns_and_links_from_footer_and_report(
    db, client, site_identity
):
    page = client.get(reverse("opendata:index"))
    text = page_text(page)
    for dataset in DATASETS:
        assert dataset.title in text
        assert reverse(f"opendata:{dataset.name}_csv") in page.content.decode()
    assert "Licence Ouverte / Open Licence version 2.0" in text
    assert "valeur_declaree" in text and "Ce que l'association a déclaré" in text
    assert reverse("opendata:index") in client.get(reverse("site:home")).content.decode()
    report = client.get(reverse("report:report_year", kwargs={"year": 2024}))
    assert reverse("opendata:index") in report.content.decode()


@frozen()
def test_no_person_nor_what_the_site_does_not_show_is_published(db, client, site_identity):
    structure = StructureFactory(
        name="Atelier partagé", email="secret@atelier.example", phone="0321000000"
    )
    PersonFactory(first_name="Ségolène", last_name="Discrète", structure=structure)
    ProjectFactory(name="Projet confidentiel", is_published=False)
    # A published project's description: no page of the site shows it (only its summary).
    ProjectFactory(name="Projet public", summary="Un résumé.", description="Budget négocié")
    EventFactory(title="Séminaire en préparation", is_published=False)
    MeetingFactory(is_sample=True)

    published = every_file(client)

    assert "Atelier partagé" in published and "Un résumé." in published
    for hidden in ("secret@atelier.example", "0321000000", "Ségolène", "Discrète",
                   "Projet confidentiel", "Séminaire en préparation",
                   "Budget négocié"):  # fmt: skip
        assert hidden not in published
    assert csv_rows(client, "reunions") == []  # the only meeting is a demo sample


@frozen()
def test_a_text_a_spreadsheet_would_run_is_defused_in_the_csv_not_in_the_json(db, client):
    StructureFactory(name='=HYPERLINK("http://evil.example")', slug="piege")

    [row] = csv_rows(client, "structures")
    data = json.loads(body(client.get(reverse("opendata:structures_json"))))

    assert row["nom"] == '\'=HYPERLINK("http://evil.example")'
    assert data[0]["nom"] == '=HYPERLINK("http://evil.example")'


@frozen()
def test_the_licence_is_a_setting(db, client, settings):
    settings.OPEN_DATA_LICENCE = "odbl-1.0"
    package = client.get(reverse("opendata:datapackage")).json()
    catalogue = client.get(reverse("opendata:catalogue")).json()

    assert package["licenses"][0]["name"] == "ODbL-1.0"
    assert catalogue["dct:license"] == "https://opendatacommons.org/licenses/odbl/1-0/"


@frozen()
def test_the_dcat_catalogue_names_each_dataset_with_reachable_distributions(
    db, client, site_identity
):
    response = client.get(reverse("opendata:catalogue"))
    catalogue = response.json()

    assert response["Content-Type"] == "application/ld+json"
    assert catalogue["@type"] == "dcat:Catalog"
    assert catalogue["dct:publisher"]["foaf:name"] == site_identity.name
    assert [d["dct:title"] for d in catalogue["dcat:dataset"]] == [d.title for d in DATASETS]
    # The language as a resource of the EU's table (DCAT-AP), not the bare code « fr ».
    french = "http://publications.europa.eu/resource/authority/language/FRA"
    assert catalogue["@context"]["dct:language"] == {"@type": "@id"}
    assert catalogue["dct:language"] == french
    for dataset in catalogue["dcat:dataset"]:
        assert dataset["dct:language"] == french
        for distribution in dataset["dcat:distribution"]:
            url = distribution["dcat:downloadURL"].removeprefix("http://testserver")
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["datapackage", "catalogue", "structures_csv"])
def test_every_file_is_readable_from_another_site_s_script(db, client, name):
    response = client.get(reverse(f"opendata:{name}"), headers={"origin": "https://a.example"})
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_unknown_licence_stops_the_portal_at_its_checks(settings):
    from opendata.apps import check_licence

    settings.OPEN_DATA_LICENCE = "domaine-public"
    assert [error.id for error in check_licence()] == ["opendata.E001"]


@frozen()
def test_a_large_export_is_streamed_and_read_a_chunk_at_a_time(db, client):
    """Memory stays flat: the response is written as the rows are read, and the rows are read
    CHUNK_SIZE at a time (each chunk with its own query for the structures' groups)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from opendata.tables import CHUNK_SIZE

    StructureFactory.create_batch(CHUNK_SIZE * 2 + 1)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("opendata:structures_csv"))
        assert response.streaming
        lines = [next(response.streaming_content) for _ in range(2)]
        read_before_the_end = len(queries)
        rest = list(response.streaming_content)

    assert lines[0].startswith(b"identifiant,nom,sigle,type,")
    assert len(lines) + len(rest) == 1 + CHUNK_SIZE * 2 + 1
    groups = [q for q in queries if "groups_workinggroup_participant_structures" in q["sql"]]
    assert len(groups) == 3  # three chunks, each with its groups
    assert read_before_the_end < len(queries)  # the first lines left before the last chunk


@frozen()
def test_the_figures_begin_with_the_first_year_declared_or_recorded(db, client):
    """No row of zeros for the years before the PTCE: its first declaration, 2023 here."""
    YearlyFigures.objects.create(year=2023, meetings=20)

    rows = csv_rows(client, "chiffres")

    assert sorted({row["annee"] for row in rows}) == ["2023", "2024"]  # 2025 is still going
    first = next(row for row in rows if row["identifiant"] == "2023-meetings")
    assert (first["valeur_declaree"], first["valeur_publiee"], first["origine"]) == (
        "20",
        "20",
        "declaree",
    )


@pytest.mark.parametrize("size", [SMALL, LARGE], ids=["small", "large"])
@frozen()
def test_the_open_data_page_costs_the_same_queries_whatever_the_data(
    size, db, client, django_assert_num_queries
):
    build_network(**size)
    # The content version (the page cache), the identity, and the last change shown: each
    # dataset's own (opendata/dates.py: five tables' timestamps, the last migration, the
    # trail), seven queries where the content version was one.
    with django_assert_num_queries(9):
        assert client.get(reverse("opendata:index")).status_code == 200
