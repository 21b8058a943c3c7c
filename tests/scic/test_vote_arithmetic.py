# ruff: noqa: RUF003 (the worked cases are written with « ×», the French multiplication sign)
"""The vote and quorum arithmetic, twice: a table of worked cases whose results are written by
hand, and a property-based test against a deliberately plain second computation written
here, over random colleges (10 to 50 % each), attendance, proxies and votes."""

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.exceptions import ValidationError
from django.db import transaction
from hypothesis import event, given
from hypothesis import strategies as st

from scic.models import Attendance
from scic.services.assembly import quorum
from scic.services.votes import record_votes, tally
from tests.factories import (
    AssociateFactory,
    AttendanceFactory,
    CollegeFactory,
    GeneralAssemblyFactory,
    ResolutionFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _assembly(kind: str, shares: list[int] | None, present: list[int], call: str = "first"):
    """An assembly whose colleges (None: no colleges) have `present[i]` associates present
    and one more convened who stays absent."""
    resolution = ResolutionFactory(assembly=GeneralAssemblyFactory(kind=kind, call=call))
    colleges = (
        [CollegeFactory(vote_share=share, position=i) for i, share in enumerate(shares)]
        if shares
        else [None]
    )
    for college, n in zip(colleges, present, strict=True):
        for i in range(n + 1):
            AttendanceFactory(
                assembly=resolution.assembly,
                associate=AssociateFactory(college=college),
                status="present" if i < n else "absent",
            )
    return resolution, colleges


# kind, college shares (None: no colleges), votes per college (for, against, abstentions),
# the result to the hundredth as the minutes print it (None: nothing cast), adopted.
WORKED_CASES = [
    pytest.param("ordinary", None, [(6, 4, 0)], "60.00", True, id="ordinary-6-4"),
    pytest.param("extraordinary", None, [(6, 4, 0)], "60.00", False, id="extraordinary-6-4"),
    pytest.param("extraordinary", None, [(2, 1, 5)], "66.67", True, id="extraordinary-2-1"),
    pytest.param("ordinary", None, [(5, 5, 0)], "50.00", False, id="ordinary-tie"),
    pytest.param("ordinary", None, [(0, 0, 4)], None, False, id="all-abstain"),
    # 50 × 3/4 + 30 × 0/2 + 20 × 1/2 = 37.5 + 0 + 10 = 47.5 of 100.
    pytest.param(
        "ordinary", [50, 30, 20], [(3, 1, 0), (0, 2, 0), (1, 1, 1)], "47.50", False, id="colleges"
    ),
    # The third college is absent: 40 × 2/2 + 30 × 1/3 = 50 of 70.
    pytest.param(
        "ordinary",
        [40, 30, 30],
        [(2, 0, 0), (1, 2, 0), (0, 0, 0)],
        "71.43",
        True,
        id="a-college-absent",
    ),
    # 40 × 4/5 + 30 × 2/3 + 30 × 3/3 = 32 + 20 + 30 = 82 of 100.
    pytest.param(
        "extraordinary",
        [40, 30, 30],
        [(4, 1, 0), (2, 1, 0), (3, 0, 0)],
        "82.00",
        True,
        id="extraordinary-colleges",
    ),
    # A college split 6 to 4 is 60 % for, not the whole college: 40 × 6/10 + 30 + 0 = 54 of 100.
    pytest.param(
        "extraordinary",
        [40, 30, 30],
        [(6, 4, 0), (1, 0, 0), (0, 1, 0)],
        "54.00",
        False,
        id="extraordinary-split-college",
    ),
    # Weighted tie: 50 × 1/2 + 25 × 1 + 25 × 0 = 50 of 100.
    pytest.param(
        "ordinary",
        [50, 25, 25],
        [(1, 1, 0), (1, 0, 0), (0, 1, 0)],
        "50.00",
        False,
        id="weighted-tie",
    ),
    # Rounded, 66,67 %; exactly, 10 × 7/11 + 47 × 4/7 + 43 × 7/9 = 66,6652… of 100, less than
    # two thirds.
    pytest.param(
        "extraordinary",
        [10, 47, 43],
        [(7, 4, 0), (4, 3, 0), (7, 2, 0)],
        "66.67",
        False,
        id="just-below-two-thirds",
    ),
    # Rounded, 50,00 %; exactly, 10 × 1/6 + 47 × 7/11 + 43 × 3/7 = 50,0043… of 100, more than
    # half.
    pytest.param(
        "ordinary",
        [10, 47, 43],
        [(1, 5, 0), (7, 4, 0), (3, 4, 0)],
        "50.00",
        True,
        id="just-above-half",
    ),
]


@pytest.mark.parametrize(("kind", "shares", "votes", "expected", "adopted"), WORKED_CASES)
def test_worked_cases(kind, shares, votes, expected, adopted):
    present = [max(sum(v), 1) for v in votes]
    if shares and votes[-1] == (0, 0, 0):
        present[-1] = 0  # the college absent: nobody of it in the room
    resolution, colleges = _assembly(kind, shares, present)
    record_votes(
        resolution=resolution,
        counts={c.pk if c else None: v for c, v in zip(colleges, votes, strict=True) if sum(v)},
    )
    result = tally(resolution=resolution)
    assert result.result_percent == (Decimal(expected) if expected else None)
    assert result.adopted is adopted


# --- The plain computation ---------------------------------------------------------------------

QUORUM = {
    ("ordinary", "first"): 20,
    ("ordinary", "second"): 0,
    ("extraordinary", "first"): 25,
    ("extraordinary", "second"): 20,
}
PROXY_LIMIT = 2


def plain_counted(people, lines: int):
    """people: [(line, status, holder index or None)] in the order the proxies were given.
    A proxy counts when its holder is present and holds fewer than the limit."""
    counted = [0] * lines
    held = {}
    for line, status, _holder in people:
        if status == "present":
            counted[line] += 1
    for line, status, holder in people:
        holder_came = status == "represented" and people[holder][1] == "present"
        if holder_came and held.get(holder, 0) < PROXY_LIMIT:
            held[holder] = held.get(holder, 0) + 1
            counted[line] += 1
    return counted


def plain_result(kind, weights, votes):
    """Each line's votes for over votes cast, weighted, over the weights of the lines that
    cast votes; in hundredths, half up, as printed; compared exactly to the majority (more
    than a half, at least two thirds)."""
    top = bottom = Fraction(0)
    for weight, (votes_for, against, _abstentions) in zip(weights, votes, strict=True):
        if votes_for + against:
            top += Fraction(weight) * Fraction(votes_for, votes_for + against)
            bottom += Fraction(weight)
    if not bottom:
        return None, False
    hundredths = math.floor(top / bottom * 10000 + Fraction(1, 2))
    if kind == "ordinary":
        return hundredths, top / bottom > Fraction(1, 2)
    return hundredths, top / bottom >= Fraction(2, 3)


@st.composite
def sittings(draw):
    with_colleges = draw(st.booleans())
    if with_colleges:
        weights = draw(
            st.lists(
                st.integers(min_value=1000, max_value=5000).map(lambda n: Decimal(n) / 100),
                min_size=3,
                max_size=5,
            )
        )
    else:
        weights = [None]
    people = []
    for line in range(len(weights)):
        for _ in range(draw(st.integers(min_value=0 if with_colleges else 1, max_value=4))):
            people.append([line, draw(st.sampled_from(["present", "absent", "invited"])), None])
    # Some give a proxy to someone else (present or not, within the limit or not).
    if len(people) > 1:
        for index in draw(st.sets(st.integers(0, len(people) - 1), max_size=len(people) // 2)):
            holder = draw(st.integers(0, len(people) - 1).filter(lambda h, i=index: h != i))
            people[index][1:] = ["represented", holder]
    return {
        "kind": draw(st.sampled_from(["ordinary", "extraordinary"])),
        "call": draw(st.sampled_from(["first", "second"])),
        "weights": weights,
        "people": [tuple(p) for p in people],
        "seed": draw(st.randoms(use_true_random=False)),
    }


class _Rollback(Exception):
    pass


@given(sitting=sittings())
def test_quorum_and_result_match_a_plain_computation(sitting):
    try:
        with transaction.atomic():
            _check_sitting(**sitting)
            raise _Rollback
    except _Rollback:
        pass


def _check_sitting(kind, call, weights, people, seed):
    resolution = ResolutionFactory(assembly=GeneralAssemblyFactory(kind=kind, call=call))
    colleges = [CollegeFactory(vote_share=w) if w is not None else None for w in weights]
    attendances = [
        AttendanceFactory(
            assembly=resolution.assembly,
            associate=AssociateFactory(college=colleges[line]),
            status="present" if status == "represented" else status,
        )
        for line, status, _holder in people
    ]
    # The proxies, in this order, written as the sheet stands at the end of the day.
    for attendance, (_line, status, holder) in zip(attendances, people, strict=True):
        if status == "represented":
            Attendance.objects.filter(pk=attendance.pk).update(
                status="represented", proxy_holder=attendances[holder].associate
            )
    counted = plain_counted(people, len(weights))
    convened = len(people)
    total = sum(counted)
    reached = total > 0 and total * 100 >= QUORUM[(kind, call)] * convened
    state = quorum(assembly=resolution.assembly)
    assert (state.convened, state.counted, state.reached) == (convened, total, reached)
    by_line = {line.key: line.counted for line in state.colleges}
    for line, college in enumerate(colleges):
        if any(p[0] == line for p in people):
            assert by_line[college.pk if college else None] == counted[line]
    votes = []
    for n in counted:
        votes_for = seed.randint(0, n)
        against = seed.randint(0, n - votes_for)
        votes.append((votes_for, against, seed.randint(0, n - votes_for - against)))
    lines = {c.pk if c else None: v for c, v in zip(colleges, votes, strict=True) if sum(v)}
    event("quorum reached" if reached else "quorum not reached")
    if not reached:
        with pytest.raises(ValidationError, match="quorum non atteint"):
            record_votes(resolution=resolution, counts=lines)
        return
    record_votes(resolution=resolution, counts=lines)
    expected, adopted = plain_result(kind, [w or 1 for w in weights], votes)
    result = tally(resolution=resolution)
    event("adopted" if adopted else "not adopted")
    assert result.result_percent == (Decimal(expected) / 100 if expected is not None else None)
    assert result.adopted is adopted
    # One vote more than a line's voters is refused.
    for college, n in zip(colleges, counted, strict=True):
        with pytest.raises(ValidationError, match="un associé, une voix"):
            record_votes(
                resolution=resolution, counts={college.pk if college else None: (n + 1, 0, 0)}
            )
