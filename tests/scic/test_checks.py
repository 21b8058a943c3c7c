"""Each statutory check on data that meets it and on data that breaks it by one."""

import datetime
from decimal import Decimal

import pytest

from scic.models import Category, Rule
from scic.services.assembly import set_attendance
from scic.services.checks import evaluate_rules
from tests.factories import (
    AttendanceFactory,
    CollegeFactory,
    GeneralAssemblyFactory,
    ResolutionFactory,
)

pytestmark = pytest.mark.django_db
Kind = Category.LegalKind


def check(code: str):
    (found,) = [c for c in evaluate_rules() if c.rule.code == code]
    return found


def test_the_migration_loads_the_rules_with_their_references():
    rules = {rule.code: rule for rule in Rule.objects.all()}
    assert set(rules) == set(Rule.Code.values)
    assert rules["min_categories"].minimum == 3
    assert rules["college_share"].minimum == 10
    assert rules["college_share"].maximum == 50
    assert rules["public_capital"].maximum == 50
    assert rules["paid_up_at_subscription"].minimum == 25
    assert "19 septies" in rules["min_categories"].reference
    assert rules["min_colleges"].minimum == 3
    assert "19 octies" in rules["min_colleges"].reference
    assert "n° 47-1775" in rules["min_categories"].reference


def test_an_empty_register_breaks_the_category_rules_only():
    holds = {c.rule.code: c.holds for c in evaluate_rules()}
    assert holds == {
        "min_categories": False,
        "required_categories": False,
        "one_member_one_vote": True,
        "college_share": True,
        "min_colleges": True,
        "public_capital": True,
        "paid_up_at_subscription": True,
        "email_convocation_consent": True,
    }


def test_three_categories_hold_two_break(admit):
    admit(Kind.EMPLOYEES)
    admit(Kind.BENEFICIARIES)
    assert not check("min_categories").holds
    assert check("min_categories").value.startswith("2 catégories")
    admit(Kind.OTHERS)
    assert check("min_categories").holds


def test_the_threshold_is_read_from_the_record(admit, founders):
    assert check("min_categories").holds
    Rule.objects.filter(code="min_categories").update(minimum=4)
    assert not check("min_categories").holds


def test_employees_and_beneficiaries_are_required(admit):
    admit(Kind.EMPLOYEES)
    admit(Kind.OTHERS)
    assert not check("required_categories").holds  # no beneficiary: one short
    admit(Kind.BENEFICIARIES)
    assert check("required_categories").holds


def test_producers_stand_for_employees_only_when_there_are_none(admit):
    admit(Kind.BENEFICIARIES)
    assert not check("required_categories").holds
    admit(Kind.PRODUCERS)
    result = check("required_categories")
    assert result.holds
    assert "producteurs" in result.value


def test_an_associate_who_left_no_longer_counts(admit):
    from scic.services.register import record_exit

    admit(Kind.EMPLOYEES)
    beneficiary = admit(Kind.BENEFICIARIES)
    admit(Kind.OTHERS)
    assert check("min_categories").holds
    record_exit(associate=beneficiary, on=datetime.date(2025, 3, 1), reason="resignation")
    assert not check("min_categories").holds


@pytest.mark.parametrize(
    ("shares", "holds"),
    [
        ((10, 40, 40, 10), True),  # the bounds themselves
        ((9, 41, 40, 10), False),  # one college at 9 %
        ((10, 39, 51, 0), False),  # one at 51 %
    ],
)
def test_each_college_holds_between_10_and_50_percent(shares, holds):
    for share in shares:
        if share:
            CollegeFactory(vote_share=share)
    assert check("college_share").holds is holds


def test_college_shares_must_make_100_percent():
    CollegeFactory(vote_share=50)
    CollegeFactory(vote_share=49)
    result = check("college_share")
    assert not result.holds
    assert "total 99,00\u00a0%" in result.value


def test_without_colleges_the_college_rule_holds():
    assert check("college_share").holds
    assert check("min_colleges").holds


def test_colleges_are_three_or_more_two_break():
    CollegeFactory(name="Salariés", vote_share=50)
    CollegeFactory(name="Bénéficiaires", vote_share=50)
    result = check("min_colleges")
    assert not result.holds
    assert result.value == "2 collèges\u00a0: Bénéficiaires et Salariés"
    CollegeFactory(name="Collectivités", vote_share=10)
    assert check("min_colleges").holds


def test_public_authorities_at_half_of_the_capital_hold_one_share_more_breaks(admit):
    admit(Kind.BENEFICIARIES, shares=5)
    public = admit(Kind.PUBLIC_AUTHORITIES, shares=5)
    result = check("public_capital")
    assert result.holds
    assert result.value == "50,00\u00a0% (500,00\u00a0€ sur 1\u202f000,00\u00a0€)"
    from scic.services.register import subscribe_shares

    subscribe_shares(
        associate=public,
        on=datetime.date(2025, 2, 1),
        shares=1,
        share_value=Decimal(100),
        paid_amount=Decimal(100),
    )
    assert not check("public_capital").holds


def test_a_quarter_paid_at_subscription_holds_a_cent_less_breaks(admit):
    admit(shares=4, value="100", paid="100.00")
    assert check("paid_up_at_subscription").holds
    late = admit(shares=4, value="100", paid="99.99")
    result = check("paid_up_at_subscription")
    assert not result.holds
    assert f"n°\u00a0{late.number}" in result.value
    assert "(99,99\u00a0€ libérés sur 400,00\u00a0€)" in result.value


def _assembly_with_votes(admit, cast: int):
    college = CollegeFactory(vote_share=100)
    associates = [admit(college=college) for _ in range(3)]
    assembly = GeneralAssemblyFactory()
    attendances = [
        AttendanceFactory(assembly=assembly, associate=a, college=college) for a in associates
    ]
    for attendance in attendances:
        set_attendance(attendance=attendance, status="present")
    from scic.models import VoteCount

    VoteCount.objects.create(
        resolution=ResolutionFactory(assembly=assembly), college=college, votes_for=cast
    )


def test_one_vote_per_associate_holds_with_as_many_votes_as_voters(admit):
    _assembly_with_votes(admit, cast=3)
    assert check("one_member_one_vote").holds


def test_one_vote_more_than_voters_breaks_one_member_one_vote(admit):
    # Typed past the recorder (which refuses it), or attendance changed after the votes.
    _assembly_with_votes(admit, cast=4)
    assert not check("one_member_one_vote").holds


def test_a_rule_turned_off_is_not_checked():
    Rule.objects.filter(code="min_categories").update(is_active=False)
    assert "min_categories" not in {c.rule.code for c in evaluate_rules()}
