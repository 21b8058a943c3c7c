from django.contrib import admin
from django.urls import include, path

admin.site.site_header = "Administration du portail"
admin.site.site_title = "Portail PTCE"
admin.site.index_title = "Tableau de bord"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ptce.site_urls")),
    path("", include("members.urls")),
    path("groupes/", include("groups.urls")),
    path("evenements/", include("events.urls")),
]
