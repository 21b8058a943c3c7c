"""Issue 19: statutory records that hold — past minutes that never change, replies that close,
a register whose corrections every check reads, dated categories and colleges, the legal
form in force on each document's date."""

import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from association.models import LegalStatus, SiteIdentity
from scic.models import Associate, Category, College, Placement, Rule
from scic.services.assembly import set_attendance
from scic.services.convocations import reply_token
from scic.services.register import change_placement, correct_movement
from scic.services.votes import record_votes
from tests.conftest import text_of
from tests.factories import (
    AttendanceFactory,
    CollegeFactory,
    GeneralAssemblyFactory,
    ResolutionFactory,
    category,
)

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]
Kind = Category.LegalKind
PARIS = ZoneInfo("Europe/Paris")


# --- Item 2: past results never change -------------------------------------------------------


@pytest.fixture
def decided(admit):
    """An ordinary assembly held: colleges of 60 and 40 %, two associates each, all present;
    the 60 % for, the 40 % against: adopted (60 / 100)."""
    first = CollegeFactory(name="Salariés", vote_share=60, position=1)
    second = CollegeFactory(name="Bénéficiaires", vote_share=40, position=2)
    resolution = ResolutionFactory(title="Approbation des comptes 2025")
    members = {first: [], second: []}
    for college in (first, second):
        for _ in range(2):
            associate = admit(college=college)
            members[college].append(associate)
            attendance = AttendanceFactory(
                assembly=resolution.assembly, associate=associate, college=college
            )
            set_attendance(attendance=attendance, status="present")
    record_votes(resolution=resolution, counts={first.pk: (2, 0, 0), second.pk: (0, 2, 0)})
    return resolution, first, second, members


def minutes(client, assembly):
    return text_of(client.get(reverse("admin:scic_generalassembly_minutes", args=[assembly.pk])))


def test_editing_colleges_rules_and_associates_never_changes_past_minutes(
    coordinator_client, decided
):
    resolution, first, second, members = decided
    before = minutes(coordinator_client, resolution.assembly)
    assert "60,00 / 100,00 = 60,00\u00a0% des voix exprimées" in before
    assert "La résolution est adoptée." in before
    # The case: the shares swapped 60/40 → 40/60 after the assembly.
    College.objects.filter(pk=first.pk).update(vote_share=40, name="Collège renommé")
    College.objects.filter(pk=second.pk).update(vote_share=60)
    CollegeFactory(name="Nouveau collège", vote_share=10)
    Rule.objects.filter(code="majority_ordinary").update(minimum=90)
    Rule.objects.filter(code="quorum_ordinary_first").update(minimum=100, reference="Autre")
    Rule.objects.filter(code="proxy_limit").update(maximum=0)
    for associate in members[first]:
        change_placement(
            associate=associate,
            on=datetime.date(2026, 7, 1),
            category=category(Kind.OTHERS),
            college=second,
            note="Changement de collège décidé après l'assemblée.",
        )
    # Even a change back-dated to before the assembly: the college of the day stays frozen.
    change_placement(
        associate=members[second][0],
        on=datetime.date(2025, 2, 1),
        category=category(Kind.EMPLOYEES),
        college=first,
        note="Régularisation.",
    )
    identity = SiteIdentity.load()
    LegalStatus.objects.create(
        identity=identity, since=datetime.date(2027, 1, 1), form=LegalStatus.Form.SCIC_SAS
    )
    after = minutes(coordinator_client, resolution.assembly)
    assert after == before


def test_an_assembly_not_yet_opened_reads_todays_settings(admit):
    from scic.services.assembly import assembly_rules

    assembly = GeneralAssemblyFactory()
    Rule.objects.filter(code="majority_ordinary").update(minimum=60)
    assert assembly_rules(assembly).majority_threshold == 60
    assert not assembly_rules(assembly).frozen


