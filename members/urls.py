from django.urls import path

from members.views import join

app_name = "members"

urlpatterns = [
    path("adherer/", join.JoinView.as_view(), name="join"),
    path("adherer/merci/", join.JoinDoneView.as_view(), name="join_done"),
    path("confidentialite/", join.PrivacyView.as_view(), name="privacy"),
]
