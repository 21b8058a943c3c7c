"""The register: movements through the services, append-only at every level, exports."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, transaction

from scic.exports import register_csv
from scic.models import Associate, Category, ShareMovement
from scic.services import register as services

pytestmark = pytest.mark.django_db
Kind = Category.LegalKind
LATER = datetime.date(2025, 6, 1)


def test_admission_numbers_and_subscribes(admit):
    first = admit(shares=3, value="50", paid="50")
    second = admit()
    assert (first.number, second.number) == (1, 2)
    held = services.holdings(first)
    assert (held.shares, held.capital, held.paid_up) == (3, Decimal("150"), Decimal("50"))


def test_a_member_is_entered_once_while_present(admit):
    associate = admit()
    with pytest.raises(ValidationError, match="déjà inscrit"):
        admit(structure=associate.structure)


def test_payment_transfer_repayment_and_exit(admit):
    giver = admit(shares=4, value="100", paid="400")
    taker = admit()
    services.transfer_shares(source=giver, target=taker, on=LATER, shares=1)
    assert services.holdings(giver).shares == 3
    assert services.holdings(taker).paid_up == Decimal("200")
    services.record_exit(associate=giver, on=LATER, reason="resignation")
    giver.refresh_from_db()
    assert giver.exit_date == LATER
    assert services.holdings(giver) == services.Holdings(0, Decimal(0), Decimal(0))
    assert list(giver.movements.values_list("kind", flat=True)) == [
        "subscription",
        "transfer_out",
        "repayment",
    ]


def test_paying_more_than_subscribed_is_refused(admit):
    associate = admit(shares=2, value="100", paid="150")
    services.pay_up(associate=associate, on=LATER, amount=Decimal("50"))
    with pytest.raises(ValidationError, match="dépasserait"):
        services.pay_up(associate=associate, on=LATER, amount=Decimal("0.01"))
    assert services.holdings(associate).paid_up == Decimal("200")


def test_only_fully_paid_shares_are_transferred(admit):
    giver = admit(shares=4, value="100", paid="100")
    with pytest.raises(ValidationError, match="entièrement libérées"):
        services.transfer_shares(source=giver, target=admit(), on=LATER, shares=2)


def test_a_correction_is_a_new_movement_beside_the_wrong_one(admit):
    associate = admit(shares=5, value="100", paid="500")
    wrong = associate.movements.get()
    services.correct_movement(
        movement=wrong, on=LATER, shares=-1, paid_amount=Decimal("-100"), note="4 parts, pas 5"
    )
    assert associate.movements.count() == 2
    assert services.holdings(associate).shares == 4
    wrong.refresh_from_db()
    assert wrong.shares == 5  # untouched


def test_a_movement_cannot_be_saved_again_nor_deleted(admit):
    movement = admit().movements.get()
    movement.shares = 10
    with pytest.raises(ValidationError, match="ajout seul"):
        movement.save()
    with pytest.raises(ValidationError, match="ajout seul"):
        movement.delete()
    with pytest.raises(ValidationError):
        ShareMovement.objects.filter(pk=movement.pk).update(shares=10)
    with pytest.raises(ValidationError):
        ShareMovement.objects.all().delete()


def test_the_database_refuses_an_update_or_a_delete(admit):
    movement = admit().movements.get()
    table = ShareMovement._meta.db_table
    for statement in (f"UPDATE {table} SET shares = 10", f"DELETE FROM {table}"):
        with (
            pytest.raises(DatabaseError, match="ajout seul"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(statement)
    movement.refresh_from_db()
    assert movement.shares == 1


@pytest.mark.skipif(connection.vendor != "postgresql", reason="TRUNCATE is PostgreSQL's")
def test_the_database_refuses_to_truncate_the_movements(admit):
    admit()
    with (
        pytest.raises(DatabaseError, match="ajout seul"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        # The test's transaction holds deferred foreign-key checks, which TRUNCATE refuses.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE {ShareMovement._meta.db_table} CASCADE")
    assert ShareMovement.objects.count() == 1


def test_an_associate_with_movements_cannot_be_deleted(admit):
    from django.db.models import ProtectedError

    associate = admit()
    with pytest.raises(ProtectedError), transaction.atomic():
        associate.delete()


def test_the_csv_opens_in_french_excel_with_formulas_defused(admit):
    from members.models import Structure

    admit(
        structure=Structure.objects.create(name="=HYPERLINK(1)", slug="piege"),
        shares=3,
        value="1250",
        paid="3750",
    )
    content = register_csv(Associate.objects.all()).content.decode("utf-8")
    assert content.startswith("\ufeffN°;Associé;")
    assert "'=HYPERLINK(1)" in content
    assert ";3750,00;3750,00;15/01/2025;" in content


def test_erasing_an_associate_keeps_the_register_line_anonymised(admit):
    from members.services.personal_data import (
        erase_person,
        export_person_data,
        plan_person_erasure,
    )

    associate = admit(person=True)
    person = associate.person
    assert export_person_data(person=person)["registre des associés"]
    assert plan_person_erasure(person=person).kept == {"registre des associés": 1}
    erase_person(person=person)
    associate.refresh_from_db()
    assert associate.person.anonymised_at is not None
    assert associate.name.startswith("Personne anonymisée")
    assert associate.movements.count() == 1
