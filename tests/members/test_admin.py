"""The directory in the back-office: lists, search and filters on the newsletter's data."""

import pytest
import time_machine
from django.apps import apps
from django.contrib import admin
from django.contrib.admin import ModelAdmin
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from members.models import Membership, Person, Structure
from tests.admin_lists import assert_written_as_django_writes_it
from tests.factories import (
    EventFactory,
    JoinRequestFactory,
    MeetingFactory,
    MembershipFactory,
    PersonFactory,
    StructureFactory,
    VenueFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]
# The coordinator's long lists (their rows: `association.admin_listing.ListRowsMixin`).
LONG_LISTS = [
    "admin:members_person_changelist",
    "admin:members_structure_changelist",
    "admin:members_membership_changelist",
    "admin:joining_joinrequest_changelist",
]


def _names(client, url_name, params=None):
    response = client.get(reverse(url_name), params or {})
    assert response.status_code == 200
    return sorted(str(obj) for obj in response.context["cl"].result_list)


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "bâtisseurs"}, ["Les Compagnons Bâtisseurs"]),
        ({"q": "CAHC"}, ["Communauté d'agglomération Hénin-Carvin", "La CAHC en folie"]),
        ({"kind__exact": "local_authority"}, ["Communauté d'agglomération Hénin-Carvin"]),
        ({"kind__exact": "school"}, ["École Maurice Thorez"]),
        ({"town": "Carvin"}, ["ACTIV"]),
    ],
)
def test_structure_search_and_filters(coordinator_client, newsletter, params, expected):
    assert _names(coordinator_client, "admin:members_structure_changelist", params) == expected


def test_structure_founding_filter(coordinator_client, newsletter):
    founders = _names(
        coordinator_client, "admin:members_structure_changelist", {"is_founding_member__exact": 1}
    )
    assert len(founders) == 8
    assert "ADDS" in founders
    assert "IRIAE" not in founders


@time_machine.travel("2025-09-01 10:00 +02:00", tick=False)
def test_member_column_and_filter_follow_the_current_year(coordinator_client, newsletter):
    Membership.objects.filter(structure__name="DIE").update(status=Membership.Status.PENDING)
    response = coordinator_client.get(reverse("admin:members_structure_changelist"))
    assert "Membre 2025" in response.content.decode()
    members = _names(coordinator_client, "admin:members_structure_changelist", {"membre": "oui"})
    assert len(members) == 7
    assert "DIE" not in members
    others = _names(coordinator_client, "admin:members_structure_changelist", {"membre": "non"})
    assert "DIE" in others
    assert len(members) + len(others) == Structure.objects.count()


@time_machine.travel("2026-01-15 10:00 +01:00", tick=False)
def test_a_new_year_starts_with_no_member(coordinator_client, newsletter):
    response = coordinator_client.get(reverse("admin:members_structure_changelist"))
    assert "Membre 2026" in response.content.decode()
    url_name = "admin:members_structure_changelist"
    assert _names(coordinator_client, url_name, {"membre": "oui"}) == []


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "moglia"}, ["Rodolphe MOGLIA"]),
        ({"q": "apei"}, ["Brigitte MONSEU", "Isabelle LEROY-SELOSSE"]),  # by structure
        ({"q": "s.roussel@"}, ["Serge ROUSSEL"]),  # by e-mail
        ({"team_role__exact": "president"}, ["Nordine BOUKHATEB"]),
        ({"show_contact_publicly__exact": 1}, ["Rodolphe MOGLIA"]),
        ({"structure__kind__exact": "local_authority"}, ["Marcello DELLA FRANCA", "Sarah DUPONT"]),
    ],
)
def test_person_search_and_filters(coordinator_client, newsletter, params, expected):
    assert _names(coordinator_client, "admin:members_person_changelist", params) == expected


def test_structure_change_form_lists_its_people_and_memberships(coordinator_client, newsletter):
    cahc = Structure.objects.get(acronym="CAHC")
    content = coordinator_client.get(
        reverse("admin:members_structure_change", args=[cahc.pk])
    ).content.decode()
    assert "Della Franca" in content
    assert "Dupont" in content
    assert 'value="2025"' in content  # the membership inline


