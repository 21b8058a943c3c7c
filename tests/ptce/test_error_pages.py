"""The error pages a person meets: in French, in the site's look, saying what to do next."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.test import Client, RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied

from tests.conftest import text_of
from tests.factories import JoinRequestFactory

pytestmark = pytest.mark.django_db


def _no_english(page: str) -> None:
    for word in ("Forbidden", "Bad Request", "Not Found", "Django"):
        assert word not in page


@pytest.mark.parametrize("page", ["sign_in_sheet", "join_request"])
def test_a_lead_refused_a_page_gets_a_french_403_leading_back_to_their_dashboard(
    lead_client, site_identity, two_groups, page
):
    url = {
        "sign_in_sheet": reverse(
            "admin:groups_meeting_sign_in_sheet", args=[two_groups.upcoming_b.pk]
        ),
        "join_request": reverse(
            "admin:joining_joinrequest_change", args=[JoinRequestFactory().pk]
        ),
    }[page]
    response = lead_client.get(url)
    assert response.status_code == 403
    html = text_of(response)
    _no_english(html)
    assert "<title>Accès refusé — PTCE Hénin-Carvin</title>" in html
    assert "Vous n'avez pas accès à cette page" in html
    assert f'<a href="{reverse("admin:index")}">tableau de bord du back-office</a>' in html
    assert "mailto:contact@ptce-hc.example" in html
    assert 'class="site-header"' in html  # the site's look, header and footer
    assert site_identity.name in html


def test_a_visitor_refused_a_page_is_pointed_to_their_space_and_the_home(site_identity):
    request = RequestFactory().get("/")
    request.user = AnonymousUser()
    response = permission_denied(request, PermissionDenied("Not allowed"))
    html = response.content.decode()
    assert response.status_code == 403
    assert f'href="{reverse("space:home")}">Mon espace</a>' in html
    assert f'href="{reverse("site:home")}">l\'accueil</a>' in html
    assert "Not allowed" not in html


def test_an_unknown_admin_address_gets_the_french_404(client, site_identity, coordinator):
    client.force_login(coordinator)
    response = client.get(reverse("admin:index") + "pas-une-page/")
    assert response.status_code == 404
    html = text_of(response)
    _no_english(html)
    assert "Cette page est introuvable" in html


@pytest.mark.logged_errors  # Django logs a request for an unknown host as a security error
def test_a_bad_request_gets_a_french_400_that_needs_nothing_from_the_request(site_identity):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="pirate.example")
    assert response.status_code == 400
    html = text_of(response)
    _no_english(html)
    assert "Le site n'a pas pu comprendre votre demande" in html
    assert 'href="/">l\'accueil</a>' in html


def test_an_expired_form_gets_a_french_403_that_says_to_reload_and_send_again(site_identity):
    response = Client(enforce_csrf_checks=True).post(reverse("joining:join"), {})
    assert response.status_code == 403
    html = text_of(response)
    _no_english(html)
    assert "Ce formulaire a expiré" in html
    assert "rechargez-la, puis envoyez à nouveau le formulaire" in html
