"""The SCIC in the back-office: the checks on the dashboard, the register (fixed query count,
append-only), printable pages, the vote recorder."""

import datetime
import re
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from scic.models import Associate, Category, ConvocationConsent, VoteCount
from scic.services import register as services
from scic.services.assembly import set_attendance
from scic.services.convocations import convene_assembly
from tests.conftest import breadcrumbs_of, text_of
from tests.factories import (
    AttendanceFactory,
    CollegeFactory,
    GeneralAssemblyFactory,
    ResolutionFactory,
    StructureFactory,
    category,
)

pytestmark = [pytest.mark.django_db, pytest.mark.ignore_template_errors]
Kind = Category.LegalKind


def test_the_dashboard_shows_each_rule_its_reference_value_and_verdict(
    coordinator_client, founders
):
    page = text_of(coordinator_client.get(reverse("admin:index")))
    assert "Contrôles légaux et statutaires de la SCIC" in page
    assert "Nombre minimal de catégories d'associés" in page
    assert "Loi n° 47-1775 du 10 septembre 1947, art. 19 septies" in page
    assert "3 catégories\u00a0: Bénéficiaires, Collectivités publiques et Salariés" in page
    assert "✘" not in page


def test_a_broken_rule_reads_non_on_the_dashboard(coordinator_client, admit):
    admit(Kind.EMPLOYEES)
    page = text_of(coordinator_client.get(reverse("admin:index")))
    assert "✘" in page


@pytest.mark.parametrize("size", [3, 15])
def test_register_list_query_count_does_not_grow(
    coordinator_client, django_assert_num_queries, admit, size
):
    college = CollegeFactory(vote_share=50)
    for n in range(size):
        associate = admit(college=college, shares=n + 1)
        if n % 2:  # the column « accord convocation par e-mail » reads them in the same query
            ConvocationConsent.objects.create(
                associate=associate,
                given_on=associate.entry_date,
                method=ConvocationConsent.Method.SIGNED_FORM,
                email=f"associe{n}@example.org",
            )
    url = reverse("admin:scic_associate_changelist")
    coordinator_client.get(url)
    # session, user, perms (2), filter choices (categories, colleges), counts (2), the page with
    # its holdings in one query, the selected associates' structures: the same at both sizes.
    with django_assert_num_queries(10):
        response = coordinator_client.get(url)
    assert response.status_code == 200
    assert text_of(response).count("100,00\u00a0€") >= 1