def test_person_form_uses_autocomplete_for_the_structure(coordinator_client, newsletter):
    person = Person.objects.get(last_name="Moglia")
    content = coordinator_client.get(
        reverse("admin:members_person_change", args=[person.pk])
    ).content.decode()
    assert "admin-autocomplete" in content


def test_structure_autocomplete_answers_the_coordinator(coordinator_client, newsletter):
    response = coordinator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "compagnons",
            "app_label": "members",
            "model_name": "person",
            "field_name": "structure",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Les Compagnons Bâtisseurs"]


# --- cost: the coordinator's lists stay flat as the member file grows (issue 28) ---------------


def _member_file(size):
    for _ in range(size):
        person = PersonFactory()
        MembershipFactory(structure=person.structure, year=2025)
        MembershipFactory(structure=None, person=person, year=2025)


@pytest.mark.parametrize("size", [3, 30])
@pytest.mark.parametrize(
    ("url_name", "params"),
    [
        ("admin:members_person_changelist", {}),
        ("admin:members_person_changelist", {"membre": "oui", "q": "camille"}),
        ("admin:members_structure_changelist", {}),
        ("admin:members_structure_changelist", {"membre": "non", "q": "structure"}),
    ],
)
def test_lists_cost_the_same_queries_at_any_size(
    coordinator_client, django_assert_num_queries, size, url_name, params
):
    with time_machine.travel("2025-10-07 14:00 +02:00", tick=False):
        _member_file(size)
        coordinator_client.get(reverse(url_name))  # warm the session

        # session, user, perms (2), counts (2), page, site identity; the structures' town
        # filter (its distinct towns) one more.
        queries = 9 if "structure" in url_name else 8
        with django_assert_num_queries(queries):
            response = coordinator_client.get(reverse(url_name), params)

    assert response.context["cl"].result_count == (size if params.get("membre") != "non" else 0)


def test_people_list_reads_its_page_in_order_from_an_index(coordinator_client):
    """The list's order (name, first name, then the admin's tiebreak) is an index's: a page
    reads its rows from it instead of sorting the whole file, whatever its size."""
    _member_file(3)
    response = coordinator_client.get(reverse("admin:members_person_changelist"))
    page = response.context["cl"].result_list
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # On a test's few rows the planner would rather sort: ask whether it can avoid it.
            cursor.execute("SET LOCAL enable_sort = off")
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = page.explain()

    assert "person_name_order" in plan


@pytest.mark.parametrize("url_name", LONG_LISTS)
def test_lists_render_no_template_per_row(coordinator_client, url_name):
    def templates_rendered():
        response = coordinator_client.get(reverse(url_name))
        assert response.context["cl"].result_count >= 3
        return len(response.templates)

    with time_machine.travel("2025-10-07 14:00 +02:00", tick=False):
        _member_file(3)
        JoinRequestFactory.create_batch(3)
        few = templates_rendered()
        _member_file(27)
        JoinRequestFactory.create_batch(27)
        many = templates_rendered()

    assert many == few


@pytest.mark.parametrize(
    "model_admin",
    ["members.Person", "members.Structure", "members.Membership", "joining.JoinRequest"],
)
def test_rows_selection_box_is_the_admins_own(model_admin):
    """The lists write each row's selection box without the template engine (a third of a
    row's cost): the markup is the one the admin's widget renders, in French."""
    model = apps.get_model(model_admin)
    obj = model(pk=7, **({"name": "Les Jardins <de> Cocagne"} if model is Structure else {}))
    admin_of_model = admin.site.get_model_admin(model)
    with translation.override("fr"):
        box = admin_of_model.action_checkbox(obj)
        expected = ModelAdmin.action_checkbox(admin_of_model, obj)

    assert box == expected
    assert 'aria-label="Choisir cet objet pour une action' in box
    if model is Structure:
        assert "Les Jardins &lt;de&gt; Cocagne" in box


@pytest.mark.parametrize("url_name", LONG_LISTS)
def test_rows_link_to_their_record_as_the_admin_does(coordinator_client, url_name):
    """Each row's link comes from one address per list, not a `reverse()` per row: the same
    address as Django's own, a search's filters kept for the way back."""
    with time_machine.travel("2025-10-07 14:00 +02:00", tick=False):
        _member_file(3)
        JoinRequestFactory.create_batch(3)
        response = coordinator_client.get(reverse(url_name), {"o": "-1"})
    changelist = response.context["cl"]
    html = response.content.decode()
    assert changelist.result_list
    for record in changelist.result_list:
        url = ChangeList.url_for_result(changelist, record)
        assert changelist.url_for_result(record) == url
        assert f'href="{url}?_changelist_filters=o%3D-1"' in html


