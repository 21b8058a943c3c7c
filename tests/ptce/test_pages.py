"""Site-wide pages as a visitor sees them: home, about, legal notice, errors, robots, sitemap,
the theme stylesheet, and the layout every page shares."""

import datetime
import re
from pathlib import Path
from xml.etree import ElementTree

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from association.models import SiteIdentity
from events.models import Event
from members.models import Person
from tests.factories import (
    EventFactory,
    MeetingFactory,
    PersonFactory,
    StructureFactory,
    WorkingGroupFactory,
    YearlyFiguresFactory,
)
from tests.public_site import NBSP, TODAY, frozen
from tests.public_site import page_text as text

# --- Layout shared by every page ------------------------------------------------------------


def test_every_page_has_the_skip_link_the_menu_and_the_join_link(client, identity):
    response = client.get(reverse("site:about"))
    html = response.content.decode()
    assert '<a class="skip-link" href="#contenu">Aller au contenu</a>' in html
    assert 'id="contenu"' in html
    for label, name in [
        ("Accueil", "site:home"),
        ("Groupes de travail", "groups:group_list"),
        ("Agenda", "site:agenda"),
        ("Événements", "events:event_list"),
        ("Structures", "site:structure_list"),
        ("À propos", "site:about"),
    ]:
        assert f'href="{reverse(name)}"' in html, label
        assert label in html
    assert f'<a class="button button-join" href="{reverse("joining:join")}">Adhérer</a>' in html
    # The current section is announced to screen readers.
    assert f'<a href="{reverse("site:about")}" aria-current="page">À propos</a>' in html


def test_header_and_footer_come_from_the_site_identity(client, identity):
    html = client.get(reverse("site:home")).content.decode()
    assert "PTCE Val-de-Lys" in html
    assert "Communauté de communes du Val-de-Lys" in html
    assert "3 place du Marché" in html and "Estaires" in html
    assert f'<a href="tel:+33321000102">03{NBSP}21{NBSP}00{NBSP}01{NBSP}02</a>' in html
    assert '<a href="mailto:contact@ptce-lys.example">contact@ptce-lys.example</a>' in html
    for name in ("site:legal_notice", "members:privacy", "events:event_rss"):
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("site:agenda")}#abonnement"' in html


def test_nothing_specific_to_one_territory_is_written_in_templates_or_views():
    """Any PTCE can run the portal: its name, places and people come from the database."""
    base = Path(settings.BASE_DIR)
    files = [
        *base.glob("templates/**/*.html"),
        *base.glob("*/templates/**/*.html"),
        *(base / "static/css").glob("*.css"),
        *base.glob("*/views.py"),
        *base.glob("*/views/*.py"),
        base / "association/calendars.py",
        base / "ptce/agenda.py",
        base / "ptce/directory.py",
    ]
    for path in files:
        content = path.read_text().lower()
        for word in ("hénin", "henin", "carvin", "montigny", "boukhateb", "moglia"):
            assert word not in content, f"{word} written in {path}"


def test_theme_stylesheet_carries_the_database_colours_and_is_linked_with_a_version(
    client, identity
):
    group = WorkingGroupFactory(accent_color="#2e6b30")
    html = client.get(reverse("site:home")).content.decode()
    match = re.search(r'href="(/theme\.css\?v=(\w+))"', html)
    assert match, "the theme stylesheet is linked from every page"
    response = client.get(match.group(1))
    assert response["Content-Type"] == "text/css; charset=utf-8"
    css = response.content.decode()
    assert "--accent: #7a3000;" in css
    assert f".group-{group.pk} {{ --group: #2e6b30;" in css
    assert "immutable" in response["Cache-Control"]
    # Editing a colour changes the version, so browsers fetch the new stylesheet at once.
    group.accent_color = "#5b3a8c"
    group.save()
    html = client.get(reverse("site:home")).content.decode()
    assert f"/theme.css?v={match.group(2)}" not in html
    assert "#5b3a8c" in client.get(reverse("site:theme_css")).content.decode()


def test_no_inline_style_anywhere_because_the_csp_forbids_them(client, identity):
    """style-src 'self': an inline style would be ignored by the browser."""
    MeetingFactory(group=WorkingGroupFactory(), date=TODAY)
    for name in ("site:home", "site:agenda", "groups:group_list", "site:structure_list"):
        response = client.get(reverse(name))
        assert "style-src 'self'" in response["Content-Security-Policy"]
        html = response.content.decode()
        assert " style=" not in html and "<style" not in html, name


