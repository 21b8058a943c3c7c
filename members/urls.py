from django.urls import path

from members.views import directory, join

app_name = "members"

urlpatterns = [
    path("adherer/", join.JoinView.as_view(), name="join"),
    path("adherer/merci/", join.JoinDoneView.as_view(), name="join_done"),
    path("confidentialite/", join.PrivacyView.as_view(), name="privacy"),
    path("structures/", directory.StructureListView.as_view(), name="structure_list"),
    path(
        "structures/<slug:slug>/",
        directory.StructureDetailView.as_view(),
        name="structure_detail",
    ),
]