def test_the_assembly_page_locks_its_kind_once_the_sitting_opened(coordinator_client, decided):
    resolution = decided[0]
    page = text_of(
        coordinator_client.get(
            reverse("admin:scic_generalassembly_change", args=[resolution.assembly_id])
        )
    )
    assert 'name="kind"' not in page
    assert "Présences prises le" in page or "présences prises le" in page


# --- Item 4: replies close; nothing is recorded before the day ---------------------------------


@pytest.fixture
def tomorrow_evening(admit):
    """An assembly on Thursday 14 January 2027 at 18 h, three associates convened."""
    assembly = GeneralAssemblyFactory(
        date=datetime.date(2027, 1, 14), start_time=datetime.time(18, 0)
    )
    sheet = [AttendanceFactory(assembly=assembly, associate=admit()) for _ in range(3)]
    resolution = ResolutionFactory(assembly=assembly)
    return resolution, sheet


@time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS), tick=False)
def test_no_attendance_nor_votes_before_the_assemblys_date(tomorrow_evening, coordinator_client):
    resolution, sheet = tomorrow_evening
    with pytest.raises(ValidationError, match="pas avant"):
        set_attendance(attendance=sheet[0], status="present")
    with pytest.raises(ValidationError, match="pas avant"):
        record_votes(resolution=resolution, counts={None: (1, 0, 0)})
    # The votes page refuses it too, saying why.
    response = coordinator_client.post(
        reverse("admin:scic_generalassembly_votes", args=[resolution.assembly_id]),
        {"resolution": resolution.pk, "for-all": "1", "against-all": "0"},
    )
    assert "jeudi 14\u00a0janvier 2027\u00a0: les présences et les votes s'enregistrent ce " in (
        text_of(response)
    )
    resolution.assembly.refresh_from_db()
    assert resolution.assembly.sitting_opened_at is None
    # An associate's own reply is still welcome.
    set_attendance(attendance=sheet[0], status="present", from_reply=True)


def test_replies_close_when_attendance_is_taken(tomorrow_evening):
    _resolution, sheet = tomorrow_evening
    url = reverse("scic:reply", args=[reply_token(sheet[1])])
    with time_machine.travel(datetime.datetime(2027, 1, 14, 17, 30, tzinfo=PARIS), tick=False):
        set_attendance(attendance=sheet[0], status="present")  # the coordinator, on the day
        response = Client().post(url, {"status": "absent"})
        assert "les réponses sont closes" in text_of(response)
        sheet[1].refresh_from_db()
        assert sheet[1].status == "invited"
        assert "les réponses sont closes" in text_of(Client().get(url))


def test_replies_close_at_the_assemblys_start(tomorrow_evening):
    _resolution, sheet = tomorrow_evening
    url = reverse("scic:reply", args=[reply_token(sheet[1])])
    with time_machine.travel(datetime.datetime(2027, 1, 14, 17, 59, tzinfo=PARIS), tick=False):
        assert Client().post(url, {"status": "present"}).status_code == 302
    with time_machine.travel(datetime.datetime(2027, 1, 14, 18, 0, tzinfo=PARIS), tick=False):
        Client().post(url, {"status": "absent"})
    sheet[1].refresh_from_db()
    assert sheet[1].status == "present"


