"""Membership files: exported cells that never run as formulas, imports that leave nothing
behind and refuse oversized files."""

import datetime
import io
import tempfile
from decimal import Decimal

import openpyxl
import pytest
import time_machine
from django.contrib.admin.models import ADDITION, CHANGE, LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from members.models import Membership, Person
from tests.conftest import text_of
from tests.members.test_memberships_admin import GOOD_CSV, _csv_cells, _csv_file, _export

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

CHANGELIST = "admin:members_membership_changelist"
EXPORT = "admin:members_membership_export"
IMPORT = "admin:members_membership_import"
NOW = datetime.datetime(2025, 10, 7, 10, 0, tzinfo=datetime.UTC)
FIELDS = ["year", "structure", "person", "person_name", "status", "fee", "paid_on",
          "payment_method", "notes"]  # fmt: skip


# --- formulas in exports -------------------------------------------------------------------------

# OWASP's list (CSV injection): what a spreadsheet may run, or read as the start of a formula.
FORMULA_PREFIXES = ["=", "+", "-", "@", "\t", "\r", "\n"]
FORMAT_INDEX = {"csv": 0, "xlsx": 1, "ods": 2}


def _exported_cells(response, file_format: str) -> list[list]:
    """The cells of an export as the spreadsheet gets them, with, for the ODS, whether a cell
    carries a formula."""
    if file_format == "csv":
        return _csv_cells(response)
    if file_format == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formula in {cell.coordinate}: {cell.value!r}"
        return [list(row) for row in sheet.values]
    from odf.namespaces import OFFICENS, TABLENS
    from odf.opendocument import load
    from odf.table import TableCell, TableRow

    document = load(io.BytesIO(response.content))
    rows = []
    for row in document.spreadsheet.getElementsByType(TableRow):
        cells = []
        for cell in row.getElementsByType(TableCell):
            assert (TABLENS, "formula") not in cell.attributes, str(cell)
            number = cell.attributes.get((OFFICENS, "value"))
            cells.append(number if number is not None else str(cell))
        rows.append(cells)
    return rows


@pytest.mark.parametrize("file_format", ["csv", "xlsx", "ods"])
@pytest.mark.parametrize("prefix", FORMULA_PREFIXES)
def test_every_export_format_defuses_formulas(coordinator_client, memberships, file_format,
                                              prefix):  # fmt: skip
    person = Person.objects.get()
    person.first_name = f'{prefix}HYPERLINK("http://x";"ok")'  # as typed in the public form
    person.save()
    Membership.objects.filter(person=person).update(notes=f"{prefix}1+1")

    rows = _exported_cells(_export(coordinator_client, FORMAT_INDEX[file_format]), file_format)

    odette = next(row for row in rows if row[2] == "o.dauchet@die.fr")
    name, notes = odette[FIELDS.index("person_name")], odette[FIELDS.index("notes")]
    # full_name strips surrounding whitespace: a tab or line break only reaches the notes.
    assert name == "'" + person.full_name if prefix.strip() else name == person.full_name
    if file_format != "csv":  # XML, hence XLSX and ODS, reads a carriage return as a line feed
        notes, prefix = notes.replace("\r", "\n"), prefix.replace("\r", "\n")
    assert notes == f"'{prefix}1+1"
    apei = next(row for row in rows if row[1] == "APEI Hénin-Carvin")
    assert str(apei[FIELDS.index("fee")]) in {"50,00", "50.00", "50"}  # numbers stay numbers


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
def test_a_defused_formula_comes_back_as_typed_through_each_import_format(
    coordinator_client, memberships, file_format
):
    Membership.objects.filter(person__isnull=False).update(notes="@SUM(A1:A2)")
    exported = _export(coordinator_client, FORMAT_INDEX[file_format]).content
    Membership.objects.all().delete()

    preview = coordinator_client.post(
        reverse(IMPORT),
        {"import_file": SimpleUploadedFile(f"a.{file_format}", exported),
         "format": str(FORMAT_INDEX[file_format]), "resource": "0"},
    )  # fmt: skip
    confirm = preview.context["confirm_form"]
    coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    assert Membership.objects.get(person__isnull=False).notes == "@SUM(A1:A2)"


# --- what an import leaves behind, and how big it may be -----------------------------------------


@pytest.fixture
def temporary_folders(settings, tmp_path, monkeypatch):
    """The system's temporary folder and MEDIA_ROOT, empty and watched."""
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path


def _files_holding(folder, text: str) -> list:
    return [p for p in folder.rglob("*") if p.is_file() and text.encode() in p.read_bytes()]


def _preview(client, text=GOOD_CSV):
    response = client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )
    assert response.status_code == 200
    return response


def _stored_preview(response):
    from members.resources import ImportPreviewStorage

    name = response.context["confirm_form"].initial["import_file_name"]
    return ImportPreviewStorage(name=name)


