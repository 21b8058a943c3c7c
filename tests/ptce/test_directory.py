"""The structures directory: members marked and filterable, partners too, each with its page."""

import datetime

import pytest
from django.urls import reverse

from members.models import Membership, Structure
from tests.factories import (
    EventFactory,
    GroupLeadFactory,
    MembershipFactory,
    PersonFactory,
    ProjectFactory,
    SessionFactory,
    StructureFactory,
    WorkingGroupFactory,
)
from tests.public_site import frozen, page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]

TODAY = datetime.date(2026, 3, 2)


@pytest.fixture
def network():
    mobility = WorkingGroupFactory(name="Mobilité solidaire", slug="mobilite")
    food = WorkingGroupFactory(name="Alimentation durable", slug="alimentation")
    garage = StructureFactory(name="Garage solidaire", kind=Structure.Kind.ASSOCIATION)
    MembershipFactory(structure=garage, year=TODAY.year)
    former = StructureFactory(name="Ancien membre", kind=Structure.Kind.ASSOCIATION)
    MembershipFactory(structure=former, year=TODAY.year - 1)  # last year only
    pending = StructureFactory(name="Adhésion en attente", kind=Structure.Kind.COMPANY)
    MembershipFactory(structure=pending, year=TODAY.year, status=Membership.Status.PENDING)
    town = StructureFactory(
        name="Communauté d'agglomération", acronym="CA", kind=Structure.Kind.LOCAL_AUTHORITY
    )
    mobility.participant_structures.add(garage, town)
    # A structure that leads a group without being listed among its participants.
    lead_only = StructureFactory(name="Épicerie solidaire", kind=Structure.Kind.ASSOCIATION)
    GroupLeadFactory(group=food, person=PersonFactory(structure=lead_only), structure=lead_only)
    return {
        "mobility": mobility,
        "food": food,
        "garage": garage,
        "former": former,
        "pending": pending,
        "town": town,
        "lead_only": lead_only,
    }


def names(response) -> list[str]:
    return [s.name for s in response.context["structures"]]


@frozen(TODAY)
def test_directory_lists_every_structure_members_marked(client, network):
    response = client.get(reverse("site:structure_list"))
    assert names(response) == sorted(names(response))
    assert set(names(response)) == {s.name for s in network.values() if isinstance(s, Structure)}
    page = page_text(response)
    assert "Garage solidaire Association · Hénin-Beaumont Membre" in page
    assert "Ancien membre Association · Hénin-Beaumont Membre" not in page  # last year
    assert "Adhésion en attente Entreprise · Hénin-Beaumont Membre" not in page  # pending
    assert "Communauté d'agglomération (CA) Collectivité territoriale ·" in page
    html = response.content.decode()
    mobility = network["mobility"]
    assert f'class="group-tag group-{mobility.pk}"><a href="{mobility.get_absolute_url()}"' in html


@frozen(TODAY)
def test_filter_members_of_the_year(client, network):
    response = client.get(reverse("site:structure_list"), {"membres": "on"})
    assert names(response) == ["Garage solidaire"]
    assert "Seulement les membres 2026" in page_text(response)


@frozen(TODAY)
def test_filter_by_kind(client, network):
    response = client.get(reverse("site:structure_list"), {"type": "local_authority"})
    assert names(response) == ["Communauté d'agglomération"]


@frozen(TODAY)
def test_filter_by_group_includes_participants_and_leads(client, network):
    mobility = client.get(reverse("site:structure_list"), {"groupe": "mobilite"})
    assert names(mobility) == ["Communauté d'agglomération", "Garage solidaire"]
    food = client.get(reverse("site:structure_list"), {"groupe": "alimentation"})
    assert names(food) == ["Épicerie solidaire"]


@frozen(TODAY)
def test_filters_combine_and_an_empty_result_says_what_to_do(client, network):
    response = client.get(
        reverse("site:structure_list"), {"groupe": "mobilite", "type": "company"}
    )
    assert names(response) == []
    assert "Aucune structure ne correspond à ces critères." in page_text(response)


@frozen(TODAY)
def test_directory_is_paginated(client, identity):
    Structure.objects.bulk_create(
        Structure(name=f"Structure {i:02d}", slug=f"structure-{i:02d}") for i in range(35)
    )
    first = client.get(reverse("site:structure_list"))
    assert len(names(first)) == 30
    assert "Page 1 sur 2" in page_text(first)
    second = client.get(reverse("site:structure_list"), {"page": 2})
    assert names(second) == [f"Structure {i}" for i in range(30, 35)]