@time_machine.travel(datetime.datetime(2026, 12, 7, 10, 0, tzinfo=PARIS), tick=False)
def test_the_attendance_sheet_of_the_back_office_waits_for_the_day(
    tomorrow_evening, coordinator_client, coordinator
):
    resolution, sheet = tomorrow_evening
    assembly = resolution.assembly
    url = reverse("admin:scic_generalassembly_change", args=[assembly.pk])
    data = {
        "title": assembly.title,
        "kind": assembly.kind,
        "call": assembly.call,
        "agenda": assembly.agenda,
        "date": "2027-01-14",
        "start_time": "18:00",
        "resolutions-TOTAL_FORMS": "1",
        "resolutions-INITIAL_FORMS": "1",
        "resolutions-0-id": resolution.pk,
        "resolutions-0-assembly": assembly.pk,
        "resolutions-0-number": resolution.number,
        "resolutions-0-title": resolution.title,
        "attendances-TOTAL_FORMS": "3",
        "attendances-INITIAL_FORMS": "3",
    }
    for i, attendance in enumerate(sheet):
        data[f"attendances-{i}-id"] = attendance.pk
        data[f"attendances-{i}-assembly"] = assembly.pk
        data[f"attendances-{i}-status"] = "present" if i == 0 else "invited"
    response = coordinator_client.post(url, data)
    assert response.status_code == 200
    assert "les présences et les votes s'enregistrent ce jour-là" in text_of(response)
    sheet[0].refresh_from_db()
    assert sheet[0].status == "invited"
    with time_machine.travel(datetime.datetime(2027, 1, 14, 18, 30, tzinfo=PARIS), tick=False):
        coordinator_client.force_login(coordinator)  # a new session on the day
        response = coordinator_client.post(url, data)
        assert response.status_code == 302, text_of(response)
        assert response["Location"] == reverse("admin:scic_generalassembly_changelist")
    sheet[0].refresh_from_db()
    assembly.refresh_from_db()
    assert sheet[0].status == "present"
    assert assembly.sitting_opened_at is not None
    assert assembly.frozen_rules["quorum_required"] == "20.00"


# --- Item 5: the checks read the register as its movements add up ------------------------------


def test_a_correction_is_read_by_the_check_of_the_admin_home(coordinator_client, founders):
    response = coordinator_client.post(
        reverse("admin:scic_associate_add"),
        {
            "structure": founders[1].structure_id and _new_structure().pk,
            "category": category(Kind.BENEFICIARIES).pk,
            "entry_date": "2025-01-15",
            "shares": "2",
            "share_value": "100",
            "paid_amount": "10",
            "movements-TOTAL_FORMS": "0",
            "movements-INITIAL_FORMS": "0",
        },
        follow=True,
    )
    # The form warns: less than the legal quarter paid.
    assert (
        "Attention\u00a0: 10,00\u00a0€ libérés sur 200,00\u00a0€ souscrits, moins de "
        "25\u00a0% à la souscription." in text_of(response)
    )
    late = Associate.objects.order_by("-number").first()
    home = text_of(coordinator_client.get(reverse("admin:index")))
    assert "(10,00\u00a0€ libérés sur 200,00\u00a0€)" in home
    correct_movement(
        movement=late.movements.get(),
        on=datetime.date(2025, 2, 1),
        shares=0,
        paid_amount=Decimal(40),
        note="Versement oublié à la souscription.",
    )
    home = text_of(coordinator_client.get(reverse("admin:index")))
    assert "libérés sur 200,00\u00a0€" not in home
    assert "Toutes les souscriptions sont libérées d'au moins 25\u00a0%." in home
    register = text_of(coordinator_client.get(reverse("admin:scic_associate_print")))
    assert "50,00\u00a0€" in register


def _new_structure():
    from tests.factories import StructureFactory

    return StructureFactory(name="Solid'hair")


def test_a_correction_that_lowers_a_payment_breaks_the_check(admit):
    from scic.services.checks import evaluate_rules

    associate = admit(shares=4, value="100", paid="100")
    correct_movement(
        movement=associate.movements.get(),
        on=datetime.date(2025, 2, 1),
        shares=0,
        paid_amount=Decimal(-1),
        note="Chèque de 99 €, non de 100 €.",
    )
    (check,) = [c for c in evaluate_rules() if c.rule.code == "paid_up_at_subscription"]
    assert not check.holds
    assert "(99,00\u00a0€ libérés sur 400,00\u00a0€)" in check.value


# --- Item 6: category and college are dated entries of the register ----------------------------


