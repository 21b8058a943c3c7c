"""The member file: constraints the database enforces, and who is a member."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from members.models import Membership, Person, Structure
from tests.factories import MembershipFactory, PersonFactory, StructureFactory

pytestmark = pytest.mark.django_db


def test_structure_slugs_are_unique():
    StructureFactory(name="ADDS", slug="adds")
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.create(name="Autre structure", slug="adds")


def test_structure_names_are_unique_whatever_the_case():
    StructureFactory(name="Les Compagnons Bâtisseurs")
    with pytest.raises(IntegrityError), transaction.atomic():
        Structure.objects.create(name="les compagnons bâtisseurs", slug="autre")


def test_person_emails_are_unique_whatever_the_case():
    PersonFactory(email="s.roussel@compagnonsbatisseurs.eu")
    # bulk_create skips save(), which lowercases: the database must still refuse.
    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.bulk_create(
            [Person(first_name="Serge", last_name="R", email="S.Roussel@CompagnonsBatisseurs.eu")]
        )


def test_people_without_email_do_not_collide():
    PersonFactory(email="")
    PersonFactory(email="")
    assert Person.objects.filter(email="").count() == 2


def test_person_email_is_stored_lowercase():
    person = PersonFactory(email="  Contact@1001Commerce.FR ")
    person.refresh_from_db()
    assert person.email == "contact@1001commerce.fr"


def test_person_full_name_shows_the_last_name_in_capitals():
    assert PersonFactory.build(first_name="Marcello", last_name="Della Franca").full_name == (
        "Marcello DELLA FRANCA"
    )


def test_membership_of_both_a_structure_and_a_person_is_refused():
    person = PersonFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(structure=person.structure, person=person, year=2025)


def test_membership_of_nobody_is_refused():
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(year=2025)


def test_membership_clean_explains_the_rule_in_french():
    with pytest.raises(ValidationError, match="une structure ou une personne"):
        Membership(year=2025).full_clean()


def test_a_structure_has_one_membership_per_year():
    membership = MembershipFactory(year=2025)
    MembershipFactory(structure=membership.structure, year=2026)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(structure=membership.structure, year=2025)


def test_a_person_has_one_membership_per_year():
    person = PersonFactory()
    MembershipFactory(structure=None, person=person, year=2025)
    with pytest.raises(IntegrityError), transaction.atomic():
        Membership.objects.create(person=person, year=2025)


def test_members_of_a_year_are_the_structures_with_an_active_membership():
    active = MembershipFactory(year=2025, status=Membership.Status.ACTIVE).structure
    MembershipFactory(year=2025, status=Membership.Status.PENDING)
    MembershipFactory(year=2025, status=Membership.Status.CANCELLED)
    MembershipFactory(year=2024, status=Membership.Status.ACTIVE)
    StructureFactory()  # no membership at all
    MembershipFactory(structure=active, year=2024)  # two years: still listed once

    assert list(Structure.objects.members(2025)) == [active]
    assert Structure.objects.members(2024).count() == 2
    assert not Structure.objects.members(2023).exists()


@time_machine.travel("2025-03-01 10:00 +01:00", tick=False)
def test_members_defaults_to_the_current_year():
    this_year = MembershipFactory(year=2025).structure
    MembershipFactory(year=2024)
    assert list(Structure.objects.members()) == [this_year]


def test_with_is_member_annotates_every_structure_in_one_query(django_assert_num_queries):
    member = MembershipFactory(year=2025).structure
    MembershipFactory(year=2025, status=Membership.Status.PENDING)
    StructureFactory()
    with django_assert_num_queries(1):
        flags = {s.pk: s.is_member for s in Structure.objects.with_is_member(2025)}
    assert flags[member.pk] is True
    assert sum(flags.values()) == 1
    assert len(flags) == 3


def test_reference_year_is_the_latest_year_with_a_validated_membership():
    MembershipFactory(year=2024)
    MembershipFactory(year=2025)
    MembershipFactory(year=2026, status=Membership.Status.PENDING)  # a renewal not yet validated
    MembershipFactory(year=2027)  # paid in advance: not a member of a year still to come
    assert Membership.objects.reference_year(datetime.date(2026, 1, 15)) == 2025
    assert Membership.objects.reference_year(datetime.date(2025, 6, 1)) == 2025
    assert Membership.objects.reference_year(datetime.date(2024, 12, 31)) == 2024


def test_reference_year_falls_back_to_the_current_year():
    assert Membership.objects.reference_year(datetime.date(2026, 1, 15)) == 2026
    MembershipFactory(year=2027)
    assert Membership.objects.reference_year(datetime.date(2026, 1, 15)) == 2026


@time_machine.travel("2026-02-01 10:00 +01:00", tick=False)
def test_reference_year_defaults_to_today_and_follows_the_filter():
    MembershipFactory(year=2025)
    MembershipFactory(year=2026, structure=None, person=PersonFactory())
    assert Membership.objects.reference_year() == 2026
    assert Membership.objects.filter(structure__isnull=False).reference_year() == 2025
