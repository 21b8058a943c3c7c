"""The error pages that must work when the database does not: a French « service
indisponible » (503) when it cannot be reached, the ordinary 500 page otherwise, and the 400
page (a forged host name, a malformed request)."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseBadRequest, HttpResponseServerError
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

# The database is down or unreachable (stopped, restarting, network): a visitor should retry.
UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


@requires_csrf_token
def server_error(request):
    """handler500. Django calls it while handling the exception, so `sys.exc_info()` names it.
    Both pages are rendered with an empty context: no query, no context processor."""
    error = sys.exc_info()[1]
    if isinstance(error, UNAVAILABLE):
        response = HttpResponse(loader.get_template("503.html").render(), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render())


@requires_csrf_token
def bad_request(request, exception):
    """handler400. Django's own renders with the request, whose context processors read the
    database: this one needs nothing, as the request itself is what could not be trusted."""
    return HttpResponseBadRequest(loader.get_template("400.html").render())
