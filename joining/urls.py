from django.urls import path

from joining import views

app_name = "joining"

urlpatterns = [
    path("adherer/", views.JoinView.as_view(), name="join"),
    path("adherer/merci/", views.JoinDoneView.as_view(), name="join_done"),
]
