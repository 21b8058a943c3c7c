"""The read-only JSON API over the datasets, and its OpenAPI description.

Plain Django views rather than Django REST framework or django-ninja: the API has no writes,
no authentication and no serializer to keep beside a model, only the datasets' rows
(opendata/datasets.py) that the CSV, the JSON files and the data package already use; and the
OpenAPI description is generated from the same column definitions as the Table Schemas, so the
two cannot drift. A framework would bring a second description of each column to keep in step.

Each dataset: /donnees/api/v1/<jeu>/ (pages of `PAGE_SIZE`, filters `groupe`, `periode`,
`type` where they apply) and /donnees/api/v1/<jeu>/<identifiant>/."""

import re

from django.core.paginator import EmptyPage, Paginator
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import urlencode

from opendata import exports
from opendata.datasets import DATASETS
from opendata.http import open_data
from opendata.tables import Dataset, Filters, absolute

PAGE_SIZE = 100
PERIOD = re.compile(r"(\d{4})(?:-(\d{2}))?")
SLUG = re.compile(r"[-a-zA-Z0-9_]{1,200}")
FILTERS = {
    "groupe": "Identifiant d'un groupe de travail (voir le jeu « groupes »).",
    "periode": "Une année (« 2025 ») ou un mois (« 2025-09 »).",
    "type": "Un code de type (voir l'énumération de la colonne « type »).",
}


def _answer(document: dict, status: int = 200) -> JsonResponse:
    return JsonResponse(document, status=status, json_dumps_params={"ensure_ascii": False})


def _error(message: str, status: int) -> JsonResponse:
    return _answer({"erreur": message}, status=status)


class FilterError(ValueError):
    pass


def parse_filters(dataset: Dataset, query) -> Filters:
    """The filters given, checked: a French message for one that is wrong or does not apply."""
    values = {}
    for name in FILTERS:
        value = query.get(name, "").strip()
        if not value:
            continue
        if name not in dataset.filters:
            raise FilterError(f"Le jeu « {dataset.name} » ne se filtre pas par « {name} ».")
        values[name] = value
    filters = {}
    if "groupe" in values:
        if not SLUG.fullmatch(values["groupe"]):
            raise FilterError("« groupe » attend l'identifiant d'un groupe de travail.")
        filters["group"] = values["groupe"]
    if "periode" in values:
        found = PERIOD.fullmatch(values["periode"])
        if not found or (found[2] and not 1 <= int(found[2]) <= 12):
            raise FilterError("« periode » attend une année (2025) ou un mois (2025-09).")
        filters["year"] = int(found[1])
        filters["month"] = int(found[2]) if found[2] else None
    if "type" in values:
        kinds = next(c.enum for c in dataset.columns if c.name == "type")
        if values["type"] not in kinds:
            raise FilterError(f"« type » attend l'un de : {', '.join(kinds)}.")
        filters["kind"] = values["type"]
    return Filters(**filters)


