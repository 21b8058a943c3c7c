# ruff: noqa: RUF001, RUF003 (the minutes write « ×», the French multiplication sign)
"""Weighted votes: the majority within each college, then the colleges' shares; quorum and
proxies on the attendance sheet."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from scic.models import GeneralAssembly
from scic.services.assembly import quorum, set_attendance
from scic.services.votes import record_votes, tally
from tests.factories import (
    AttendanceFactory,
    CollegeFactory,
    GeneralAssemblyFactory,
    ResolutionFactory,
)

pytestmark = pytest.mark.django_db


def _four_colleges(admit, kind="ordinary"):
    """Colleges of 40, 30, 20 and 10 %, five associates each, all present."""
    colleges = [
        CollegeFactory(name=n, vote_share=s, position=i)
        for i, (n, s) in enumerate(
            [
                ("Salariés", 40),
                ("Bénéficiaires", 30),
                ("Structures de l'ESS", 20),
                ("Collectivités", 10),
            ]
        )
    ]
    resolution = ResolutionFactory(assembly=GeneralAssemblyFactory(kind=kind))
    for college in colleges:
        for _ in range(5):
            attendance = AttendanceFactory(
                assembly=resolution.assembly, associate=admit(college=college), college=college
            )
            set_attendance(attendance=attendance, status="present")
    return colleges, resolution


@pytest.fixture
def four_colleges(admit):
    return _four_colleges(admit)


def counts(colleges, *rows):
    return {college.pk: row for college, row in zip(colleges, rows, strict=True)}


def test_weighted_result_with_its_arithmetic(four_colleges):
    colleges, resolution = four_colleges
    # Within each college, the votes for over the votes cast; the 10 % only abstains.
    record_votes(
        resolution=resolution, counts=counts(colleges, (3, 1, 1), (1, 2, 2), (2, 2, 1), (0, 0, 3))
    )
    result = tally(resolution=resolution)
    assert [c.decision for c in result.colleges] == [
        "75,00\u00a0% pour",
        "33,33\u00a0% pour",
        "50,00\u00a0% pour",
        "aucun vote exprimé",
    ]
    # 40 × 3/4 + 30 × 1/3 + 20 × 2/4 = 30 + 10 + 10 = 50, over 40 + 30 + 20 = 90.
    assert result.weight_for == 50
    assert result.weight_expressed == 90
    assert result.result_percent == Decimal("55.56")
    assert result.adopted
    assert result.arithmetic()[-2] == (
        "Voix pour pondérées\u00a0: 40,00 × 3/4 + 30,00 × 1/3 + 20,00 × 2/4 = 50,00\u00a0; "
        "poids des collèges qui se sont exprimés\u00a0: 40,00 + 30,00 + 20,00 = 90,00."
    )
    assert result.arithmetic()[-1] == (
        "Résultat\u00a0: 50,00 / 90,00 = 55,56\u00a0% des voix exprimées\u00a0; il en faut plus "
        "de 50,00\u00a0%\u00a0: résolution adoptée."
    )
    assert result.arithmetic()[0] == (
        "Salariés (40,00\u00a0%)\u00a0: 3 pour, 1 contre, 1 abstention → 75,00\u00a0% pour"
    )


def test_a_majority_of_associates_can_lose_the_weighted_vote(four_colleges):
    colleges, resolution = four_colleges
    # 12 associates for and 8 against, but the large colleges are mostly against:
    # 40 × 1/5 + 30 × 1/5 + 20 + 10 = 44 of 100.
    record_votes(
        resolution=resolution, counts=counts(colleges, (1, 4, 0), (1, 4, 0), (5, 0, 0), (5, 0, 0))
    )
    result = tally(resolution=resolution)
    assert result.result_percent == Decimal("44.00")
    assert not result.adopted


def test_exactly_half_is_not_a_majority(four_colleges):
    colleges, resolution = four_colleges
    record_votes(
        resolution=resolution, counts=counts(colleges, (5, 0, 0), (0, 5, 0), (0, 5, 0), (5, 0, 0))
    )
    result = tally(resolution=resolution)
    assert result.result_percent == Decimal("50.00")
    assert not result.adopted


def test_an_extraordinary_resolution_needs_two_thirds(admit):
    colleges, resolution = _four_colleges(admit, kind="extraordinary")
    # 40 + 20 + 10 = 70 % for, 30 % against: adopted; without the 10 %: 60 / 100 rejected.
    record_votes(
        resolution=resolution, counts=counts(colleges, (5, 0, 0), (0, 5, 0), (5, 0, 0), (5, 0, 0))
    )
    assert tally(resolution=resolution).adopted
    record_votes(
        resolution=resolution, counts=counts(colleges, (5, 0, 0), (0, 5, 0), (5, 0, 0), (0, 5, 0))
    )
    assert tally(resolution=resolution).result_percent == Decimal("60.00")
    assert not tally(resolution=resolution).adopted


def test_an_extraordinary_resolution_without_colleges_needs_two_thirds_of_votes_cast(admit):
    # Issue 19, item 1: 6 for and 4 against is 60 %, below two thirds, with or without colleges.
    resolution = ResolutionFactory(assembly=GeneralAssemblyFactory(kind="extraordinary"))
    for _ in range(10):
        attendance = AttendanceFactory(assembly=resolution.assembly, associate=admit())
        set_attendance(attendance=attendance, status="present")
    record_votes(resolution=resolution, counts={None: (6, 4, 0)})
    result = tally(resolution=resolution)
    assert result.result_percent == Decimal("60.00")
    assert not result.adopted
    assert result.arithmetic()[-1] == (
        "Résultat\u00a0: 6 pour / 10 voix exprimées = 60,00\u00a0% des voix exprimées\u00a0; "
        "il en faut au moins 66,67\u00a0%\u00a0: résolution rejetée."
    )
    record_votes(resolution=resolution, counts={None: (7, 3, 0)})
    assert tally(resolution=resolution).adopted


def _three_colleges_of(admit, kind, sizes):
    """Colleges of 10, 47 and 43 %, `sizes` associates present in each."""
    resolution = ResolutionFactory(assembly=GeneralAssemblyFactory(kind=kind))
    colleges = []
    for i, (share, size) in enumerate(zip((10, 47, 43), sizes, strict=True)):
        college = CollegeFactory(vote_share=share, position=i)
        colleges.append(college)
        for _ in range(size):
            attendance = AttendanceFactory(
                assembly=resolution.assembly, associate=admit(college=college), college=college
            )
            set_attendance(attendance=attendance, status="present")
    return colleges, resolution


def test_a_result_that_rounds_to_two_thirds_without_reaching_them_is_rejected(admit):
    colleges, resolution = _three_colleges_of(admit, "extraordinary", (11, 7, 9))
    record_votes(resolution=resolution, counts=counts(colleges, (7, 4, 0), (4, 3, 0), (7, 2, 0)))
    result = tally(resolution=resolution)
    # 10 × 7/11 + 47 × 4/7 + 43 × 7/9 = 66,6652… of 100: 66,67 % rounded, less than two thirds.
    assert result.result_percent == Decimal("66.67")
    assert not result.adopted
    # The minutes show as many decimals as it takes to see why.
    assert result.arithmetic()[-1].endswith(
        "= 66,665\u00a0% des voix exprimées\u00a0; il en faut au moins 66,667\u00a0% (les "
        "deux tiers)\u00a0: résolution rejetée."
    )


def test_a_result_that_rounds_to_half_but_is_more_is_adopted(admit):
    colleges, resolution = _three_colleges_of(admit, "ordinary", (6, 11, 7))
    record_votes(resolution=resolution, counts=counts(colleges, (1, 5, 0), (7, 4, 0), (3, 4, 0)))
    result = tally(resolution=resolution)
    assert result.result_percent == Decimal("50.00")
    assert result.adopted
    assert result.arithmetic()[-1].endswith(
        "= 50,004\u00a0% des voix exprimées\u00a0; il en faut plus de 50,000\u00a0% (la "
        "moitié)\u00a0: résolution adoptée."
    )


def test_exactly_two_thirds_is_adopted_and_printed_to_the_hundredth(admit):
    resolution = ResolutionFactory(assembly=GeneralAssemblyFactory(kind="extraordinary"))
    for _ in range(3):
        attendance = AttendanceFactory(assembly=resolution.assembly, associate=admit())
        set_attendance(attendance=attendance, status="present")
    record_votes(resolution=resolution, counts={None: (2, 1, 0)})
    result = tally(resolution=resolution)
    assert result.adopted
    assert result.arithmetic()[-1] == (
        "Résultat\u00a0: 2 pour / 3 voix exprimées = 66,67\u00a0% des voix exprimées\u00a0; "
        "il en faut au moins 66,67\u00a0%\u00a0: résolution adoptée."
    )


def test_without_colleges_each_associate_has_one_vote(admit):
    resolution = ResolutionFactory()
    for _ in range(3):
        attendance = AttendanceFactory(assembly=resolution.assembly, associate=admit())
        set_attendance(attendance=attendance, status="present")
    record_votes(resolution=resolution, counts={None: (2, 1, 0)})
    result = tally(resolution=resolution)
    assert [c.name for c in result.colleges] == ["Tous les associés"]
    assert result.adopted


def test_a_college_cannot_cast_more_votes_than_its_voters(four_colleges):
    colleges, resolution = four_colleges
    with pytest.raises(ValidationError, match="6 votes pour 5 associés"):
        record_votes(
            resolution=resolution,
            counts=counts(colleges, (6, 0, 0), (0, 0, 0), (0, 0, 0), (0, 0, 0)),
        )


def _sheet(admit, n: int):
    resolution = ResolutionFactory()
    attendances = [
        AttendanceFactory(assembly=resolution.assembly, associate=admit()) for _ in range(n)
    ]
    return resolution, attendances


def test_quorum_of_an_ordinary_assembly_on_first_call_is_a_fifth(admit):
    resolution, sheet = _sheet(admit, 10)
    set_attendance(attendance=sheet[0], status="present")
    state = quorum(assembly=resolution.assembly)
    assert (state.counted, state.convened, state.reached) == (1, 10, False)
    with pytest.raises(ValidationError, match="quorum non atteint"):
        record_votes(resolution=resolution, counts={None: (1, 0, 0)})
    # A proxy counts: 2 of 10 = 20 %.
    set_attendance(attendance=sheet[1], status="represented", proxy_holder=sheet[0].associate)
    state = quorum(assembly=resolution.assembly)
    assert state.reached
    assert state.explanation() == (
        "2 associés présents ou représentés sur 10 convoqués, soit 20,00\u00a0%\u00a0; il en "
        "faut 20,00\u00a0%\u00a0: quorum atteint."
    )


def test_no_quorum_on_second_call_of_an_ordinary_assembly(admit):
    resolution, sheet = _sheet(admit, 10)
    GeneralAssembly.objects.filter(pk=resolution.assembly_id).update(call="second")
    set_attendance(attendance=sheet[0], status="present")
    assert quorum(assembly=GeneralAssembly.objects.get()).reached


def test_proxies_up_to_the_statutes_limit(admit):
    _resolution, sheet = _sheet(admit, 5)
    holder = sheet[0]
    set_attendance(attendance=holder, status="present")
    for giver in sheet[1:3]:  # the limit loaded by the migration: 2
        set_attendance(attendance=giver, status="represented", proxy_holder=holder.associate)
    with pytest.raises(ValidationError, match="recevrait 3 pouvoirs"):
        set_attendance(attendance=sheet[3], status="represented", proxy_holder=holder.associate)


def test_a_represented_associate_holds_no_proxy_and_none_to_oneself(admit):
    _resolution, sheet = _sheet(admit, 3)
    set_attendance(attendance=sheet[0], status="represented", proxy_holder=sheet[1].associate)
    with pytest.raises(ValidationError, match="a donné son propre pouvoir"):
        set_attendance(attendance=sheet[2], status="represented", proxy_holder=sheet[0].associate)
    with pytest.raises(ValidationError, match="lui-même"):
        set_attendance(attendance=sheet[1], status="represented", proxy_holder=sheet[1].associate)


def test_a_proxy_counts_only_when_its_holder_is_present(admit):
    # Issue 19, item 3: two proxies held by an associate marked absent made the quorum.
    resolution, sheet = _sheet(admit, 10)
    holder = sheet[0]
    for giver in sheet[1:3]:
        set_attendance(attendance=giver, status="represented", proxy_holder=holder.associate)
    set_attendance(attendance=holder, status="absent")
    state = quorum(assembly=resolution.assembly)
    assert (state.counted, state.reached) == (0, False)
    name = holder.associate.name
    assert state.fallen_proxies == [
        f"Pouvoir de {giver.associate.name} à {name}\u00a0: non compté, {name} n'est pas présent."
        for giver in sheet[1:3]
    ]
    with pytest.raises(ValidationError, match="quorum non atteint"):
        record_votes(resolution=resolution, counts={None: (2, 0, 0)})
    # The holder comes after all: both proxies count, 3 of 10.
    set_attendance(attendance=holder, status="present")
    state = quorum(assembly=resolution.assembly)
    assert (state.counted, state.fallen_proxies) == (3, [])


def test_proxies_beyond_the_limit_fall_and_the_page_says_why(coordinator_client, admit):
    from django.urls import reverse

    from scic.models import Attendance
    from tests.conftest import text_of

    resolution, sheet = _sheet(admit, 5)
    holder = sheet[0]
    set_attendance(attendance=holder, status="present")
    for giver in sheet[1:3]:
        set_attendance(attendance=giver, status="represented", proxy_holder=holder.associate)
    # A third proxy written past the services (an old sheet, a shell): it falls.
    Attendance.objects.filter(pk=sheet[3].pk).update(
        status="represented", proxy_holder=holder.associate
    )
    state = quorum(assembly=resolution.assembly)
    assert state.counted == 3
    fallen = (
        f"Pouvoir de {sheet[3].associate.name} à {holder.associate.name}\u00a0: non compté, "
        f"{holder.associate.name} détient déjà 2 pouvoirs, le maximum des statuts."
    )
    assert state.fallen_proxies == [fallen]
    page = text_of(
        coordinator_client.get(
            reverse("admin:scic_generalassembly_votes", args=[resolution.assembly_id])
        )
    )
    assert fallen in page
    minutes = text_of(
        coordinator_client.get(
            reverse("admin:scic_generalassembly_minutes", args=[resolution.assembly_id])
        )
    )
    assert fallen in minutes


def test_nobody_in_the_room_is_no_quorum_even_at_zero_percent(admit):
    resolution, sheet = _sheet(admit, 3)
    GeneralAssembly.objects.filter(pk=resolution.assembly_id).update(call="second")
    set_attendance(attendance=sheet[0], status="absent")
    assert not quorum(assembly=GeneralAssembly.objects.get()).reached


def test_a_limit_of_zero_proxies_lets_none_count(admit):
    from scic.models import Rule

    Rule.objects.filter(code="proxy_limit").update(maximum=0)
    resolution, sheet = _sheet(admit, 3)
    with pytest.raises(ValidationError, match="au plus 0 par associé"):
        set_attendance(attendance=sheet[1], status="represented", proxy_holder=sheet[0].associate)
    assert quorum(assembly=resolution.assembly).fallen_proxies == []