def test_a_text_shade_of_a_light_accent_is_darkened_for_reading_on_the_tint():
    from association.colors import contrast_ratio
    from ptce.theme import TINT, text_shade

    assert text_shade("#1d1b18") == "#1d1b18"  # already dark: unchanged
    shade = text_shade("#1f7a8c")  # passes 4.5:1 on white, not on the warm tint
    assert shade != "#1f7a8c"
    assert contrast_ratio(shade, TINT) >= 4.5


# --- Home -----------------------------------------------------------------------------------


@frozen()
def test_home_shows_what_the_ptce_is_next_meetings_events_figures_and_the_call_to_join(
    client, identity
):
    mobility = WorkingGroupFactory(name="Mobilité solidaire", order=1)
    food = WorkingGroupFactory(name="Alimentation durable", order=2)
    WorkingGroupFactory(name="Groupe en sommeil", is_active=False)
    MeetingFactory(group=mobility, date=datetime.date(2025, 8, 1))  # past
    MeetingFactory(group=mobility, date=datetime.date(2025, 9, 12), start_time=datetime.time(9))
    MeetingFactory(group=mobility, date=datetime.date(2025, 11, 14), start_time=datetime.time(9))
    MeetingFactory(
        group=food, date=datetime.date(2025, 9, 5), is_cancelled=True
    )  # the next one is cancelled: the one after is shown
    MeetingFactory(group=food, date=datetime.date(2025, 10, 7), start_time=datetime.time(14))
    EventFactory(title="Petit déjeuner de l'ESS", date=datetime.date(2025, 10, 14))
    EventFactory(title="Séminaire caché", date=datetime.date(2025, 10, 15), is_published=False)
    YearlyFiguresFactory(year=2023, meetings=20)
    YearlyFiguresFactory(year=2024, meetings=34, beneficiaries=1932, jobs_created_fte="19.7")

    page = text(client.get(reverse("site:home")))

    assert "Pôle territorial de coopération économique du Val-de-Lys" in page
    assert "Coopérer pour l'emploi sur notre territoire." in page
    assert "Né en 2020 autour de cinq structures." in page
    assert "Mobilité solidaire Vendredi 12 septembre 2025 à 9 h" in page
    assert "14 novembre" not in page  # only the next meeting of each group
    assert "Alimentation durable Mardi 7 octobre 2025 à 14 h" in page
    assert "Groupe en sommeil" not in page
    assert "Petit déjeuner de l'ESS" in page
    assert "Séminaire caché" not in page
    assert "L'année 2024 en chiffres" in page and "réunions organisées (déclaré) 34" in page
    assert "bénéficiaires (déclaré) 1 932" in page
    assert "emplois créés (équivalents temps plein) (déclaré) 19,7" in page
    assert "Rejoignez un groupe de travail du Val-de-Lys !" in page
    assert f'href="{reverse("joining:join")}"' in client.get("/").content.decode()


@frozen()
def test_home_empty_states_say_what_to_do(client, identity):
    WorkingGroupFactory(name="Groupe sans date")
    page = text(client.get(reverse("site:home")))
    assert "Pas de réunion programmée pour le moment" in page
    assert "Aucun événement annoncé pour le moment" in page
    assert "en chiffres" not in page


def test_home_works_on_a_fresh_database_without_identity(client, db):
    SiteIdentity.objects.all().delete()
    response = client.get(reverse("site:home"))
    assert response.status_code == 200
    assert SiteIdentity.objects.get().name == "PTCE"


# --- About and legal notice -----------------------------------------------------------------


