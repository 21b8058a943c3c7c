from django.conf import settings
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.urls import include, path

from association.uploads import serve_upload
from ptce.health import health


def favicon(request):
    """Browsers ask for /favicon.ico on every page, the admin's included."""
    return redirect(static("img/favicon.svg"), permanent=True)


urlpatterns = [
    # A new lead chooses their password here (the link mailed with their account); before the
    # admin's own patterns, which would take the address for a model's.
    path(
        f"{settings.ADMIN_URL}mot-de-passe/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        f"{settings.ADMIN_URL}mot-de-passe/enregistre/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("favicon.ico", favicon),
    # Outside every cached namespace: polled by the proxy, the container and monitoring.
    path("sante/", health, name="health"),
    # Uploaded files (the identity's logo), in every mode: the view adds the headers that keep
    # them inert, which a plain web server would not.
    path(f"{settings.MEDIA_URL.strip('/')}/<path:path>", serve_upload, name="upload"),
    path("", include("ptce.site_urls")),
    path("", include("members.urls")),
    path("", include("joining.urls")),
    path("", include("scic.urls")),
    path("", include("report.urls")),
    path("groupes/", include("groups.urls")),
    path("evenements/", include("events.urls")),
    path("mon-espace/", include("space.urls")),
    path("donnees/", include("opendata.urls")),
    path("", include("news.urls")),
]

if settings.BENCH_BARE_VIEW:
    # `make bench` compares every page with a view that does nothing, through the same
    # middleware: the ratio says how close a page is to what the stack allows.
    urlpatterns.append(path("__bench__/bare/", lambda request: HttpResponse("ok"), name="bare"))

# A French 503 page when the database cannot be reached, the 500 page otherwise.
handler500 = "ptce.errors.server_error"
# The 400 page without the request's context processors (they read the database).
handler400 = "ptce.errors.bad_request"
