import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

import openpyxl
import pytest
import tablib
import time_machine
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.admin.directory import CurrentMembershipFilter
from members.models import Membership, Person, Structure
from members.resources import MembershipResource
from tests.conftest import breadcrumbs_of, text_of
from tests.factories import MembershipFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

CHANGELIST = "admin:members_membership_changelist"
EXPORT = "admin:members_membership_export"
IMPORT = "admin:members_membership_import"
NOW = datetime.datetime(2025, 10, 7, 10, 0, tzinfo=datetime.UTC)
FIELDS = ["year", "structure", "person", "person_name", "status", "fee", "paid_on",
          "payment_method", "notes"]  # fmt: skip


def _export(client, format_index):
    data = {"format": str(format_index), "resource": "0"}
    data.update({f"membershipresource_{name}": "on" for name in FIELDS})
    return client.post(reverse(EXPORT), data)


# --- the list ----------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [2, 10])
def test_changelist_query_count_does_not_grow(coordinator_client, django_assert_num_queries, size):
    for n in range(size):
        MembershipFactory(year=2020 + n % 5)
        MembershipFactory(structure=None, person=PersonFactory(), year=2025)
    coordinator_client.get(reverse(CHANGELIST))

    # session, user, perms (2), year filter choices, counts (2), page, site identity
    with django_assert_num_queries(9):
        response = coordinator_client.get(reverse(CHANGELIST))

    assert response.status_code == 200


def test_changelist_shows_who_is_up_to_date_and_filters(coordinator_client, memberships):
    with time_machine.travel(NOW, tick=False):
        response = coordinator_client.get(reverse(CHANGELIST))
        filtered = coordinator_client.get(reverse(CHANGELIST), {"payment_method__exact": "cheque"})

    html = text_of(response)
    assert "APEI Hénin-Carvin" in html and "Odette DAUCHET" in html
    assert "À jour pour l'année en cours" in html
    assert html.count('alt="True"') == 1  # APEI 2025 validée; ADDS is 2024, Odette pending
    assert "ADDS" in text_of(filtered) and "APEI" not in text_of(filtered)


def test_up_to_date_filter_for_structures_and_people(memberships):
    with time_machine.travel(NOW, tick=False):
        structures = Structure.objects.members()
        people = Person.objects.members()
        not_up_to_date = CurrentMembershipFilter(
            None, {"membre": ["non"]}, Structure, None
        ).queryset(None, Structure.objects.with_is_member())

    assert [s.name for s in structures] == ["APEI Hénin-Carvin"]
    assert list(people) == []
    assert [s.name for s in not_up_to_date] == ["ADDS"]


# --- export ------------------------------------------------------------------------------------


def test_export_csv_opens_in_french_excel(coordinator_client, memberships):
    response = _export(coordinator_client, 0)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert re.search(
        r'filename="adhesions-\d{4}-\d{2}-\d{2}\.csv"', response["Content-Disposition"]
    )
    content = response.content
    assert content.startswith(b"\xef\xbb\xbf")  # UTF-8 byte order mark
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "Année", "Structure", "E-mail de la personne", "Personne", "Statut", "Cotisation (€)",
        "Payée le", "Moyen de paiement", "Notes",
    ]  # fmt: skip
    apei = next(row for row in rows if row[1] == "APEI Hénin-Carvin")
    assert apei == ["2025", "APEI Hénin-Carvin", "", "", "Validée", "50,00", "14/03/2025",
                    "Virement", ""]  # fmt: skip
    odette = next(row for row in rows if row[3] == "Odette DAUCHET")
    assert odette[2] == "o.dauchet@die.fr"
    assert odette[4] == "En attente"
    assert odette[8] == '\'=HYPERLINK("http://x")'  # a formula is never run by the sheet


def test_export_xlsx(coordinator_client, memberships):
    response = _export(coordinator_client, 1)

    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(workbook.active.values)
    assert rows[0][:2] == ("Année", "Structure")
    apei = next(row for row in rows if row[1] == "APEI Hénin-Carvin")
    assert apei[0] == 2025
    assert apei[4] == "Validée"


def test_export_ods(coordinator_client, memberships):
    response = _export(coordinator_client, 2)

    assert response["Content-Type"] == "application/vnd.oasis.opendocument.spreadsheet"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    assert archive.read("mimetype") == b"application/vnd.oasis.opendocument.spreadsheet"
    content = archive.read("content.xml").decode()
    assert "APEI Hénin-Carvin" in content and "Validée" in content