def test_empty_directory(client):
    assert "L'annuaire des structures sera bientôt publié." in page_text(
        client.get(reverse("site:structure_list"))
    )


@frozen(TODAY)
def test_structure_page_what_it_is_its_groups_projects_events_and_badge(client, network):
    garage = network["garage"]
    garage.description = "Réparer les voitures à prix solidaire."
    garage.website = "https://garage.example"
    garage.address = "ZAC des Chauffours"
    garage.town = "Courrières"
    garage.save()
    project = ProjectFactory(name="Dépanneuse solidaire", group=network["mobility"])
    project.structures.add(garage)
    hidden = ProjectFactory(name="Projet caché", is_published=False)
    hidden.structures.add(garage)
    seminar = EventFactory(title="Séminaire")
    SessionFactory(event=seminar, facilitator=garage)

    response = client.get(garage.get_absolute_url())
    page = page_text(response)
    html = response.content.decode()

    assert garage.get_absolute_url() == f"/structures/{garage.slug}/"
    assert "Association Garage solidaire Membre 2026" in page
    assert "Réparer les voitures à prix solidaire." in page
    assert "Adresse ZAC des Chauffours Courrières" in page
    assert 'href="https://garage.example"' in html
    assert "Groupes de travail Mobilité solidaire" in page
    assert "Dépanneuse solidaire" in page and "Projet caché" not in page
    assert "Événements Les événements du réseau que cette structure organise" in page
    assert "Passés Séminaire" in page


def _events_of(structure, *, upcoming: int, past: int):
    """`upcoming` and `past` published events, half organised by `structure`, half with a
    session it leads (some with both: each is counted once)."""
    for index in range(upcoming + past):
        ahead = index < upcoming
        event = EventFactory(
            title=f"{'Prochain' if ahead else 'Ancien'} {index:02d}",
            date=TODAY + datetime.timedelta(days=index + 1 if ahead else -(index - upcoming + 1)),
        )
        if index % 2:
            event.organisers.add(structure)
        if index % 2 == 0 or index % 3 == 0:
            SessionFactory(event=event, facilitator=structure)
            SessionFactory(event=event, facilitator=structure)
    EventFactory(title="Sans elle", date=TODAY)
    EventFactory(title="Brouillon", date=TODAY, is_published=False).organisers.add(structure)


@frozen(TODAY)
def test_a_structure_page_lists_its_next_and_last_events_and_says_how_many(client, network):
    garage = network["garage"]
    _events_of(garage, upcoming=8, past=5)
    response = client.get(garage.get_absolute_url())
    page = page_text(response)
    assert (
        "Les 5 prochains, sur 8 à venir Prochain 00, mardi 3 mars 2026 Prochain 01, mercredi "
        "4 mars 2026 Prochain 02, jeudi 5 mars 2026 Prochain 03, vendredi 6 mars 2026 "
        "Prochain 04, samedi 7 mars 2026 Les 3 derniers, sur 5 passés Ancien 08, dimanche 1er "
        "mars 2026 Ancien 09, samedi 28 février 2026 Ancien 10, vendredi 27 février 2026 "
        "Les autres sont dans la liste de ses événements."
    ) in page
    assert "Sans elle" not in page and "Brouillon" not in page
    # The link goes to its own events, not to all the network's.
    link = f"{reverse('events:event_list')}?structure={garage.slug}"
    assert f'href="{link}"' in response.content.decode()


@frozen(TODAY)
def test_the_link_to_the_others_lists_all_its_events_and_only_them(client, network):
    garage = network["garage"]
    _events_of(garage, upcoming=8, past=5)
    page = page_text(client.get(f"{reverse('events:event_list')}?structure={garage.slug}"))
    # « de la structure » rather than « de » before the name: « de Le Relais » or « de
    # Épicerie solidaire » would read wrong.
    assert "Événements de la structure Garage solidaire" in page
    assert "Tous les événements du réseau" in page  # the way back to all
    for index in range(13):
        assert f"{'Prochain' if index < 8 else 'Ancien'} {index:02d}" in page
    assert "Sans elle" not in page and "Brouillon" not in page
    # Without the filter, the list is the network's, as before.
    assert "Sans elle" in page_text(client.get(reverse("events:event_list")))


@frozen(TODAY)
def test_a_structure_without_events_says_so_in_its_list(client, network):
    page = page_text(
        client.get(f"{reverse('events:event_list')}?structure={network['former'].slug}")
    )
    assert "Événements de la structure Ancien membre" in page
    assert "Aucun événement à venir de cette structure pour le moment." in page