def test_a_change_of_college_is_a_dated_entry_and_the_register_prints_any_date(
    coordinator_client, admit
):
    first = CollegeFactory(name="Salariés", vote_share=50)
    second = CollegeFactory(name="Bénéficiaires", vote_share=50)
    associate = admit(Kind.EMPLOYEES, college=first)
    change = reverse("admin:scic_associate_change", args=[associate.pk])
    # The change form no longer edits them in place.
    page = text_of(coordinator_client.get(change))
    assert 'name="college"' not in page
    assert "Changer de catégorie ou de collège" in page
    response = coordinator_client.post(
        reverse("admin:scic_associate_placement", args=[associate.pk]),
        {
            "date": "2025-09-01",
            "category": category(Kind.BENEFICIARIES).pk,
            "college": second.pk,
            "note": "Décision du conseil du 28 août 2025.",
        },
    )
    assert response.status_code == 302
    associate.refresh_from_db()
    assert (associate.college, associate.category.legal_kind) == (second, Kind.BENEFICIARIES)
    assert list(associate.placements.values_list("date", "college__name")) == [
        (datetime.date(2025, 1, 15), "Salariés"),
        (datetime.date(2025, 9, 1), "Bénéficiaires"),
    ]
    register = reverse("admin:scic_associate_print")
    before = text_of(coordinator_client.get(register, {"date": "2025-08-31"}))
    after = text_of(coordinator_client.get(register, {"date": "2025-09-01"}))
    table, history = before.split("<h2>Catégories et collèges</h2>")
    assert "<td>Salariés</td>" in table and "<td>Bénéficiaires</td>" not in table
    assert "Décision du conseil" not in history
    table, history = after.split("<h2>Catégories et collèges</h2>")
    assert "<td>Bénéficiaires</td>" in table and "<td>Salariés</td>" not in table
    assert "01/09/2025" in history and "Décision du conseil du 28 août 2025." in history
    assert "dimanche 31\u00a0août 2025" in before
    with pytest.raises(ValidationError, match="ajout seul"):
        Placement.objects.filter(associate=associate).update(note="réécrit")
    with pytest.raises(ValidationError, match="ajout seul"):
        associate.placements.first().delete()


def test_the_database_refuses_to_rewrite_a_dated_entry(admit):
    from django.db import DatabaseError, connection, transaction

    associate = admit()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE scic_placement SET note = 'x' WHERE associate_id = %s", [associate.pk]
        )


# --- Item 8: the legal form in force on each document's date -----------------------------------


def test_statutory_documents_print_the_legal_form_of_their_date(coordinator_client, decided):
    resolution = decided[0]  # held on 18 June 2026
    identity = SiteIdentity.load()
    identity.legal_form = "Association"
    identity.save()
    LegalStatus.objects.create(identity=identity, form=LegalStatus.Form.ASSOCIATION)
    LegalStatus.objects.create(
        identity=identity,
        since=datetime.date(2026, 9, 1),
        form=LegalStatus.Form.SCIC_SAS,
        capital="variable",
        registration="RCS Arras 000 000 000",
    )
    scic = (
        "Société coopérative d'intérêt collectif par actions simplifiée (SCIC SAS) à capital "
        "variable, capital\u00a0: variable, RCS Arras 000 000 000"
    )
    association = "Association régie par la loi du 1er juillet 1901"
    held = minutes(coordinator_client, resolution.assembly)
    assert f"{identity.name}, {association}." in held
    assert scic not in held
    register = reverse("admin:scic_associate_print")
    assert association in text_of(coordinator_client.get(register, {"date": "2026-08-31"}))
    assert scic in text_of(coordinator_client.get(register, {"date": "2026-09-01"}))


def test_a_new_subscription_below_the_quarter_warns(coordinator_client, admit):
    associate = admit(shares=1, value="100")
    response = coordinator_client.post(
        reverse("admin:scic_sharemovement_add"),
        {
            "associate": associate.pk,
            "kind": "subscription",
            "date": "2025-03-01",
            "shares": "4",
            "share_value": "100",
            "paid_amount": "99.99",
        },
        follow=True,
    )
    assert "Attention\u00a0: 99,99\u00a0€ libérés sur 400,00\u00a0€ souscrits" in text_of(response)
    assert associate.movements.count() == 2  # warned, not refused