def test_export_and_import_need_their_permission(client, memberships):
    staff = UserFactory(is_staff=True)
    staff.user_permissions.add(*Permission.objects.filter(codename="view_membership"))
    client.force_login(staff)

    assert client.get(reverse(CHANGELIST)).status_code == 200
    assert client.get(reverse(EXPORT)).status_code == 403
    assert client.get(reverse(IMPORT)).status_code == 403


# --- import ------------------------------------------------------------------------------------


def _csv_file(text: str, name="adhesions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, ("\ufeff" + text).encode("utf-8"), "text/csv")


GOOD_CSV = (
    "Année;Structure;E-mail de la personne;Statut;Cotisation (€);Payée le;Moyen de paiement\r\n"
    "2025;apei henin carvin;;validée;50,00;14/03/2025;Virement\r\n"
    "2025;;O.Dauchet@die.fr;En attente;;;\r\n"
    "2025;Les Compagnons-Batisseurs;;Validée;1 200,50 €;02/09/2025;chèque\r\n"
)


def test_import_csv_with_preview_then_confirm(coordinator_client, member_file):
    preview = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(GOOD_CSV), "format": "0", "resource": "0"}
    )

    assert preview.status_code == 200
    assert Membership.objects.count() == 0  # the preview saves nothing
    confirm = preview.context["confirm_form"]
    response = coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    assert response.status_code == 302
    assert Membership.objects.count() == 3
    compagnons = Membership.objects.get(structure__slug="cb")
    assert compagnons.fee == Decimal("1200.50")
    assert compagnons.paid_on == datetime.date(2025, 9, 2)
    assert compagnons.payment_method == Membership.PaymentMethod.CHEQUE
    assert Membership.objects.get(person__email="o.dauchet@die.fr").status == "pending"
    history = set(LogEntry.objects.values_list("change_message", flat=True))
    assert history == {"Ajoutée par import d'un fichier."}  # not « new through import_export »


def test_import_with_a_bad_row_imports_nothing_and_says_why(coordinator_client, member_file):
    bad = GOOD_CSV + "2025;Structure inconnue;;Validée;;;\r\n2025;ADDS;;Validée;douze;;\r\n"

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(bad), "format": "0", "resource": "0"}
    )

    html = text_of(response)
    assert "Structure inconnue\u00a0: «\u00a0Structure inconnue\u00a0»" in html
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert Membership.objects.count() == 0


def test_import_errors_name_the_column_not_the_field(coordinator_client, member_file):
    bad = GOOD_CSV + "2025;ADDS;;Validée;douze;32/13/2025;Bitcoin\r\n"

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(bad), "format": "0", "resource": "0"}
    )

    html = response.content.decode()
    labels = re.findall(r'class="validation-error-field-label">([^<]*)<', html)
    assert {"Structure", "Cotisation (€)", "Payée le", "Moyen de paiement"} <= set(labels)
    assert not {"fee", "paid_on", "payment_method", "structure"} & set(labels)


def test_export_page_lists_the_columns_in_french(coordinator_client, memberships):
    response = coordinator_client.get(reverse(EXPORT))

    form = response.context["form"]
    labels = [form.fields[f"membershipresource_{name}"].label for name in FIELDS]
    assert labels == ["Année", "Structure", "E-mail de la personne", "Personne", "Statut",
                      "Cotisation (€)", "Payée le", "Moyen de paiement", "Notes"]  # fmt: skip


ENGLISH = ["Select all", "This importer", "This exporter", "Submit", "Home", "Confirm import",
           "Some rows failed", "Non field specific", "Preview"]  # fmt: skip


def _breadcrumbs(html: str) -> list[str]:
    return [text for _, text in breadcrumbs_of(html)]


def test_export_page_speaks_french_in_the_admin_bar(coordinator_client, memberships):
    html = text_of(coordinator_client.get(reverse(EXPORT)))

    assert _breadcrumbs(html) == ["Accueil", "Membres", "Adhésions", "Exporter"]
    assert 'class="breadcrumbs"' in html and '<div class="breadcrumbs">' not in html
    assert "Tout sélectionner" in html
    assert 'value="Exporter"' in html
    assert not [word for word in ENGLISH if word in html]
    # The site's CSP blocks inline handlers and styles: the toggle is wired by a script file.
    assert "onchange=" not in html and 'style="' not in html
    assert "members/membership_export.js" in html


