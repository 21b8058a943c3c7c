from django.conf import settings
from django.conf.urls.static import static as serve_uploads
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

if settings.DEBUG:
    # Uploaded files (the identity's logo) in development; a web server serves them otherwise.
    urlpatterns += serve_uploads(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
