from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("confidentialite/", views.PrivacyView.as_view(), name="privacy"),
]
