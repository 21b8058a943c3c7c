"""The datasets as files: CSV (RFC 4180: UTF-8 without a byte order mark, commas, one header
row, ISO dates) and JSON, both streamed row by row so that memory stays flat whatever the size
of the table; and the descriptions that point at them: the Frictionless data package and the
DCAT catalogue (JSON-LD) a national open-data portal harvests."""

import csv
import datetime
import io
import json
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.urls import reverse
from django.utils.text import slugify

from association.spreadsheets import defuse_formula
from opendata.datasets import DATASETS
from opendata.dates import dataset_dates
from opendata.tables import Dataset, Filters, absolute

# The licences an instance may choose (OPEN_DATA_LICENCE), as the data package and DCAT name
# them.
LICENCES = {
    "etalab-2.0": {
        "name": "etalab-2.0",
        "title": "Licence Ouverte / Open Licence version 2.0",
        "path": "https://www.etalab.gouv.fr/licence-ouverte-open-licence/",
    },
    "odbl-1.0": {
        "name": "ODbL-1.0",
        "title": "Open Data Commons Open Database License 1.0",
        "path": "https://opendatacommons.org/licenses/odbl/1-0/",
    },
    "cc-by-4.0": {
        "name": "CC-BY-4.0",
        "title": "Creative Commons Attribution 4.0",
        "path": "https://creativecommons.org/licenses/by/4.0/",
    },
}


def licence() -> dict:
    return LICENCES[settings.OPEN_DATA_LICENCE]


def csv_value(value) -> str:
    """A cell as Table Schema reads it: ISO dates and times, « true »/« false », a dot in
    decimals, empty for nothing; a text a spreadsheet could run as a formula starts with a
    quote, as in every export of the portal."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, str):
        return defuse_formula(value)
    return str(value)


def json_value(value):
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M:%S")
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def json_row(row: dict) -> dict:
    return {name: json_value(value) for name, value in row.items()}


def csv_lines(dataset: Dataset, filters: Filters | None = None) -> Iterator[str]:
    """The header, then one line per row, each written as soon as its row is read."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    names = [column.name for column in dataset.columns]

    def line(cells: Iterable) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(cells)
        return buffer.getvalue()

    yield line(names)
    for row in dataset.rows(filters):
        yield line(csv_value(row[name]) for name in names)


def json_chunks(dataset: Dataset, filters: Filters | None = None) -> Iterator[str]:
    """A JSON array of objects, written row by row."""
    yield "["
    separator = "\n"
    for row in dataset.rows(filters):
        yield separator + json.dumps(json_row(row), ensure_ascii=False)
        separator = ",\n"
    yield "\n]\n"


def package_name(identity) -> str:
    return slugify(identity.short_name or identity.name) or "ptce"


def file_url(dataset: Dataset, extension: str) -> str:
    return absolute(reverse(f"opendata:{dataset.name}_{extension}"))


def data_package(identity) -> dict:
    """The Frictionless (Tabular) Data Package: each resource's CSV with its Table Schema."""
    publisher = {"title": identity.name, "role": "publisher"}
    if identity.website:
        publisher["path"] = identity.website
    if identity.email:
        publisher["email"] = identity.email
    # Each resource's last change, the package's the newest of them (opendata/dates.py).
    dates = dataset_dates()
    return {
        "profile": "tabular-data-package",
        "name": package_name(identity),
        "title": f"Données ouvertes — {identity.name}",
        "description": (
            f"L'annuaire, les groupes de travail, l'agenda, les projets et les chiffres "
            f"annuels de {identity.name}, tels que son site les publie."
        ),
        "homepage": absolute(reverse("opendata:index")),
        "licenses": [licence()],
        "contributors": [publisher],
        "created": dates.created.isoformat(),
        "lastModified": dates.modified.isoformat(),
        "keywords": ["PTCE", "économie sociale et solidaire", "ESS"],
        "resources": [
            {
                "name": dataset.name,
                "title": dataset.title,
                "description": dataset.description,
                "path": file_url(dataset, "csv"),
                "profile": "tabular-data-resource",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": dataset.table_schema(),
                "lastModified": dates.by_dataset[dataset.name].isoformat(),
            }
            for dataset in DATASETS
        ],
    }


DCAT_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "dct:modified": {"@type": "xsd:dateTime"},
    "dct:issued": {"@type": "xsd:dateTime"},
    "dcat:downloadURL": {"@type": "@id"},
    "dcat:accessURL": {"@type": "@id"},
    "dcat:landingPage": {"@type": "@id"},
    "dct:license": {"@type": "@id"},
    "dct:conformsTo": {"@type": "@id"},
    "dct:language": {"@type": "@id"},
}
# French, as the EU's authority table names it (DCAT-AP, which data.gouv.fr reads, wants a
# resource here, not the bare code « fr »).
FRENCH = "http://publications.europa.eu/resource/authority/language/FRA"


def dcat_catalogue(identity) -> dict:
    """The DCAT catalogue, in JSON-LD: a national portal (data.gouv.fr harvests DCAT) finds
    each dataset with its distributions, licence, publisher and last modification."""
    dates = dataset_dates()
    home = absolute(reverse("opendata:index"))
    publisher = {"@type": "foaf:Organization", "foaf:name": identity.name}
    if identity.website:
        publisher["foaf:homepage"] = identity.website
    licence_url = licence()["path"]

    def distribution(dataset, extension, media_type, title):
        return {
            "@type": "dcat:Distribution",
            "dct:title": f"{dataset.title} ({title})",
            "dcat:downloadURL": file_url(dataset, extension),
            "dcat:accessURL": file_url(dataset, extension),
            "dcat:mediaType": media_type,
            "dct:format": extension.upper(),
            "dct:license": licence_url,
        }

    return {
        "@context": DCAT_CONTEXT,
        "@id": absolute(reverse("opendata:catalogue")),
        "@type": "dcat:Catalog",
        "dct:title": f"Données ouvertes — {identity.name}",
        "dct:description": f"Les jeux de données publiés par {identity.name}.",
        "dct:publisher": publisher,
        "dct:license": licence_url,
        "dct:issued": dates.created.isoformat(),
        "dct:modified": dates.modified.isoformat(),
        "dct:language": FRENCH,
        "foaf:homepage": home,
        "dcat:dataset": [
            {
                "@id": f"{home}#{dataset.name}",
                "@type": "dcat:Dataset",
                "dct:identifier": f"{package_name(identity)}/{dataset.name}",
                "dct:title": dataset.title,
                "dct:description": dataset.description,
                "dct:publisher": publisher,
                "dct:license": licence_url,
                "dct:modified": dates.by_dataset[dataset.name].isoformat(),
                "dct:language": FRENCH,
                "dcat:landingPage": f"{home}#{dataset.name}",
                "dct:conformsTo": absolute(reverse("opendata:datapackage")),
                "dcat:distribution": [
                    distribution(dataset, "csv", "text/csv", "CSV"),
                    distribution(dataset, "json", "application/json", "JSON"),
                ],
            }
            for dataset in DATASETS
        ],
    }
