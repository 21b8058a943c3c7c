"""Reading the register of associates as it stood on a date: each associate's category and
college from their dated entries, their holdings as their movements add up (corrections
included), and each subscription with the corrections made to it since. The printed register,
its CSV and the statutory checks all read it here, so no two of them can disagree.

Three queries whatever the size of the register; the sums are made in Python, in one place."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone

from scic.models import Associate, Category, College, Placement, ShareMovement

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Subscription:
    """A subscription with the corrections made to it (a correction of a correction counts
    too): the shares and the amount paid at subscription as the register now reads them."""

    movement: ShareMovement
    shares: int
    amount: Decimal
    paid: Decimal

    @property
    def associate(self) -> Associate:
        return self.movement.associate

    @property
    def date(self) -> datetime.date:
        return self.movement.date


@dataclass
class RegisterLine:
    """One associate on the statement's date."""

    associate: Associate
    category: Category
    college: College | None
    present: bool
    shares: int = 0
    capital: Decimal = ZERO
    paid_up: Decimal = ZERO
    last_paid_on: datetime.date | None = None

    @property
    def number(self) -> int:
        return self.associate.number

    @property
    def name(self) -> str:
        return self.associate.name

    @property
    def exit_date(self) -> datetime.date | None:
        return self.associate.exit_date if not self.present else None


@dataclass
class RegisterStatement:
    on: datetime.date
    lines: list[RegisterLine]
    movements: list[ShareMovement]
    subscriptions: list[Subscription] = field(default_factory=list)
    placements: list[Placement] = field(default_factory=list)

    @property
    def present(self) -> list[RegisterLine]:
        return [line for line in self.lines if line.present]

    @property
    def totals(self) -> dict:
        present = self.present
        return {
            "shares": sum(line.shares for line in present),
            "capital": sum((line.capital for line in present), ZERO),
            "paid_up": sum((line.paid_up for line in present), ZERO),
        }

    def line_of(self, associate: Associate) -> RegisterLine | None:
        return next((line for line in self.lines if line.associate.pk == associate.pk), None)


def _root(movement_pk: int, corrects: dict[int, int | None]) -> int:
    """The movement a chain of corrections goes back to."""
    seen = set()
    while corrects.get(movement_pk) is not None and movement_pk not in seen:
        seen.add(movement_pk)
        movement_pk = corrects[movement_pk]
    return movement_pk


def register_on(on: datetime.date | None = None) -> RegisterStatement:
    """The register as it stood at the end of `on` (default today): the associates entered by
    then (those gone before marked not present), the movements dated by then."""
    on = on or timezone.localdate()
    associates = list(
        Associate.objects.filter(entry_date__lte=on)
        .select_related("structure", "person", "category", "college")
        .order_by("number")
    )
    placements, history = {}, []
    for placement in (
        Placement.objects.on(on)
        .filter(associate__in=[a.pk for a in associates])
        .select_related("category", "college")
    ):
        placements.setdefault(placement.associate_id, placement)
        history.append(placement)
    lines = {}
    for associate in associates:
        placement = placements.get(associate.pk)
        lines[associate.pk] = RegisterLine(
            associate=associate,
            # An associate entered before the dated entries existed: their record's own.
            category=placement.category if placement else associate.category,
            college=(placement.college if placement else associate.college),
            present=associate.exit_date is None or associate.exit_date > on,
        )
    movements = list(
        ShareMovement.objects.filter(date__lte=on, associate__in=list(lines))
        .select_related(
            "associate__structure",
            "associate__person",
            "counterparty__structure",
            "counterparty__person",
        )
        .order_by("date", "pk")
    )
    corrects = {m.pk: m.corrects_id for m in movements}
    corrections = defaultdict(list)
    for movement in movements:
        line = lines[movement.associate_id]
        line.shares += movement.shares
        line.capital += movement.amount
        line.paid_up += movement.paid_amount
        if movement.paid_amount > 0:
            line.last_paid_on = max(line.last_paid_on or movement.date, movement.date)
        if movement.corrects_id is not None:
            corrections[_root(movement.pk, corrects)].append(movement)
    subscriptions = []
    for movement in movements:
        if movement.kind != ShareMovement.Kind.SUBSCRIPTION:
            continue
        fixes = corrections.get(movement.pk, [])
        subscriptions.append(
            Subscription(
                movement=movement,
                shares=movement.shares + sum(fix.shares for fix in fixes),
                amount=movement.amount + sum((fix.amount for fix in fixes), ZERO),
                paid=movement.paid_amount + sum((fix.paid_amount for fix in fixes), ZERO),
            )
        )
    for placement in history:
        placement.associate = lines[placement.associate_id].associate
    return RegisterStatement(
        on=on,
        lines=list(lines.values()),
        movements=movements,
        subscriptions=subscriptions,
        placements=sorted(history, key=lambda p: (p.date, p.pk)),
    )