@frozen(TODAY)
def test_an_unknown_structure_in_the_events_list_is_a_french_404(client, network):
    response = client.get(f"{reverse('events:event_list')}?structure=inconnue")
    assert response.status_code == 404
    page = page_text(response)
    assert "Aucune structure du réseau n'a l'identifiant « inconnue »" in page
    assert "Tous les événements du réseau" in page


@frozen(TODAY)
@pytest.mark.parametrize("events", [1, 40])
def test_a_structure_events_list_costs_the_same_queries_whatever_its_events(
    client, network, events, django_assert_num_queries
):
    garage = network["garage"]
    _events_of(garage, upcoming=events, past=events)
    client.get("/")
    # the content version, identity, the structure, the past events' count and page, the
    # upcoming ones
    with django_assert_num_queries(6):
        client.get(f"{reverse('events:event_list')}?structure={garage.slug}")


@frozen(TODAY)
def test_a_structure_page_with_few_events_lists_them_all(client, network):
    garage = network["garage"]
    _events_of(garage, upcoming=2, past=1)
    page = page_text(client.get(garage.get_absolute_url()))
    assert (
        "À venir Prochain 00, mardi 3 mars 2026 Prochain 01, mercredi 4 mars 2026 "
        "Passés Ancien 02, dimanche 1er mars 2026 ←"
    ) in page
    assert "Les autres sont dans" not in page


@frozen(TODAY)
@pytest.mark.parametrize("events", [1, 40])
def test_a_structure_page_costs_the_same_queries_whatever_its_events(
    client, network, events, django_assert_num_queries
):
    garage = network["garage"]
    _events_of(garage, upcoming=events, past=events)
    client.get("/")
    # the content version, identity, member year, structure, groups, projects, the next
    # events, the last ones, and its network (report/network.py; four here, as it has no
    # cooperation to read)
    with django_assert_num_queries(12):
        client.get(garage.get_absolute_url())


@frozen(TODAY)
def test_a_partner_page_without_groups_or_projects(client, network):
    page = page_text(client.get(network["former"].get_absolute_url()))
    assert "Partenaire" in page and "Membre 2026" not in page
    assert "Cette structure ne participe à aucun groupe de travail pour le moment." in page
    assert "Aucun projet publié pour cette structure." in page


@frozen(TODAY)
def test_a_group_lead_structure_shows_the_group_it_leads(client, network):
    page = page_text(client.get(network["lead_only"].get_absolute_url()))
    assert "Groupes de travail Alimentation durable" in page


def test_unknown_structure_is_not_found(client):
    assert client.get("/structures/inconnue/").status_code == 404


@frozen(datetime.date(2026, 1, 20))
def test_in_january_before_renewals_last_years_members_are_still_members(client):
    founder = StructureFactory(name="ADDS", is_founding_member=True)
    MembershipFactory(structure=founder, year=2025)
    StructureFactory(name="Partenaire sans adhésion")
    # A renewal received but not validated yet, and a person's membership: neither moves the
    # directory's year.
    MembershipFactory(structure=founder, year=2026, status=Membership.Status.PENDING)
    MembershipFactory(structure=None, person=PersonFactory(), year=2026)

    listing = client.get(reverse("site:structure_list"))
    assert "ADDS Association · Hénin-Beaumont Membre 2025 Fondatrice" in page_text(listing)
    members = client.get(reverse("site:structure_list"), {"membres": "on"})
    assert names(members) == ["ADDS"]
    assert "Seulement les membres 2025" in page_text(members)
    detail = page_text(client.get(founder.get_absolute_url()))
    assert "Membre 2025" in detail and "Partenaire" not in detail


@frozen(datetime.date(2026, 1, 20))
def test_once_a_renewal_is_validated_the_directory_moves_to_the_new_year(client):
    renewed = MembershipFactory(year=2026).structure
    late = MembershipFactory(year=2025).structure
    members = client.get(reverse("site:structure_list"), {"membres": "on"})
    assert names(members) == [renewed.name]
    assert "Seulement les membres 2026" in page_text(members)
    assert "Partenaire" in page_text(client.get(late.get_absolute_url()))


@frozen(TODAY)
def test_a_structure_page_says_which_of_its_events_are_cancelled(client, network):
    garage = network["garage"]
    EventFactory(title="Forum annulé", date=TODAY, is_cancelled=True).organisers.add(garage)
    EventFactory(title="Forum maintenu", date=TODAY).organisers.add(garage)
    page = page_text(client.get(garage.get_absolute_url()))
    assert "Forum annulé, lundi 2 mars 2026 (annulé)" in page
    assert "Forum maintenu, lundi 2 mars 2026 (annulé)" not in page
