"""The join-us form in its every state (empty, with errors, confirmed, too many requests) in a
real browser: usable with a screen reader (axe-core), on a 360 px phone, valid HTML, no console
error nor CSP violation. The empty form and the privacy page are also in test_public_site.py,
the keyboard alone in test_journeys.py."""

import pytest
from django.urls import reverse

from joining.models import JoinRequest
from tests.browser.conftest import (
    DESKTOP,
    PHONE,
    assert_accessible,
    assert_fits,
    validate_html,
)
from tests.factories import WorkingGroupFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def live_site(live_server, settings):
    from association.models import SiteIdentity

    settings.JOIN_MIN_FILL_SECONDS = 0  # a robot's speed is tested elsewhere; no waiting here
    identity = SiteIdentity.load()
    identity.name = "PTCE Hénin-Carvin"
    identity.short_name = "PTCE Hénin-Carvin"
    identity.email = "contact@ptce-hc.example"
    identity.save()
    WorkingGroupFactory(name="Mobilité sociale, solidaire et inclusive")
    WorkingGroupFactory(name="Alimentation durable et consommation responsable")
    return live_server.url


def assert_fine_on_a_phone(page, context: str) -> None:
    page.set_viewport_size(PHONE)
    assert_accessible(page, f"{context} (téléphone)")
    assert_fits(page, context)
    page.set_viewport_size(DESKTOP)


def test_join_form_errors_then_success_accessible_and_valid(live_site, page, tmp_path):
    documents = {}
    page.goto(live_site + reverse("joining:join"))

    # The honeypot is out of sight and out of the keyboard's way.
    assert not page.locator("#id_website").is_visible() or (
        page.locator("#id_website").bounding_box()["x"] < 0
    )
    assert page.locator("#id_website").get_attribute("tabindex") == "-1"

    page.get_by_label("Une structure (association, entreprise, collectivité…)").check()
    page.get_by_role("main").get_by_label("Adresse e-mail").fill("pas-une-adresse")
    # The served bytes go to the HTML checker, not the browser's repaired DOM.
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Envoyer ma demande").click()
    assert page.get_by_text("Indiquez votre prénom.").is_visible()
    assert page.get_by_text("Saisissez une adresse e-mail valide").is_visible()
    email = page.get_by_role("main").get_by_label("Adresse e-mail")
    assert email.input_value() == "pas-une-adresse"
    assert_accessible(page, "formulaire avec erreurs")
    assert_fine_on_a_phone(page, "formulaire avec erreurs")
    documents["erreurs"] = navigation.value.text()

    page.get_by_label("Devenir membre de l'association").check()
    page.get_by_label("Alimentation durable et consommation responsable").check()
    page.get_by_label("Prénom").fill("Serge")
    page.locator("#id_last_name").fill("Roussel")
    page.get_by_role("main").get_by_label("Adresse e-mail").fill("s.roussel@example.org")
    page.get_by_label("Nom de la structure").fill("Les Compagnons Bâtisseurs")
    page.get_by_label("Type de structure").select_option("association")
    page.get_by_label("J'accepte que l'association").check()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Envoyer ma demande").click()

    assert page.get_by_role("heading", name="Merci Serge !").is_visible()
    assert_accessible(page, "confirmation")
    assert_fine_on_a_phone(page, "confirmation")
    documents["confirmation"] = navigation.value.text()
    join_request = JoinRequest.objects.get()
    assert join_request.structure_name == "Les Compagnons Bâtisseurs"
    assert [g.name for g in join_request.groups.all()] == [
        "Alimentation durable et consommation responsable"
    ]

    assert validate_html(documents, tmp_path) == []


def test_structure_fields_only_for_a_structure(live_site, page):
    page.set_viewport_size(PHONE)
    page.goto(live_site + reverse("joining:join"))

    assert not page.get_by_label("Nom de la structure").is_visible()
    page.get_by_label("Une structure (association, entreprise, collectivité…)").check()
    assert page.get_by_label("Nom de la structure").is_visible()
    assert_accessible(page, "mobile")


def test_rate_limited_page_is_accessible_and_valid(live_site, context, settings, tmp_path):
    # Not the `page` fixture: the browser rightly logs the 429 status as a console error.
    settings.JOIN_RATE_LIMIT = 0
    page = context.new_page()
    page.goto(live_site + reverse("joining:join"))
    page.get_by_label("Devenir membre de l'association").check()
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Envoyer ma demande").click()

    assert navigation.value.status == 429
    assert page.get_by_role("heading", name="Merci de patienter un peu").is_visible()
    assert_accessible(page, "429")
    assert_fine_on_a_phone(page, "429")
    assert validate_html({"429": navigation.value.text()}, tmp_path) == []
    assert JoinRequest.objects.count() == 0
