import datetime
from decimal import Decimal

import pytest

from scic.models import Category
from scic.services.register import admit_associate
from tests.factories import PersonFactory, StructureFactory, category

Kind = Category.LegalKind


@pytest.fixture
def admit(db):
    """Enter an associate (a new structure, or a person) with a first subscription."""

    def build(
        legal_kind: str = Kind.BENEFICIARIES,
        *,
        shares: int = 1,
        value: str = "100",
        paid: str | None = None,
        college=None,
        person: bool = False,
        on: datetime.date = datetime.date(2025, 1, 15),
        **member,
    ):
        if person:
            member.setdefault("person", PersonFactory())
        else:
            member.setdefault("structure", StructureFactory())
        value = Decimal(value)
        return admit_associate(
            **member,
            category=category(legal_kind),
            college=college,
            entry_date=on,
            shares=shares,
            share_value=value,
            paid_amount=Decimal(paid) if paid is not None else shares * value,
        )

    return build


@pytest.fixture
def founders(admit):
    """A register that meets every rule: employees, beneficiaries, a local authority."""
    return [
        admit(Kind.EMPLOYEES, person=True),
        admit(Kind.BENEFICIARIES, shares=2),
        admit(Kind.PUBLIC_AUTHORITIES, shares=3),
    ]


@pytest.fixture(autouse=True)
def _legal_rules(legal_rules):
    """Every SCIC test reads the rules the data migrations load (tests/conftest.py)."""