def _page_link(request, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return absolute(request.path) + "?" + urlencode(sorted(query.items()))


def _list(dataset: Dataset):
    def listing(request):
        try:
            filters = parse_filters(dataset, request.GET)
        except FilterError as error:
            return _error(str(error), 400)
        number = request.GET.get("page", "1")
        if not (number.isascii() and number.isdigit() and len(number) <= 6 and int(number)):
            return _error("« page » attend un numéro de page (1, 2…).", 400)
        found = dataset.queryset(filters)
        paginator = Paginator(found, PAGE_SIZE, allow_empty_first_page=True)
        try:
            page = paginator.page(int(number))
        except EmptyPage:
            pages = paginator.num_pages
            return _error(
                "Il n'y a qu'une page." if pages == 1 else f"Il n'y a que {pages} pages.", 404
            )
        following = _page_link(request, page.number + 1) if page.has_next() else None
        previous = _page_link(request, page.number - 1) if page.has_previous() else None
        response = _answer(
            {
                "jeu": dataset.name,
                "licence": exports.licence()["name"],
                "total": paginator.count,
                "page": page.number,
                "pages": paginator.num_pages,
                "suivante": following,
                "precedente": previous,
                "resultats": [exports.json_row(dataset.row(item)) for item in page],
            }
        )
        links = [f'<{url}>; rel="{rel}"' for url, rel in ((following, "next"), (previous, "prev"))]
        if following or previous:
            response["Link"] = ", ".join(link for link in links if "<None>" not in link)
        return response

    listing.__name__ = listing.__qualname__ = f"api_{dataset.name}"
    return open_data(listing)


def _detail(dataset: Dataset):
    def detail(request, identifier: str):
        row = dataset.find(identifier)
        if row is None:
            return _error(f"Aucun enregistrement « {identifier} » dans « {dataset.name} ».", 404)
        return _answer(exports.json_row(row))

    detail.__name__ = detail.__qualname__ = f"api_{dataset.name}_detail"
    return open_data(detail)


LISTS = {dataset.name: _list(dataset) for dataset in DATASETS}
DETAILS = {dataset.name: _detail(dataset) for dataset in DATASETS}


@open_data
def api_index(request):
    return _answer(
        {
            "description": absolute(reverse("opendata:openapi")),
            "jeux": [
                {
                    "nom": dataset.name,
                    "titre": dataset.title,
                    "adresse": absolute(reverse(f"opendata:api_{dataset.name}")),
                }
                for dataset in DATASETS
            ],
        }
    )


# --- OpenAPI --------------------------------------------------------------------------------

JSON_SCHEMA_TYPES = {
    "string": {"type": "string"},
    "integer": {"type": "integer"},
    "number": {"type": "number"},
    "boolean": {"type": "boolean"},
    "date": {"type": "string", "format": "date"},
    "time": {"type": "string", "pattern": "^\\d{2}:\\d{2}:\\d{2}$"},
}


def _row_schema(dataset: Dataset) -> dict:
    properties = {}
    for column in dataset.columns:
        schema = {**JSON_SCHEMA_TYPES[column.type], "description": column.description}
        if column.enum:
            schema["enum"] = list(column.enum)
        if not column.required:
            schema = {"anyOf": [schema, {"type": "null"}], "description": column.description}
        properties[column.name] = schema
    return {
        "type": "object",
        "title": dataset.title,
        "properties": properties,
        "required": [column.name for column in dataset.columns],
        "additionalProperties": False,
    }


def _parameter(name: str, description: str, schema: dict, where: str = "query") -> dict:
    return {"name": name, "in": where, "required": where == "path", "description": description,
            "schema": schema}  # fmt: skip


ERROR = {"$ref": "#/components/schemas/Erreur"}


def openapi_document() -> dict:
    """OpenAPI 3.1, generated from the datasets' columns (the Table Schemas' source too)."""
    paths = {}
    schemas = {
        "Erreur": {
            "type": "object",
            "properties": {"erreur": {"type": "string"}},
            "required": ["erreur"],
        }
    }
    error_body = {"application/json": {"schema": ERROR}}
    errors = {
        "400": {"description": "Filtre invalide", "content": error_body},
        "404": {"description": "Introuvable", "content": error_body},
        "429": {"description": "Trop de requêtes (voir Retry-After)", "content": error_body},
    }
    for dataset in DATASETS:
        name = dataset.name.capitalize()
        schemas[name] = _row_schema(dataset)
        reference = {"$ref": f"#/components/schemas/{name}"}
        page = {"type": "integer", "minimum": 1}
        parameters = [_parameter("page", "Numéro de page (à partir de 1).", page)]
        parameters += [
            _parameter(f, FILTERS[f], {"type": "string"}) for f in dataset.filters if f in FILTERS
        ]
        base = reverse(f"opendata:api_{dataset.name}")
        paths[base] = {
            "get": {
                "operationId": f"lister_{dataset.name}",
                "summary": dataset.title,
                "description": dataset.description,
                "parameters": parameters,
                "responses": {
                    "200": {
                        "description": f"Une page de « {dataset.name} »",
                        "headers": {"ETag": {"schema": {"type": "string"}}},
                        "content": {"application/json": {"schema": _page_schema(reference)}},
                    },
                    "304": {"description": "Inchangé depuis l'ETag donné (If-None-Match)"},
                    **errors,
                },
            }
        }
        paths[base + "{identifiant}/"] = {
            "get": {
                "operationId": f"lire_{dataset.name}",
                "summary": f"{dataset.title} : un enregistrement",
                "parameters": [
                    _parameter("identifiant", "Identifiant stable.", {"type": "string"}, "path")
                ],
                "responses": {
                    "200": {
                        "description": "L'enregistrement",
                        "content": {"application/json": {"schema": reference}},
                    },
                    "304": {"description": "Inchangé depuis l'ETag donné (If-None-Match)"},
                    "404": errors["404"],
                    "429": errors["429"],
                },
            }
        }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "API des données ouvertes",
            "version": "1",
            "description": "Lecture seule. Pages de 100 enregistrements, en-tête Link, ETag "
            "(réponse 304 à If-None-Match), CORS ouvert pour GET, limite de requêtes par "
            "adresse (429 et Retry-After).",
            "license": {"name": exports.licence()["title"], "url": exports.licence()["path"]},
        },
        "servers": [{"url": absolute("")}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def _page_schema(reference: dict) -> dict:
    nullable_link = {"anyOf": [{"type": "string", "format": "uri"}, {"type": "null"}]}
    return {
        "type": "object",
        "properties": {
            "jeu": {"type": "string"},
            "licence": {"type": "string"},
            "total": {"type": "integer"},
            "page": {"type": "integer"},
            "pages": {"type": "integer"},
            "suivante": nullable_link,
            "precedente": nullable_link,
            "resultats": {"type": "array", "items": reference},
        },
        "required": ["jeu", "total", "page", "pages", "resultats"],
    }


@open_data
def openapi(request):
    return JsonResponse(openapi_document(), json_dumps_params={"ensure_ascii": False})
