from django.contrib.sitemaps.views import sitemap
from django.urls import path

from association.page_cache import cached_page, page_number
from ptce import directory, views
from ptce.sitemaps import SITEMAPS

app_name = "site"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("a-propos/", views.AboutView.as_view(), name="about"),
    path("mentions-legales/", views.LegalNoticeView.as_view(), name="legal_notice"),
    path("agenda/", views.AgendaView.as_view(), name="agenda"),
    path("agenda/archives/", views.AgendaView.as_view(past=True), name="agenda_archive"),
    path("agenda/calendrier.ics", views.calendar_feed, name="calendar_feed"),
    path("structures/", directory.StructureListView.as_view(), name="structure_list"),
    path(
        "structures/<slug:slug>/",
        directory.StructureDetailView.as_view(),
        name="structure_detail",
    ),
    path("robots.txt", views.robots_txt, name="robots_txt"),
    path(
        "sitemap.xml", cached_page(p=page_number)(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"
    ),
    path("theme.css", views.theme_css, name="theme_css"),
]