def test_about_tells_the_story_the_team_and_how_to_reach_the_office(client, identity):
    adds = StructureFactory(name="Association ADS", is_founding_member=True)
    StructureFactory(name="Partenaire récent")
    PersonFactory(
        first_name="Nadia",
        last_name="Benali",
        team_role=Person.TeamRole.PRESIDENT,
        structure=adds,
        email="nadia@example.org",
        show_contact_publicly=False,
    )
    PersonFactory(
        first_name="Rémi",
        last_name="Durand",
        team_role=Person.TeamRole.DEVELOPMENT_OFFICER,
        title="chargé de développement",
        team_since=datetime.date(2024, 7, 1),
        phone="0680596340",
        email="remi@example.org",
        show_contact_publicly=True,
    )
    PersonFactory(first_name="Hors", last_name="Equipe")

    response = client.get(reverse("site:about"))
    page = text(response)
    html = response.content.decode()

    assert "Né en 2020 autour de cinq structures." in page
    assert "Devenu une association en 2022." in page  # the second paragraph too
    assert "Les structures fondatrices Association ADS" in page
    assert "Partenaire récent" not in page
    assert page.index("Nadia BENALI") < page.index("Rémi DURAND")  # president first
    assert "Chargé de développement, depuis juillet 2024" in page
    assert "nadia@example.org" not in html  # she did not agree to publish it
    assert 'href="tel:+33680596340"' in html and "mailto:remi@example.org" in html
    assert "HORS" not in page.upper().replace("HORS D", "")
    assert "Maison des associations 3 place du Marché Estaires" in page


def test_legal_notice_shows_identity_fields_and_flags_the_empty_ones(client, identity):
    identity.siret = "123 456 789 00012"
    identity.publication_director = "Nadia Benali"
    identity.save()
    page = text(client.get(reverse("site:legal_notice")))
    assert "SIRET 123 456 789 00012" in page
    assert "Directeur·rice de la publication Nadia Benali" in page
    assert "Forme juridique à compléter" in page
    assert "Hébergement à compléter" in page
    assert "Siège Maison des associations, 3 place du Marché, Estaires" in page


# --- Errors ---------------------------------------------------------------------------------


def test_404_page_is_in_french_and_keeps_the_site_around_it(client, identity):
    response = client.get("/une-page-qui-n-existe-pas/")
    assert response.status_code == 404
    page = text(response)
    assert "Cette page est introuvable" in page
    assert "PTCE Val-de-Lys" in page  # header and footer are there
    html = response.content.decode()
    assert f'href="{reverse("site:agenda")}"' in html
    # A page that only fills `content` gets the site's reading column around it.
    assert re.search(r'<div class="wrap">\s*<div class="page-narrow">', html)


@pytest.mark.logged_errors
def test_500_page_is_in_french_and_needs_no_database(db, settings):
    """The 500 template renders with an empty context: it must not need the identity, the
    database or a context processor (which may be what failed)."""
    from django.template.loader import get_template

    html = get_template("500.html").render({})
    assert "Le site rencontre un problème" in html
    # Nothing alerts anyone (no ADMINS, no error tracker): the page does not pretend otherwise.
    assert "avertie" not in html
    assert "Réessayez dans quelques minutes&#8239;; si le problème persiste, écrivez-nous" in html
    assert 'lang="fr"' in html

    def broken(request):
        raise RuntimeError("boom")

    from django.urls import path

    class Urls:
        urlpatterns = [path("casse/", broken)]

    settings.ROOT_URLCONF = Urls
    response = Client(raise_request_exception=False).get("/casse/")
    assert response.status_code == 500
    assert "Le site rencontre un problème" in response.content.decode()


# --- robots.txt, sitemap.xml ----------------------------------------------------------------


def test_robots_txt_points_to_the_sitemap_and_does_not_name_the_admin(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    body = response.content.decode()
    assert body == "User-agent: *\nDisallow:\nSitemap: http://testserver/sitemap.xml\n"


def test_sitemap_lists_public_pages_groups_meetings_published_events_and_structures(
    client, identity
):
    group = WorkingGroupFactory()
    meeting = MeetingFactory(group=group)
    event = EventFactory()
    hidden = EventFactory(is_published=False)
    structure = StructureFactory()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    locations = {
        node.text
        for node in ElementTree.fromstring(response.content).findall(".//s:loc", namespace)
    }
    for path in (
        "/",
        reverse("site:agenda"),
        reverse("site:about"),
        group.get_absolute_url(),
        meeting.get_absolute_url(),
        event.get_absolute_url(),
        structure.get_absolute_url(),
    ):
        assert f"http://testserver{path}" in locations
    assert f"http://testserver{hidden.get_absolute_url()}" not in locations
    assert Event.objects.count() == 2