def test_import_page_lists_only_the_columns_it_reads(coordinator_client, memberships):
    html = text_of(coordinator_client.get(reverse(IMPORT)))

    assert _breadcrumbs(html) == ["Accueil", "Membres", "Adhésions", "Importer"]
    columns = re.findall(r"<dt>(.*?)</dt>", html)
    assert columns == ["Année", "Structure", "E-mail de la personne", "Statut",
                       "Cotisation (€)", "Payée le", "Moyen de paiement", "Notes"]  # fmt: skip
    assert "Personne" not in columns  # exported for the reader, never imported
    assert "«\u00a0En attente\u00a0», «\u00a0Validée\u00a0», «\u00a0Annulée\u00a0»" in html
    assert "Cet importateur" not in html
    assert not [word for word in ENGLISH if word in html]


def test_import_preview_errors_and_result_speak_french(coordinator_client, member_file):
    bad = GOOD_CSV + "2025;ADDS;;Validée;douze;;\r\n"
    errors = text_of(coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(bad), "format": "0", "resource": "0"}
    ))  # fmt: skip
    assert "Des lignes sont à corriger\u00a0: rien n'a été importé" in errors
    assert not [word for word in ENGLISH if word in errors]

    preview = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(GOOD_CSV), "format": "0", "resource": "0"}
    )
    html = text_of(preview)
    assert len(re.findall(r'class="import-type">\s*Nouvelle\s*<', html)) == 3
    assert 'value="Confirmer l\'import"' in html
    assert not [word for word in ENGLISH if word in html]
    confirm = preview.context["confirm_form"]
    done = coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
        follow=True,
    )
    assert [str(m) for m in done.context["messages"]] == [
        "Import terminé\u00a0: 3\u00a0adhésions ajoutées, 0\u00a0modifiée, 0\u00a0inchangée."
    ]


def test_import_never_half_done_past_the_preview(member_file):
    dataset = tablib.Dataset(headers=["Année", "Structure", "E-mail de la personne", "Statut"])
    dataset.append([2025, "APEI Hénin-Carvin", "", "Validée"])
    dataset.append([2025, "Inconnue", "", "Validée"])

    result = MembershipResource().import_data(
        dataset, dry_run=False, raise_errors=False, rollback_on_validation_errors=True
    )

    assert result.has_validation_errors()
    assert Membership.objects.count() == 0  # the good first line was rolled back too


def test_import_a_row_breaking_a_constraint_is_an_error(coordinator_client, member_file):
    text = (
        "Année;Structure;E-mail de la personne;Statut\r\n"
        "2025;APEI Hénin-Carvin;o.dauchet@die.fr;Validée\r\n"
    )

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )

    (row,) = response.context["result"].invalid_rows
    assert row.non_field_specific_errors == [
        "Choisissez une structure ou une personne (une seule des deux)."
    ]
    assert Membership.objects.count() == 0