def test_a_key_an_address_must_escape_is_escaped_as_the_admin_does(coordinator_client):
    changelist = coordinator_client.get(reverse("admin:members_structure_changelist")).context[
        "cl"
    ]
    for key in ("a b", "é/_x?", "__key__"):
        record = Structure(pk=key)
        assert changelist.url_for_result(record) == ChangeList.url_for_result(changelist, record)


@pytest.mark.parametrize("url_name", LONG_LISTS)
@pytest.mark.parametrize("params", [{}, {"o": "-3.1"}, {"q": "e", "o": "2"}, {"all": ""}])
def test_rows_are_written_as_the_admin_writes_them(
    coordinator_client, coordinator, newsletter, url_name, params
):
    """The lists write a row's cells once per list (`ListRowsChangeList.rows`): cell for cell
    the markup of Django's own `items_for_result` — links with the search kept, icons, choices,
    dates, amounts, empty values, names to escape — and it is what the page shows."""
    with time_machine.travel("2025-10-07 14:00 +02:00", tick=False):
        _member_file(3)
        Structure.objects.create(name='L\'Atelier <b>&</b> "Cie"', slug="atelier", town="")
        PersonFactory(structure=None, first_name="Élise", last_name="<Sans> structure")
        MembershipFactory(structure=None, person=PersonFactory(), year=2024, paid_on=None)
        JoinRequestFactory.create_batch(2)
        JoinRequestFactory(status="accepted", handled_by=coordinator, handled_at=timezone.now())
        response = coordinator_client.get(reverse(url_name), params)
        changelist = response.context["cl"]
        with translation.override("fr"):
            django_rows = ["".join(cells) for cells in admin_list.results(changelist)]
            rows = ["".join(cells) for cells in changelist.rows()]

    assert len(rows) >= 3
    assert rows == django_rows
    html = response.content.decode()
    for row in rows:
        assert f"<tr>{row}</tr>" in html


def test_a_list_keeps_its_own_template_around_the_rows(coordinator_client):
    """The rows' template goes over each list's own: the memberships keep import-export's
    buttons, every list its add button."""
    html = coordinator_client.get(reverse("admin:members_membership_changelist")).content.decode()
    assert 'class="import_link">Importer</a>' in html
    assert 'class="export_link">Exporter</a>' in html
    assert "Ajouter une adhésion" in html


HOSTILE = "<script>alert(\"x\")</script> & 'co'"


@pytest.mark.parametrize(
    "url_name",
    [
        *LONG_LISTS,
        "admin:groups_meeting_changelist",
        "admin:events_event_changelist",
        "admin:association_venue_changelist",
    ],
)
@pytest.mark.parametrize("params", ["", "?q=script&o=-2"])
def test_a_name_written_to_attack_the_page_is_only_text_in_the_lists(
    coordinator_client, url_name, params
):
    """A name typed in the join form or imported with a list (`<script>`, quotes, `&`) is
    escaped in every cell, link and selection box of a list, as Django escapes it: the page is
    the one Django writes (tests/admin_lists.py), and the script never reaches it as markup."""
    venue = VenueFactory(name=HOSTILE, town=HOSTILE)
    structure = StructureFactory(name=HOSTILE, acronym=HOSTILE, town=HOSTILE)
    person = PersonFactory(first_name=HOSTILE, last_name=HOSTILE, structure=structure)
    MembershipFactory(structure=structure, person=None, year=2025)
    MembershipFactory(structure=None, person=person, year=2025)
    JoinRequestFactory(first_name=HOSTILE, last_name=HOSTILE, structure_name=HOSTILE)
    MeetingFactory(venue=venue, group__name=HOSTILE, agenda=HOSTILE)
    EventFactory(title=HOSTILE, venue=venue)
    url = reverse(url_name) + params
    response = coordinator_client.get(url)

    assert response.context["cl"].result_count
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;" in html
    assert_written_as_django_writes_it(coordinator_client, url, response)
