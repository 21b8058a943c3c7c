from django.conf import settings
from django.conf.urls.static import static as serve_uploads
from django.contrib import admin
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("img/favicon.svg"), permanent=True)


admin.site.site_header = "Administration du portail"
admin.site.site_title = "Portail PTCE"
admin.site.index_title = "Tableau de bord"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("favicon.ico", favicon),
    path("", include("ptce.site_urls")),
    path("", include("members.urls")),
    path("", include("joining.urls")),
    path("groupes/", include("groups.urls")),
    path("evenements/", include("events.urls")),
]

if settings.DEBUG:
    # Uploaded files (the identity's logo) in development; a web server serves them otherwise.
    urlpatterns += serve_uploads(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
