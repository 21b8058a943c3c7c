from django.urls import path

from report import views

app_name = "report"

urlpatterns = [
    path("bilan/", views.latest_report, name="latest_report"),
    path("bilan/<int:year>/", views.YearReportView.as_view(), name="report_year"),
    path("bilan/<int:year>/chiffres.csv", views.report_csv, name="report_csv"),
    path("reseau/", views.NetworkView.as_view(), name="network"),
]