def test_import_xlsx_updates_the_year_rather_than_duplicating(coordinator_client, member_file):
    MembershipFactory(structure=Structure.objects.get(slug="apei"), year=2025, status="pending")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Année", "Structure", "E-mail de la personne", "Statut", "Cotisation (€)",
                  "Payée le"])  # fmt: skip
    sheet.append([2025, "APEI Hénin-Carvin", None, "Validée", 50, datetime.datetime(2025, 3, 14)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    upload = SimpleUploadedFile("adhesions.xlsx", buffer.getvalue())

    preview = coordinator_client.post(
        reverse(IMPORT), {"import_file": upload, "format": "1", "resource": "0"}
    )
    confirm = preview.context["confirm_form"]
    coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    # The changed values are marked by import-export's stylesheet, not by style attributes the
    # site's Content Security Policy refuses (an error in the console for each).
    html = preview.content.decode()
    assert "<td><del>En attent</del><ins>Validé</ins><span>e</span></td>" in html
    assert 'style="' not in html[html.index('class="import-preview"') :]
    membership = Membership.objects.get()
    assert membership.status == Membership.Status.ACTIVE
    assert membership.fee == Decimal("50")
    assert membership.paid_on == datetime.date(2025, 3, 14)


def test_export_then_import_round_trips(coordinator_client, memberships):
    exported = _export(coordinator_client, 0).content
    Membership.objects.all().delete()

    preview = coordinator_client.post(
        reverse(IMPORT),
        {"import_file": SimpleUploadedFile("a.csv", exported), "format": "0", "resource": "0"},
    )
    confirm = preview.context["confirm_form"]
    coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    assert Membership.objects.count() == 3
    odette = Membership.objects.get(person__isnull=False)
    # The quote that kept the spreadsheet from running it is removed on the way back in.
    assert odette.notes == '=HYPERLINK("http://x")'


def _csv_cells(response) -> list[list[str]]:
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def test_a_formula_keeps_one_protective_quote_however_many_round_trips(
    coordinator_client, memberships
):
    Membership.objects.filter(person__isnull=True).delete()
    odette = Membership.objects.get()
    odette.notes = "'=déjà protégé"  # typed with its quote: it must come back with it
    odette.save()
    notes = FIELDS.index("notes")

    for _ in range(3):
        exported = _export(coordinator_client, 0)
        assert _csv_cells(exported)[1][notes] == "''=déjà protégé"
        Membership.objects.all().delete()
        preview = coordinator_client.post(
            reverse(IMPORT),
            {"import_file": SimpleUploadedFile("a.csv", exported.content), "format": "0",
             "resource": "0"},
        )  # fmt: skip
        confirm = preview.context["confirm_form"]
        coordinator_client.post(
            reverse("admin:members_membership_process_import"),
            {name: confirm.initial[name] for name in confirm.fields},
        )
        assert Membership.objects.get().notes == "'=déjà protégé"


def test_an_unknown_email_is_the_only_error_of_its_line(coordinator_client, member_file):
    text = (
        "Année;Structure;E-mail de la personne;Statut\r\n"
        "2025;;inconnu@example.org;Validée\r\n"
        "2025;;;Validée\r\n"
    )

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )

    unknown, nobody = response.context["result"].invalid_rows
    assert unknown.error_count == 1
    assert unknown.field_specific_errors == {
        "E-mail de la personne": [
            "Aucune personne avec l'e-mail «\u00a0inconnu@example.org\u00a0». "
            "Créez-la d'abord dans «\u00a0Personnes\u00a0»."
        ]
    }
    assert not unknown.non_field_specific_errors
    # A line naming no member at all still gets the model's message: it is the useful one.
    assert nobody.non_field_specific_errors == [
        "Choisissez une structure ou une personne (une seule des deux)."
    ]


def test_preview_shows_no_change_for_the_same_fee_written_without_cents(
    coordinator_client, member_file
):
    MembershipFactory(
        structure=Structure.objects.get(slug="apei"), year=2025, status="active", fee=Decimal("30")
    )
    text = (
        "Année;Structure;E-mail de la personne;Statut;Cotisation (€)\r\n"
        "2025;APEI Hénin-Carvin;;Validée;30\r\n"
    )

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )

    (row,) = response.context["result"].valid_rows()
    assert row.import_type == "skip"
    assert "<del" not in response.content.decode()  # no « ,00 » struck out


@pytest.mark.parametrize("member_column", ["structure", "person"])
def test_a_file_without_the_other_member_column_updates_the_year(
    coordinator_client, member_file, member_column
):
    if member_column == "structure":
        MembershipFactory(structure=Structure.objects.get(slug="apei"), year=2025,
                          status="pending")  # fmt: skip
        text = "Année;Structure;Statut;Cotisation (€)\r\n2025;APEI Hénin-Carvin;Validée;50\r\n"
    else:
        MembershipFactory(structure=None, person=Person.objects.get(), year=2025,
                          status="pending")  # fmt: skip
        text = (
            "Année;E-mail de la personne;Statut;Cotisation (€)\r\n"
            "2025;o.dauchet@die.fr;Validée;50\r\n"
        )

    preview = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )
    (row,) = preview.context["result"].valid_rows()
    assert row.import_type == "update"
    confirm = preview.context["confirm_form"]
    coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    membership = Membership.objects.get()
    assert (membership.status, membership.fee) == ("active", Decimal("50"))


def test_a_file_without_the_year_column_is_refused_in_french(coordinator_client, member_file):
    text = "Structure;Statut\r\nAPEI Hénin-Carvin;Validée\r\n"

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )

    html = text_of(response)
    assert "Le fichier n'a pas pu être importé" in html
    assert "Le fichier n'a pas de colonne «\u00a0Année\u00a0»" in html
    assert "import_id_fields" not in html.split("Détail technique")[0]
    assert Membership.objects.count() == 0


@pytest.mark.django_db
def test_the_coordinator_types_a_fee_with_a_decimal_comma(coordinator_client):
    """« 20,50 » as a French coordinator types it (Django's number field refused it)."""
    structure = Structure.objects.create(name="Les Jardins", slug="les-jardins")
    response = coordinator_client.post(
        reverse("admin:members_membership_add"),
        {"year": 2025, "structure": structure.pk, "status": "active", "fee": "1 200,50"},
    )
    assert response.status_code == 302, text_of(response)
    assert Membership.objects.get(structure=structure).fee == Decimal("1200.50")
