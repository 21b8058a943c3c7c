"""Without Sentry, the errors reach someone: they are mailed to ADMINS (an address from the
environment), with the traceback and the path, never the form's contents (issue #26)."""

import logging

import pytest
from django.core import mail
from django.test import Client
from django.urls import path

from ptce.error_reports import AdminMailHandler


def broken(request):
    raise RuntimeError(f"no structure for {request.POST.get('email')}")


class Urls:
    urlpatterns = [path("casse/", broken)]


@pytest.fixture
def failing_site(settings):
    settings.ROOT_URLCONF = Urls
    settings.DEBUG = False
    settings.ADMINS = ["technique@example.org"]
    (handler,) = [
        h for h in logging.getLogger("django").handlers if isinstance(h, AdminMailHandler)
    ]
    handler.last_sent.clear()  # the handler outlives a test, as it outlives a request
    return Client(raise_request_exception=False)


@pytest.mark.logged_errors
def test_an_error_is_mailed_to_the_admins_without_the_forms_contents(db, failing_site):
    form = {"email": "marie.dupont@orange.fr", "telephone": "06 12 34 56 78", "nom": "Dupont"}
    response = failing_site.post("/casse/", form)
    assert response.status_code == 500
    (message,) = mail.outbox
    assert message.to == ["technique@example.org"]
    assert "RuntimeError" in message.body
    assert "POST /casse/" in message.body
    assert "Traceback" in message.body
    for value in ("marie.dupont@orange.fr", "06 12 34 56 78", "Dupont"):
        assert value not in message.body
        assert value not in message.subject


@pytest.mark.logged_errors
def test_the_same_error_is_mailed_once_in_ten_minutes(db, failing_site):
    """A database outage fails every request the same way: one mail, not one per visitor."""
    for _ in range(5):
        failing_site.post("/casse/", {"email": "a@example.org"})
    assert len(mail.outbox) == 1


@pytest.mark.logged_errors
def test_nothing_is_mailed_without_admins(db, failing_site, settings):
    settings.ADMINS = []
    failing_site.post("/casse/", {"email": "a@example.org"})
    assert mail.outbox == []


@pytest.mark.logged_errors
def test_a_mail_server_down_leaves_the_error_page_as_it_was(db, failing_site, smtp_down, capsys):
    response = failing_site.post("/casse/", {"email": "a@example.org"})
    assert response.status_code == 500
    assert "Le site rencontre un problème" in response.content.decode()
    assert "--- Logging error ---" not in capsys.readouterr().err
