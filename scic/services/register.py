"""Writing the register of associates: admission, subscriptions, payments, transfers,
repayments, corrections and exits. Every function is keyword-only and atomic, and raises
`ValidationError` with a French message; movements are only ever added."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from association.formats import euros
from members.models import Person, Structure
from scic.models import Associate, Category, College, Placement, ShareMovement
from scic.models.register import ZERO

Kind = ShareMovement.Kind


@dataclass(frozen=True)
class Holdings:
    shares: int
    capital: Decimal
    paid_up: Decimal


def holdings(associate: Associate, on: datetime.date | None = None) -> Holdings:
    """What the associate holds at the end of `on` (default today), from their movements (one
    query)."""
    row = (
        Associate.objects.with_holdings(on)
        .filter(pk=associate.pk)
        .values("shares", "capital", "paid_up")[0]
    )
    return Holdings(shares=row["shares"], capital=row["capital"], paid_up=row["paid_up"])


def _who(user) -> str:
    return getattr(user, "get_username", lambda: "")() if user is not None else ""


def _locked(associate: Associate) -> Associate:
    return Associate.objects.select_for_update().get(pk=associate.pk)


def _check_open(associate: Associate, on: datetime.date) -> None:
    if on < associate.entry_date:
        raise ValidationError(
            "Le mouvement ne peut pas précéder l'entrée de l'associé "
            f"({associate.entry_date:%d/%m/%Y})."
        )
    if associate.exit_date is not None and on > associate.exit_date:
        raise ValidationError(
            f"{associate.name} est sorti du registre le {associate.exit_date:%d/%m/%Y}."
        )


def _check_paid_not_above_subscribed(associate: Associate) -> None:
    held = holdings(associate, on=datetime.date.max)  # every movement, those dated later too
    if held.paid_up > held.capital:
        raise ValidationError(
            f"Le capital libéré ({euros(held.paid_up)}) dépasserait le capital souscrit "
            f"({euros(held.capital)})."
        )
    if held.shares < 0 or held.paid_up < 0:
        raise ValidationError(
            "L'associé ne peut pas détenir moins de zéro part ni moins de 0\u00a0€."
        )


def admit_associate(
    *,
    structure: Structure | None = None,
    person: Person | None = None,
    category: Category,
    college: College | None,
    entry_date: datetime.date,
    shares: int,
    share_value: Decimal,
    paid_amount: Decimal,
    note: str = "",
    recorded_by=None,
) -> Associate:
    """Enter a structure or a person in the register with their first subscription."""
    if bool(structure) == bool(person):
        raise ValidationError("Choisissez une structure ou une personne (une seule des deux).")
    with transaction.atomic():
        existing = Associate.objects.for_member(structure=structure, person=person).filter(
            exit_date__isnull=True
        )
        if existing.exists():
            raise ValidationError(
                f"{structure or person} est déjà inscrit au registre (n°\u00a0"
                f"{existing.get().number})."
            )
        number = (Associate.objects.aggregate(last=Max("number"))["last"] or 0) + 1
        associate = Associate(
            number=number,
            structure=structure,
            person=person,
            category=category,
            college=college,
            entry_date=entry_date,
        )
        associate.full_clean()
        associate.save()
        Placement.objects.create(
            associate=associate,
            date=entry_date,
            category=category,
            college=college,
            note="Catégorie et collège à l'entrée.",
            recorded_by=_who(recorded_by),
        )
        subscribe_shares(
            associate=associate,
            on=entry_date,
            shares=shares,
            share_value=share_value,
            paid_amount=paid_amount,
            note=note or "Souscription à l'entrée.",
            recorded_by=recorded_by,
        )
    return associate


def subscribe_shares(
    *,
    associate: Associate,
    on: datetime.date,
    shares: int,
    share_value: Decimal,
    paid_amount: Decimal,
    note: str = "",
    recorded_by=None,
) -> ShareMovement:
    """A subscription of `shares` at `share_value`, of which `paid_amount` is paid now. Whether
    a quarter at least was paid is a check of the dashboard (its threshold is a rule)."""
    if shares <= 0:
        raise ValidationError("Une souscription porte sur au moins une part.")
    if share_value <= 0:
        raise ValidationError("La valeur d'une part est positive.")
    if paid_amount < 0 or paid_amount > shares * share_value:
        raise ValidationError(
            f"Le montant libéré est compris entre 0 et le montant souscrit "
            f"({euros(shares * share_value)})."
        )
    with transaction.atomic():
        associate = _locked(associate)
        _check_open(associate, on)
        return ShareMovement.objects.create(
            associate=associate,
            kind=Kind.SUBSCRIPTION,
            date=on,
            shares=shares,
            share_value=share_value,
            paid_amount=paid_amount,
            note=note,
            recorded_by=_who(recorded_by),
        )


def _last_share_value(associate: Associate) -> Decimal:
    movement = associate.movements.order_by("-date", "-pk").first()
    if movement is None:
        raise ValidationError("Cet associé n'a encore souscrit aucune part.")
    return movement.share_value


def pay_up(
    *, associate: Associate, on: datetime.date, amount: Decimal, note: str = "", recorded_by=None
) -> ShareMovement:
    """A payment towards shares already subscribed (*libération*)."""
    if amount <= 0:
        raise ValidationError("Indiquez un montant versé positif.")
    with transaction.atomic():
        associate = _locked(associate)
        _check_open(associate, on)
        movement = ShareMovement.objects.create(
            associate=associate,
            kind=Kind.PAYMENT,
            date=on,
            shares=0,
            share_value=_last_share_value(associate),
            paid_amount=amount,
            note=note,
            recorded_by=_who(recorded_by),
        )
        _check_paid_not_above_subscribed(associate)
    return movement


def transfer_shares(
    *,
    source: Associate,
    target: Associate,
    on: datetime.date,
    shares: int,
    note: str = "",
    recorded_by=None,
) -> tuple[ShareMovement, ShareMovement]:
    """Fully paid shares go from one associate to another: two movements, written together."""
    if source.pk == target.pk:
        raise ValidationError("Un associé ne se cède pas de parts à lui-même.")
    if shares <= 0:
        raise ValidationError("Une cession porte sur au moins une part.")
    with transaction.atomic():
        # Locked in a fixed order: two transfers the other way round do not deadlock.
        locked = {a.pk: _locked(a) for a in sorted([source, target], key=lambda a: a.pk)}
        source, target = locked[source.pk], locked[target.pk]
        _check_open(source, on)
        _check_open(target, on)
        value = _last_share_value(source)
        held = holdings(source)
        if shares > held.shares:
            raise ValidationError(f"{source.name} ne détient que {held.shares} part(s).")
        if held.paid_up < shares * value:
            raise ValidationError("Seules des parts entièrement libérées se cèdent.")
        amount = shares * value
        out = ShareMovement.objects.create(
            associate=source,
            kind=Kind.TRANSFER_OUT,
            date=on,
            shares=-shares,
            share_value=value,
            paid_amount=-amount,
            counterparty=target,
            note=note,
            recorded_by=_who(recorded_by),
        )
        received = ShareMovement.objects.create(
            associate=target,
            kind=Kind.TRANSFER_IN,
            date=on,
            shares=shares,
            share_value=value,
            paid_amount=amount,
            counterparty=source,
            note=note,
            recorded_by=_who(recorded_by),
        )
    return out, received


def repay_shares(
    *, associate: Associate, on: datetime.date, shares: int, note: str = "", recorded_by=None
) -> ShareMovement:
    """Shares taken back by the cooperative, their paid-up part repaid (a withdrawal, an exit)."""
    if shares <= 0:
        raise ValidationError("Un remboursement porte sur au moins une part.")
    with transaction.atomic():
        associate = _locked(associate)
        value = _last_share_value(associate)
        held = holdings(associate)
        if shares > held.shares:
            raise ValidationError(f"{associate.name} ne détient que {held.shares} part(s).")
        # What was paid on the shares that stay is kept; the rest is repaid.
        staying_capital = held.capital - shares * value
        repaid = max(ZERO, held.paid_up - staying_capital)
        movement = ShareMovement.objects.create(
            associate=associate,
            kind=Kind.REPAYMENT,
            date=on,
            shares=-shares,
            share_value=value,
            paid_amount=-repaid,
            note=note,
            recorded_by=_who(recorded_by),
        )
    return movement


def correct_movement(
    *,
    movement: ShareMovement,
    on: datetime.date,
    shares: int,
    paid_amount: Decimal,
    note: str,
    recorded_by=None,
) -> ShareMovement:
    """Fix a movement by adding the difference (signed `shares` and `paid_amount`): the wrong
    line stays in the register, with its correction beside it."""
    if not note.strip():
        raise ValidationError("Indiquez le motif de la correction.")
    if shares == 0 and paid_amount == 0:
        raise ValidationError("Une correction change le nombre de parts ou le montant libéré.")
    with transaction.atomic():
        associate = _locked(movement.associate)
        correction = ShareMovement.objects.create(
            associate=associate,
            kind=Kind.CORRECTION,
            date=on,
            shares=shares,
            share_value=movement.share_value,
            paid_amount=paid_amount,
            corrects=movement,
            note=note.strip(),
            recorded_by=_who(recorded_by),
        )
        _check_paid_not_above_subscribed(associate)
    return correction


def record_exit(
    *,
    associate: Associate,
    on: datetime.date,
    reason: str,
    note: str = "",
    repay: bool = True,
    recorded_by=None,
) -> Associate:
    """An associate leaves: the date and reason are entered, and their remaining shares are
    repaid (unless `repay` is off, when they were transferred beforehand)."""
    if reason not in Associate.ExitReason.values:
        raise ValidationError("Choisissez le motif de la sortie.")
    with transaction.atomic():
        associate = _locked(associate)
        if associate.exit_date is not None:
            raise ValidationError(
                f"{associate.name} est déjà sorti du registre le {associate.exit_date:%d/%m/%Y}."
            )
        if on < associate.entry_date:
            raise ValidationError("La date de sortie suit la date d'entrée.")
        left = holdings(associate).shares
        if left and repay:
            repay_shares(
                associate=associate,
                on=on,
                shares=left,
                note=note or "Remboursement à la sortie.",
                recorded_by=recorded_by,
            )
        elif left:
            raise ValidationError(
                f"{associate.name} détient encore {left} part(s)\u00a0: cédez-les ou "
                "remboursez-les avant la sortie."
            )
        associate.exit_date = on
        associate.exit_reason = reason
        associate.exit_note = note
        associate.save(update_fields=["exit_date", "exit_reason", "exit_note"])
    return associate


def change_placement(
    *,
    associate: Associate,
    on: datetime.date,
    category: Category,
    college: College | None,
    note: str,
    recorded_by=None,
) -> Placement:
    """A change of category or college, dated and written as a new entry of the register
    (never an edit): the register printed for an earlier date keeps the former ones."""
    if not note.strip():
        raise ValidationError("Indiquez le motif du changement (décision, pièce).")
    with transaction.atomic():
        associate = _locked(associate)
        _check_open(associate, on)
        if college is None and College.objects.exists():
            raise ValidationError("Les statuts prévoient des collèges\u00a0: choisissez-en un.")
        current = associate.placements.on(on).first()
        if current is not None and (current.category_id, current.college_id) == (
            category.pk,
            college.pk if college else None,
        ):
            raise ValidationError(
                f"Au {on:%d/%m/%Y}, {associate.name} est déjà dans cette catégorie et ce collège."
            )
        placement = Placement.objects.create(
            associate=associate,
            date=on,
            category=category,
            college=college,
            note=note.strip(),
            recorded_by=_who(recorded_by),
        )
        latest = associate.placements.order_by("-date", "-pk").first()
        associate.category_id, associate.college_id = latest.category_id, latest.college_id
        associate.save(update_fields=["category", "college"])
    return placement


@dataclass(frozen=True)
class SuggestedPlacement:
    category: Category | None
    college: College | None


def suggest_placement(*, structure_kind: str) -> SuggestedPlacement:
    """The category and college suggested for a structure of this kind (`Structure.Kind`):
    the first whose « suggested for » lists it; otherwise the law's « others » category and no
    college. The coordinator confirms on the register's form."""
    categories = list(Category.objects.all())
    category = next(
        (c for c in categories if structure_kind in c.suggested_structure_kinds), None
    ) or next((c for c in categories if c.legal_kind == Category.LegalKind.OTHERS), None)
    college = next(
        (c for c in College.objects.all() if structure_kind in c.suggested_structure_kinds), None
    )
    return SuggestedPlacement(category=category, college=college)
