"""/donnees/: the list of datasets, their CSV and JSON files (streamed), the data package and
the DCAT catalogue."""

from django.http import JsonResponse, StreamingHttpResponse
from django.views.generic import TemplateView

from association.identity import get_site_identity
from association.page_cache import cached_page
from opendata import exports
from opendata.datasets import DATASETS
from opendata.dates import dataset_dates
from opendata.http import open_data
from opendata.tables import Dataset

JSON_OPTIONS = {"ensure_ascii": False, "indent": 2}


@cached_page()
class OpenDataView(TemplateView):
    """What is published, each dataset's columns and what they mean, the licence, and where
    the files, the package, the catalogue and the API are."""

    template_name = "opendata/index.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            datasets=DATASETS,
            licence=exports.licence(),
            last_modified=dataset_dates().modified,
            **kwargs,
        )


def _download(dataset: Dataset, extension: str):
    def download(request):
        if extension == "csv":
            chunks, content_type = exports.csv_lines(dataset), "text/csv; charset=utf-8"
        else:
            chunks, content_type = exports.json_chunks(dataset), "application/json"
        response = StreamingHttpResponse(chunks, content_type=content_type)
        response["Content-Disposition"] = f'inline; filename="{dataset.name}.{extension}"'
        return response

    download.__name__ = f"{dataset.name}_{extension}"
    download.__qualname__ = download.__name__
    download.__doc__ = f"The dataset « {dataset.name} » as {extension.upper()}, streamed."
    return open_data(download)


DOWNLOADS = {
    (dataset.name, extension): _download(dataset, extension)
    for dataset in DATASETS
    for extension in ("csv", "json")
}


def _json(document: dict, content_type: str) -> JsonResponse:
    return JsonResponse(document, content_type=content_type, json_dumps_params=JSON_OPTIONS)


@open_data
def datapackage(request):
    return _json(exports.data_package(get_site_identity(request)), "application/json")


@open_data
def catalogue(request):
    return _json(exports.dcat_catalogue(get_site_identity(request)), "application/ld+json")