# --- Item 4, another way: the coordinator's sheet changed after the votes ----------------------


def test_the_sheet_cannot_drop_below_the_votes_recorded(coordinator_client, admit):
    resolution = ResolutionFactory(title="Approbation des comptes 2025")
    assembly = resolution.assembly
    sheet = [AttendanceFactory(assembly=assembly, associate=admit()) for _ in range(5)]
    for attendance in sheet[:3]:
        set_attendance(attendance=attendance, status="present")
    record_votes(resolution=resolution, counts={None: (2, 1, 0)})
    # The case, from the back-office sheet: a voter marked absent, the 3 votes kept.
    data = {
        "title": assembly.title,
        "agenda": assembly.agenda,
        "resolutions-TOTAL_FORMS": "1",
        "resolutions-INITIAL_FORMS": "1",
        "resolutions-0-id": resolution.pk,
        "resolutions-0-assembly": assembly.pk,
        "resolutions-0-number": resolution.number,
        "resolutions-0-title": resolution.title,
        "attendances-TOTAL_FORMS": "5",
        "attendances-INITIAL_FORMS": "5",
    }
    for i, attendance in enumerate(sheet):
        data[f"attendances-{i}-id"] = attendance.pk
        data[f"attendances-{i}-assembly"] = assembly.pk
        data[f"attendances-{i}-status"] = "absent" if i < 1 else "present" if i < 3 else "invited"
    url = reverse("admin:scic_generalassembly_change", args=[assembly.pk])
    page = text_of(coordinator_client.post(url, data))
    assert (
        f"{resolution}\u00a0: 3 votes enregistrés "
        "(Tous les associés) pour 2 associés présents ou représentés (un associé, une voix). "
        "Corrigez d'abord les votes de cette résolution." in page
    )
    sheet[0].refresh_from_db()
    assert sheet[0].status == "present"
    # Nor through the service, nor below the quorum (20 % of 5: one associate).
    with pytest.raises(ValidationError, match="3 votes enregistrés"):
        set_attendance(attendance=sheet[0], status="absent")
    record_votes(resolution=resolution, counts={None: (1, 0, 0)})
    set_attendance(attendance=sheet[0], status="absent")  # the votes corrected first: allowed
    set_attendance(attendance=sheet[1], status="absent")
    with pytest.raises(ValidationError, match="le quorum ne serait plus atteint"):
        set_attendance(attendance=sheet[2], status="absent")


def test_the_assembly_form_cannot_rewrite_what_was_voted(coordinator_client, decided):
    resolution, *_ = decided
    assembly = resolution.assembly
    before = minutes(coordinator_client, assembly)
    url = reverse("admin:scic_generalassembly_change", args=[assembly.pk])
    response = coordinator_client.post(
        url,
        {
            "title": "Assemblée réécrite",
            "agenda": "Un autre ordre du jour",
            "date": "2026-06-19",
            "start_time": "",
            "place_details": "Ailleurs",
            "chair": "Camille MARTIN",
            "resolutions-TOTAL_FORMS": "1",
            "resolutions-INITIAL_FORMS": "1",
            "resolutions-0-id": resolution.pk,
            "resolutions-0-assembly": assembly.pk,
            "resolutions-0-number": "7",
            "resolutions-0-title": "Augmentation des rémunérations",
            "resolutions-0-text": "Texte jamais soumis au vote.",
            "attendances-TOTAL_FORMS": "0",
            "attendances-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, text_of(response)
    after = minutes(coordinator_client, assembly)
    # What is written after the sitting (the chair) is added; what was voted stays.
    assert "Camille MARTIN" in after
    for kept in (resolution.title, resolution.text, assembly.title, "Approbation des comptes"):
        assert kept in before and kept in after
    assert "Augmentation des rémunérations" not in after
    assert "Assemblée réécrite" not in after and "Un autre ordre du jour" not in after
    assert "Ailleurs" not in after and "jamais soumis" not in after
