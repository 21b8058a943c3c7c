"""The membership export's and import's formats, named in French: Excel's workbook chosen for
the export, the import's format read from the file's extension."""

import io
import re

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.conftest import text_of

pytestmark = pytest.mark.ignore_template_errors  # the admin's templates rely on silent variables

EXPORT = "admin:members_membership_export"
IMPORT = "admin:members_membership_import"


def test_the_export_offers_the_formats_by_name_and_chooses_excel(coordinator_client):
    page = text_of(coordinator_client.get(reverse(EXPORT)))
    options = re.findall(r"<option value=\"(\d*)\"( selected)?>([^<]*)</option>", page)
    assert [(text, bool(selected)) for _, selected, text in options] == [
        ("CSV pour Excel (séparateur « ; »)", False),
        ("Classeur Excel (.xlsx)", True),
        ("Classeur LibreOffice (.ods)", False),
    ]
    assert "---" not in page
    assert "Format du fichier" in page


def test_the_import_reads_the_format_from_the_file_s_extension(coordinator_client, member_file):
    page = text_of(coordinator_client.get(reverse(IMPORT)))
    assert "<select" not in page  # no « csv / xlsx » to choose from
    workbook = openpyxl.Workbook()
    workbook.active.append(["Année", "Structure", "Statut"])
    workbook.active.append([2025, "APEI Hénin-Carvin", "Validée"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    preview = coordinator_client.post(
        reverse(IMPORT),
        {"import_file": SimpleUploadedFile("adhesions.xlsx", buffer.getvalue()), "resource": "0"},
    )
    assert "confirm_form" in preview.context, text_of(preview)
    refused = coordinator_client.post(
        reverse(IMPORT),
        {"import_file": SimpleUploadedFile("adhesions.pdf", b"%PDF-1.4"), "resource": "0"},
    )
    assert "Choisissez un fichier .csv ou .xlsx." in text_of(refused)
