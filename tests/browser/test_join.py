"""The join-us form and the privacy page in a real browser: usable with the keyboard and a
screen reader (axe-core), valid HTML, no console error nor CSP violation."""

import pytest

from members.models import JoinRequest
from tests.browser.conftest import PHONE, assert_accessible, validate_html
from tests.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_site(live_server, settings):
    from ptce.models import SiteIdentity

    settings.JOIN_MIN_FILL_SECONDS = 0  # a robot's speed is tested elsewhere; no waiting here
    identity = SiteIdentity.load()
    identity.name = "PTCE Hénin-Carvin"
    identity.short_name = "PTCE Hénin-Carvin"
    identity.email = "contact@ptce-hc.example"
    identity.save()
    WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive")
    WorkingGroupFactory(name="Alimentation durable et consommation responsable")
    return live_server.url


def test_join_form_errors_then_success_accessible_and_valid(live_site, page, tmp_path):
    documents = {}
    page.goto(f"{live_site}/adherer/")
    assert_accessible(page, "formulaire vide")
    documents["formulaire"] = page.content()

    # The honeypot is out of sight and out of the keyboard's way.
    assert not page.locator("#id_website").is_visible() or (
        page.locator("#id_website").bounding_box()["x"] < 0
    )
    assert page.locator("#id_website").get_attribute("tabindex") == "-1"

    page.get_by_label("Une structure (association, entreprise, collectivité…)").check()
    page.get_by_label("Adresse e-mail").fill("pas-une-adresse")
    page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.get_by_text("Indiquez votre prénom.").is_visible()
    assert page.get_by_text("Saisissez une adresse e-mail valide").is_visible()
    assert page.get_by_label("Adresse e-mail").input_value() == "pas-une-adresse"
    assert_accessible(page, "formulaire avec erreurs")
    documents["erreurs"] = page.content()

    page.get_by_label("Devenir membre de l'association").check()
    page.get_by_label("Alimentation durable et consommation responsable").check()
    page.get_by_label("Prénom").fill("Serge")
    page.locator("#id_last_name").fill("Roussel")
    page.get_by_label("Adresse e-mail").fill("s.roussel@example.org")
    page.get_by_label("Nom de la structure").fill("Les Compagnons Bâtisseurs")
    page.get_by_label("Type de structure").select_option("association")
    page.get_by_label("J'accepte que l'association").check()
    page.get_by_role("button", name="Envoyer ma demande").click()

    assert page.get_by_role("heading", name="Merci Serge !").is_visible()
    assert_accessible(page, "confirmation")
    documents["confirmation"] = page.content()
    join_request = JoinRequest.objects.get()
    assert join_request.structure_name == "Les Compagnons Bâtisseurs"
    assert [g.name for g in join_request.groups.all()] == [
        "Alimentation durable et consommation responsable"
    ]

    page.goto(f"{live_site}/confidentialite/")
    assert_accessible(page, "confidentialité")
    documents["confidentialité"] = page.content()

    assert validate_html(documents, tmp_path) == []


def test_structure_fields_only_for_a_structure(live_site, page):
    page.set_viewport_size(PHONE)
    page.goto(f"{live_site}/adherer/")

    assert not page.get_by_label("Nom de la structure").is_visible()
    page.get_by_label("Une structure (association, entreprise, collectivité…)").check()
    assert page.get_by_label("Nom de la structure").is_visible()
    assert_accessible(page, "mobile")


def test_rate_limited_page_is_accessible_and_valid(live_site, context, settings, tmp_path):
    # Not the `page` fixture: the browser rightly logs the 429 status as a console error.
    settings.JOIN_RATE_LIMIT = 0
    page = context.new_page()
    page.goto(f"{live_site}/adherer/")
    page.get_by_label("Devenir membre de l'association").check()
    page.get_by_role("button", name="Envoyer ma demande").click()

    assert page.get_by_role("heading", name="Merci de patienter un peu").is_visible()
    assert_accessible(page, "429")
    assert validate_html({"429": page.content()}, tmp_path) == []
    assert JoinRequest.objects.count() == 0