def test_the_coordinator_enters_a_founder(coordinator_client):
    structure = StructureFactory(name="ADDS")
    response = coordinator_client.post(
        reverse("admin:scic_associate_add"),
        {
            "structure": structure.pk,
            "category": category(Kind.BENEFICIARIES).pk,
            "entry_date": "2025-01-15",
            "shares": "10",
            "share_value": "100",
            "paid_amount": "250",
            "notes": "Fondateur",
            "movements-TOTAL_FORMS": "0",
            "movements-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, text_of(response)
    associate = Associate.objects.get()
    assert (associate.number, associate.notes) == (1, "Fondateur")
    movement = associate.movements.get()
    assert (movement.shares, movement.paid_amount, movement.recorded_by) == (
        10,
        250,
        "coordination",
    )


def test_a_refused_admission_shows_its_reason_beside_the_fields(coordinator_client, admit):
    present = admit()
    response = coordinator_client.post(
        reverse("admin:scic_associate_add"),
        {
            "structure": present.structure_id,
            "category": present.category_id,
            "entry_date": "2025-01-15",
            "shares": "1",
            "share_value": "100",
            "paid_amount": "100",
        },
    )
    assert response.status_code == 200
    assert "déjà inscrit" in text_of(response) or "déjà inscrite" in text_of(response)
    assert Associate.objects.count() == 1


def test_movements_are_added_never_changed_nor_deleted(coordinator, coordinator_client, admit):
    associate = admit(shares=4, value="100", paid="100")
    assert coordinator.has_perm("scic.add_sharemovement")
    assert not coordinator.has_perm("scic.change_sharemovement")
    assert not coordinator.has_perm("scic.delete_sharemovement")
    assert not coordinator.has_perm("scic.delete_associate")
    movement = associate.movements.get()
    delete = coordinator_client.get(reverse("admin:scic_sharemovement_delete", args=[movement.pk]))
    assert delete.status_code == 403
    change = coordinator_client.post(
        reverse("admin:scic_sharemovement_change", args=[movement.pk]), {"shares": "9"}
    )
    assert change.status_code == 403
    response = coordinator_client.post(
        reverse("admin:scic_sharemovement_add"),
        {"associate": associate.pk, "kind": "payment", "date": "2025-03-01", "paid_amount": "300"},
    )
    assert response.status_code == 302
    assert associate.movements.count() == 2
    too_much = coordinator_client.post(
        reverse("admin:scic_sharemovement_add"),
        {"associate": associate.pk, "kind": "payment", "date": "2025-03-02", "paid_amount": "1"},
    )
    assert "dépasserait" in text_of(too_much)
    assert associate.movements.count() == 2


def test_the_printable_register_and_its_csv(coordinator_client, founders):
    page = coordinator_client.get(reverse("admin:scic_associate_print"))
    assert 'href="/static/scic/print.css"' in page.content.decode()
    assert "Registre des associés" in text_of(page)
    csv = coordinator_client.get(reverse("admin:scic_associate_export"))
    assert csv["Content-Type"] == "text/csv; charset=utf-8"
    assert csv.content.decode("utf-8").count("\r\n") == 4


def test_an_exit_through_the_back_office(coordinator_client, admit):
    associate = admit(shares=2)
    url = reverse("admin:scic_associate_exit", args=[associate.pk])
    change_url = reverse("admin:scic_associate_change", args=[associate.pk])
    page = text_of(coordinator_client.get(url))
    assert breadcrumbs_of(page)[-2:] == [(change_url, str(associate)), ("", "Sortie")]
    response = coordinator_client.post(
        url,
        {"date": "2025-09-30", "reason": "resignation", "repay": "on"},
    )
    assert response.status_code == 302
    associate.refresh_from_db()
    assert associate.exit_date == datetime.date(2025, 9, 30)
    assert associate.movements.last().kind == "repayment"


def test_votes_are_recorded_and_the_minutes_show_the_arithmetic(coordinator_client, admit):
    college_a, college_b = (
        CollegeFactory(name="Salariés", vote_share=60),
        CollegeFactory(name="Bénéficiaires", vote_share=40),
    )
    resolution = ResolutionFactory(title="Approbation des comptes 2025")
    for college in (college_a, college_b):
        for _ in range(2):
            attendance = AttendanceFactory(
                assembly=resolution.assembly, associate=admit(college=college), college=college
            )
            set_attendance(attendance=attendance, status="present")
    url = reverse("admin:scic_generalassembly_votes", args=[resolution.assembly_id])
    response = coordinator_client.post(
        url,
        {
            "resolution": resolution.pk,
            f"for-{college_a.pk}": "2",
            f"against-{college_a.pk}": "0",
            f"abstentions-{college_a.pk}": "0",
            f"for-{college_b.pk}": "0",
            f"against-{college_b.pk}": "2",
            f"abstentions-{college_b.pk}": "0",
        },
    )
    assert response.status_code == 302
    assert VoteCount.objects.count() == 2
    minutes = text_of(
        coordinator_client.get(
            reverse("admin:scic_generalassembly_minutes", args=[resolution.assembly_id])
        )
    )
    assert "60,00 / 100,00 = 60,00\u00a0% des voix exprimées" in minutes
    assert "La résolution est adoptée." in minutes
    assert "4 associés présents ou représentés sur 4 convoqués" in minutes


def test_too_many_votes_are_refused_on_the_page(coordinator_client, admit):
    resolution = ResolutionFactory()
    attendance = AttendanceFactory(assembly=resolution.assembly, associate=admit())
    set_attendance(attendance=attendance, status="present")
    url = reverse("admin:scic_generalassembly_votes", args=[resolution.assembly_id])
    response = coordinator_client.post(
        url, {"resolution": resolution.pk, "for-all": "2", "against-all": "0"}
    )
    assert response.status_code == 200
    assert "2 votes pour 1 associé présent ou représenté" in text_of(response)
    change_url = reverse("admin:scic_generalassembly_change", args=[resolution.assembly_id])
    assert breadcrumbs_of(text_of(response))[-2:] == [
        (change_url, str(resolution.assembly)),
        ("", "Votes"),
    ]


def test_an_assembly_page_links_to_votes_and_minutes(coordinator_client):
    assembly = GeneralAssemblyFactory()
    page = text_of(
        coordinator_client.get(reverse("admin:scic_generalassembly_change", args=[assembly.pk]))
    )
    assert "Présences, quorum et votes" in page
    assert "Procès-verbal (imprimable)" in page


def test_a_convened_assembly_is_cancelled_not_deleted(coordinator_client):
    from django.utils import timezone

    from scic.models import GeneralAssembly

    convened = GeneralAssemblyFactory(convened_at=timezone.now())
    draft = GeneralAssemblyFactory(title="Brouillon")
    url = reverse("admin:scic_generalassembly_delete", args=[convened.pk])
    assert coordinator_client.get(url).status_code == 403
    response = coordinator_client.post(
        reverse("admin:scic_generalassembly_changelist"),
        {"action": "delete_selected", "_selected_action": [convened.pk, draft.pk], "post": "yes"},
    )
    assert response.status_code == 200  # the « cannot delete » page, nothing deleted
    assert GeneralAssembly.objects.count() == 2


def test_votes_recorded_keep_their_resolution(admit):
    from django.db.models import ProtectedError

    resolution = ResolutionFactory()
    VoteCount.objects.create(resolution=resolution, votes_for=1)
    with pytest.raises(ProtectedError):
        resolution.assembly.delete()


@time_machine.travel("2025-06-02 10:00 +02:00", tick=False)
def test_the_register_list_counts_what_the_register_of_the_day_prints(coordinator_client, admit):
    """A subscription recorded ahead of its date, and an exit dated later, count from their
    date in the list, on the associate's page and in the filter, as in the printed register:
    never two capitals for the same day."""
    associate = admit(shares=2)  # 15 January 2025, 200 €
    services.subscribe_shares(
        associate=associate,
        on=datetime.date(2025, 7, 1),
        shares=5,
        share_value=Decimal(100),
        paid_amount=Decimal(500),
    )
    leaving = admit(shares=1)
    services.record_exit(associate=leaving, on=datetime.date(2025, 12, 31), reason="resignation")
    changelist = reverse("admin:scic_associate_changelist")

    listed = text_of(coordinator_client.get(changelist))
    printed = text_of(coordinator_client.get(reverse("admin:scic_associate_print")))
    assert "200,00\u00a0€" in listed and "200,00\u00a0€" in printed
    assert "700,00\u00a0€" not in listed and "700,00\u00a0€" not in printed
    page = text_of(
        coordinator_client.get(reverse("admin:scic_associate_change", args=[associate.pk]))
    )
    assert (
        "2 part(s), capital souscrit 200,00\u00a0€, libéré 200,00\u00a0€ à ce jour\u00a0; "
        "1\u00a0mouvement daté du 01/07/2025, pas encore compté"
    ) in page
    present = coordinator_client.get(changelist, {"present": "yes"}).context["cl"].result_list
    gone = coordinator_client.get(changelist, {"present": "no"}).context["cl"].result_list
    assert {a.pk for a in present} == {associate.pk, leaving.pk}
    assert not gone

    with time_machine.travel("2025-07-01 10:00 +02:00", tick=False):
        listed = text_of(coordinator_client.get(changelist))
    assert "700,00\u00a0€" in listed
    with time_machine.travel("2026-01-02 10:00 +01:00", tick=False):
        gone = coordinator_client.get(changelist, {"present": "no"}).context["cl"].result_list
    assert [a.pk for a in gone] == [leaving.pk]


@time_machine.travel("2026-06-03 10:00 +02:00", tick=False)
def test_the_attendance_sheet_to_sign_on_the_day(coordinator_client, admit):
    """Everyone convened, by college then number, with the shares held on the assembly's day
    (not a subscription dated after it), the proxies recorded, a line to sign; printable."""
    employees, users = CollegeFactory(name="Salariés"), CollegeFactory(name="Usagers")
    apei = admit(structure=StructureFactory(name="APEI"), college=users, shares=3)
    odette = admit(person=True, college=employees, shares=1)
    services.subscribe_shares(
        associate=apei,
        on=datetime.date(2026, 7, 1),
        shares=10,
        share_value=Decimal(100),
        paid_amount=Decimal(1000),
    )
    assembly = GeneralAssemblyFactory(date=datetime.date(2026, 6, 20), title="AG ordinaire 2026")
    sheet_url = reverse("admin:scic_generalassembly_attendance_sheet", args=[assembly.pk])
    assert "Aucun associé n'est encore convoqué" in text_of(coordinator_client.get(sheet_url))
    convene_assembly(assembly=assembly, site_url="https://testserver")
    set_attendance(
        attendance=assembly.attendances.get(associate=apei),
        status="represented",
        proxy_holder=odette,
        from_reply=True,  # APEI answered its convocation: Odette holds its proxy
    )

    page = coordinator_client.get(sheet_url)
    rows = re.findall(r"<tr>(.*?)</tr>", page.content.decode(), re.S)[1:]
    cells = [re.findall(r"<td[^>]*>(.*?)</td>", row, re.S) for row in rows]
    assert [row[2] for row in cells] == ["Salariés", "Usagers"]  # by college
    assert cells[1][1].startswith("APEI<br>") and "représentée par" in cells[1][1]
    assert cells[1][3] == "3"  # not the 13 of July
    assert cells[1][4] == f"{odette.name} (pouvoir)"
    assert cells[0][5] == "" and cells[1][5] == ""  # to sign
    assert "Associés convoqués\u00a0: 2." in text_of(page)
    change = coordinator_client.get(
        reverse("admin:scic_generalassembly_change", args=[assembly.pk])
    )
    assert sheet_url in change.content.decode()
