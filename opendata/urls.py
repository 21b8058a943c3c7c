from django.urls import path

from opendata import api, national, views
from opendata.datasets import DATASETS

app_name = "opendata"

urlpatterns = [
    path("", views.OpenDataView.as_view(), name="index"),
    path("datapackage.json", views.datapackage, name="datapackage"),
    path("catalogue.jsonld", views.catalogue, name="catalogue"),
    path("reseau-national/", national.NationalView.as_view(), name="national"),
    path("api/v1/", api.api_index, name="api_index"),
    path("api/v1/openapi.json", api.openapi, name="openapi"),
]
# One address per dataset and format (stable, and listed by the site's address crawls).
for dataset in DATASETS:
    urlpatterns += [
        path(f"{dataset.name}.csv", views.DOWNLOADS[dataset.name, "csv"],
             name=f"{dataset.name}_csv"),
        path(f"{dataset.name}.json", views.DOWNLOADS[dataset.name, "json"],
             name=f"{dataset.name}_json"),
        path(f"api/v1/{dataset.name}/", api.LISTS[dataset.name], name=f"api_{dataset.name}"),
        path(f"api/v1/{dataset.name}/<str:identifier>/", api.DETAILS[dataset.name],
             name=f"api_{dataset.name}_detail"),
    ]  # fmt: skip
