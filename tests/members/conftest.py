import datetime
from decimal import Decimal

import pytest

from tests.factories import MembershipFactory, PersonFactory, StructureFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

CHANGELIST = "admin:members_membership_changelist"
EXPORT = "admin:members_membership_export"
IMPORT = "admin:members_membership_import"
NOW = datetime.datetime(2025, 10, 7, 10, 0, tzinfo=datetime.UTC)
FIELDS = ["year", "structure", "person", "person_name", "status", "fee", "paid_on",
          "payment_method", "notes"]  # fmt: skip


@pytest.fixture
def memberships(db):
    apei = StructureFactory(name="APEI Hénin-Carvin", slug="apei")
    adds = StructureFactory(name="ADDS", slug="adds")
    person = PersonFactory(
        first_name="Odette", last_name="Dauchet", email="o.dauchet@die.fr", structure=None
    )
    return [
        MembershipFactory(
            structure=apei, year=2025, status="active", fee=Decimal("50.00"),
            paid_on=datetime.date(2025, 3, 14), payment_method="transfer",
        ),
        MembershipFactory(structure=adds, year=2024, status="active", fee=Decimal("30"),
                          payment_method="cheque"),
        MembershipFactory(structure=None, person=person, year=2025, status="pending",
                          notes="=HYPERLINK(\"http://x\")"),
    ]  # fmt: skip


@pytest.fixture
def member_file(db):
    StructureFactory(name="APEI Hénin-Carvin", slug="apei")
    StructureFactory(name="Compagnons Bâtisseurs", slug="cb")
    PersonFactory(first_name="Odette", last_name="Dauchet", email="o.dauchet@die.fr")