def test_an_abandoned_preview_leaves_no_file_and_expires(
    coordinator_client, member_file, temporary_folders
):
    with time_machine.travel(NOW, tick=False):
        preview = _preview(coordinator_client)

        assert not _files_holding(temporary_folders, "O.Dauchet@die.fr")
        stored = _stored_preview(preview)
        assert b"O.Dauchet@die.fr" in stored.read()  # kept for the confirmation, for a while
    with time_machine.travel(NOW + datetime.timedelta(minutes=59), tick=False):
        assert stored.read() is not None
    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        assert stored.read() is None


def _preview_rows() -> int:
    from django.core.cache import cache
    from django.db import connection

    with connection.cursor() as cursor:
        table = connection.ops.quote_name(cache._table)
        cursor.execute(
            f"SELECT COUNT(*) FROM {table} WHERE cache_key LIKE %s", ["%import-preview-%"]
        )
        return cursor.fetchone()[0]


def test_an_abandoned_preview_is_deleted_from_the_database_by_the_daily_job(
    coordinator_client, member_file, temporary_folders
):
    # Django's database cache deletes expired rows only once it holds MAX_ENTRIES of them.
    with time_machine.travel(NOW, tick=False):
        _preview(coordinator_client)
    with time_machine.travel(NOW + datetime.timedelta(minutes=59), tick=False):
        call_command("clear_expired_cache", stdout=io.StringIO())

        assert _preview_rows() == 1  # still awaiting its confirmation
    with time_machine.travel(NOW + datetime.timedelta(minutes=61), tick=False):
        assert _preview_rows() == 1  # expired, but still there with its addresses

        call_command("clear_expired_cache", stdout=io.StringIO())

        assert _preview_rows() == 0


def test_a_confirmed_import_removes_its_preview(
    coordinator_client, member_file, temporary_folders
):
    preview = _preview(coordinator_client)
    stored = _stored_preview(preview)
    confirm = preview.context["confirm_form"]

    coordinator_client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )

    assert Membership.objects.count() == 3
    assert stored.read() is None
    assert not _files_holding(temporary_folders, "O.Dauchet@die.fr")


def test_a_preview_with_errors_keeps_nothing(coordinator_client, member_file, temporary_folders):
    from members.resources import ImportPreviewStorage

    kept = []
    original_save = ImportPreviewStorage.save

    def remember(storage, data):
        original_save(storage, data)
        kept.append(storage)

    ImportPreviewStorage.save = remember
    try:
        response = _preview(coordinator_client, GOOD_CSV + "2025;Inconnue;;Validée;;;\r\n")
    finally:
        ImportPreviewStorage.save = original_save

    assert response.context["result"].has_validation_errors()
    assert kept and all(storage.read() is None for storage in kept)
    assert not _files_holding(temporary_folders, "O.Dauchet@die.fr")


@pytest.mark.parametrize("over", [0, 1])
def test_an_oversized_file_is_refused_in_french(coordinator_client, member_file, settings, over):
    limit = settings.MEMBERSHIP_IMPORT_MAX_BYTES
    text = GOOD_CSV + ";;;;;;\r\n" * ((limit - len(GOOD_CSV.encode())) // 8 - 1)
    text += " " * (limit - len(("\ufeff" + text).encode()) + over)
    assert len(("\ufeff" + text).encode()) == limit + over

    response = coordinator_client.post(
        reverse(IMPORT), {"import_file": _csv_file(text), "format": "0", "resource": "0"}
    )

    assert response.status_code == 200
    errors = response.context["form"].errors.get("import_file", [])
    if over:
        assert errors == ["Le fichier est trop gros (plus de 2\u00a0Mo)\u00a0: découpez-le."]
    else:
        assert not [error for error in errors if "trop gros" in error]


def test_a_file_with_too_many_lines_is_refused_in_french(
    coordinator_client, member_file, settings
):
    settings.MEMBERSHIP_IMPORT_MAX_ROWS = 2

    response = _preview(coordinator_client)

    assert Membership.objects.count() == 0
    assert "confirm_form" not in response.context or response.context["confirm_form"] is None
    assert "Le fichier a plus de 2\u00a0lignes" in text_of(response)


# --- the admin's history -----------------------------------------------------------------------


def _import(client, text):
    confirm = _preview(client, text).context["confirm_form"]
    response = client.post(
        reverse("admin:members_membership_process_import"),
        {name: confirm.initial[name] for name in confirm.fields},
    )
    assert response.status_code == 302


def test_each_imported_line_is_in_the_history_in_french(
    coordinator_client, coordinator, member_file
):
    _import(coordinator_client, GOOD_CSV)
    _import(coordinator_client, GOOD_CSV.replace("50,00", "60,00"))  # one fee changed

    history = LogEntry.objects.order_by("pk")
    added = Membership.objects.order_by("pk").values_list("pk", flat=True)
    apei = Membership.objects.get(fee=Decimal("60.00"))
    assert [(e.object_id, e.action_flag, e.change_message, e.user) for e in history] == [
        *((str(pk), ADDITION, "Ajoutée par import d'un fichier.", coordinator) for pk in added),
        (str(apei.pk), CHANGE, "Modifiée par import d'un fichier.", coordinator),
    ]  # not « new through import_export »; the unchanged lines write nothing
