"""The helper every intermediate admin page is built with (association/admin_pages.py), tried
on the venues' admin: the selection carried from an action, the right, the page's frame."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.template.loader import render_to_string
from django.test import RequestFactory

from association.admin_pages import (
    redirect_with_selection,
    render_intermediate_page,
    require_permission,
    selected_ids,
)
from association.models import Venue
from tests.conftest import breadcrumbs_of
from tests.factories import UserFactory, VenueFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables


def _request(user, query: str = ""):
    request = RequestFactory().get(f"/admin/association/venue/page/{query}")
    request.user = user
    return request


def test_the_selection_goes_from_the_action_to_the_page(db):
    venues = VenueFactory.create_batch(2)

    response = redirect_with_selection("/admin/page/", Venue.objects.order_by("pk"))

    assert response["Location"] == f"/admin/page/?ids={venues[0].pk},{venues[1].pk}"
    query = response["Location"].removeprefix("/admin/page/") + ",x,,-3"  # tampered with
    assert selected_ids(_request(None, query)) == [venues[0].pk, venues[1].pk]
    assert selected_ids(_request(None)) == []


def test_the_page_is_refused_without_the_right(db, coordinator):
    venue_admin = admin.site.get_model_admin(Venue)
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_venue"))

    require_permission(venue_admin, _request(coordinator), "delete")
    require_permission(venue_admin, _request(viewer), "view", VenueFactory())
    with pytest.raises(PermissionDenied):
        require_permission(venue_admin, _request(viewer), "delete")


def test_the_page_has_the_admin_frame_and_its_breadcrumb_bar(db, coordinator):
    venue = VenueFactory(name="Salle des fêtes")
    venue_admin = admin.site.get_model_admin(Venue)

    response = render_intermediate_page(
        venue_admin,
        _request(coordinator),
        template="admin/intermediate_page.html",
        title="Fermer la salle des fêtes",
        breadcrumb="Fermer",
        obj=venue,
        reason="travaux",
    )
    html = response.render().content.decode()

    assert response.context_data["reason"] == "travaux"
    assert "<h1>Fermer la salle des fêtes</h1>" in html
    assert "<title>Fermer la salle des fêtes |" in html
    assert re.search(r'<body class="[^"]*app-association model-venue', html)
    assert 'id="nav-sidebar"' in html  # each_context: the admin's sidebar lists the apps
    assert breadcrumbs_of(html) == [
        ("/admin/", "Accueil"),
        ("/admin/association/", "Site et association"),
        ("/admin/association/venue/", "Lieux"),
        (f"/admin/association/venue/{venue.pk}/change/", "Salle des fêtes, Carvin"),
        ("", "Fermer"),
    ]


def test_without_a_record_the_bar_ends_with_the_title(db, coordinator):
    response = render_intermediate_page(
        admin.site.get_model_admin(Venue),
        _request(coordinator),
        template="admin/intermediate_page.html",
        title="Fusionner des lieux",
    )

    crumbs = breadcrumbs_of(response.render().content.decode())
    assert crumbs[-2:] == [("/admin/association/venue/", "Lieux"), ("", "Fusionner des lieux")]


def test_a_page_with_another_base_borrows_the_bar():
    html = render_to_string(
        "admin/intermediate_page.html#breadcrumbs",
        {"opts": Venue._meta, "breadcrumb": "Importer"},
    )

    assert [text for _, text in breadcrumbs_of(html)] == [
        "Accueil",
        "Site et association",
        "Lieux",
        "Importer",
    ]


def test_every_admin_page_of_ours_draws_its_bar_from_the_one_base():
    """A page in the admin's frame extends admin/intermediate_page.html, or borrows its
    `breadcrumbs` partial when its base is another library's; none writes the bar by hand.
    (The printable pages are pages of their own, outside the frame.)"""
    root = Path(settings.BASE_DIR)
    base = root / "association/templates/admin/intermediate_page.html"
    by_hand = [
        str(path.relative_to(root))
        for path in root.glob("*/templates/admin/**/*.html")
        if path != base
        and (
            'class="breadcrumbs"' in (text := path.read_text())
            or '{% extends "admin/base_site.html" %}' in text
            or (
                "{% block breadcrumbs %}" in text
                and "intermediate_page.html#breadcrumbs" not in text
            )
        )
    ]
    assert by_hand == []
