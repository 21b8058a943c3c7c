from django.urls import path

from ptce import views

app_name = "site"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
]
