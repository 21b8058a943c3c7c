"""The back-office carries the association's name, from its identity, on every screen a
coordinator or a new lead meets: never « Django »."""

import re

import pytest
from django.urls import reverse

from groups.services.leads import password_link
from tests.conftest import text_of
from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]

TITLE = "PTCE Hénin-Carvin — administration"


def title_and_heading(page: str) -> tuple[str, str]:
    (title,) = re.findall(r"<title>(.*?)</title>", page, re.S)
    (heading,) = re.findall(r'<div id="site-name"><a [^>]*>(.*?)</a>', page, re.S)
    return title.strip(), heading.strip()


def test_a_new_lead_choosing_a_password_sees_the_association_not_django(client, site_identity):
    lead = UserFactory(username="nouvelle-cheffe", is_staff=True)
    response = client.get(password_link(lead, site_url=""), follow=True)
    page = text_of(response)
    assert response.status_code == 200
    assert "Django" not in page
    assert title_and_heading(page) == (f"Saisissez un nouveau mot de passe | {TITLE}", TITLE)
    assert "Modifier mon mot de passe" in page  # the button


@pytest.mark.parametrize(
    "name", ["admin:login", "admin:password_change", "admin:index", "admin:logout"]
)
def test_login_password_and_home_pages_carry_the_identity(client, site_identity, name):
    if name != "admin:login":
        client.force_login(UserFactory(username="coordination", is_staff=True))
    url = reverse(name)
    response = client.post(url) if name == "admin:logout" else client.get(url)
    page = text_of(response)
    assert "Django" not in page
    title, heading = title_and_heading(page)
    assert title.endswith(f"| {TITLE}")
    assert heading == TITLE


def test_renaming_the_association_renames_the_back_office(client, site_identity):
    site_identity.short_name = "PTCE Val-de-Lys"
    site_identity.save()
    page = text_of(client.get(reverse("admin:login")))
    assert title_and_heading(page) == (
        "Connexion | PTCE Val-de-Lys — administration",
        "PTCE Val-de-Lys — administration",
    )


@pytest.mark.parametrize("name", ["admin:login", "password_reset_complete"])
def test_the_one_time_code_login_and_the_password_set_page_carry_it_too(
    client, settings, site_identity, name
):
    settings.ADMIN_REQUIRE_2FA = True
    page = text_of(client.get(reverse(name)))
    assert "Django" not in page
    assert title_and_heading(page)[1] == TITLE


def test_a_used_password_link_says_where_to_log_in_and_whom_to_ask(client, site_identity):
    """Django's page asks to « renouveler votre demande », with no form to do it: a lead's link
    comes from the coordination, who sends a new one."""
    lead = UserFactory(username="nouvelle-cheffe", is_staff=True)
    link = password_link(lead, site_url="")
    lead.set_password("un mot de passe choisi")
    lead.save()  # the link has served: its token no longer matches
    page = text_of(client.get(link, follow=True))
    assert "renouveler votre demande" not in page
    assert "Ce lien n'est plus valable" in page
    assert f'<a href="{reverse("admin:login")}">Connectez-vous</a>' in page
    assert f'<a href="mailto:{site_identity.email}">' in page
    assert "Django" not in page
