"""Spreadsheets for French Excel, for every app's exports: CSV with `;` between columns,
UTF-8 with a byte order mark so that accents survive, « 1250,00 » numbers and « 25/09/2025 »
dates, and no cell a spreadsheet could run as a formula (names and notes come from public
forms)."""

import csv
import datetime
import io
import re
from decimal import Decimal

import tablib
from django.http import HttpResponse
from django.utils import timezone
from import_export.formats import base_formats

# What a spreadsheet may run as a formula, or read as the start of one (OWASP, « CSV
# injection »): names and notes come from a public form.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def defuse_formulas(dataset: tablib.Dataset) -> tablib.Dataset:
    """A copy of `dataset` in which every text cell a spreadsheet could run as a formula starts
    with a quote, OWASP's advice: the spreadsheet shows it as text. Numbers (« -30,00 ») are
    left as they are. import-export's own IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only drops a
    leading « = » and turns every cell into text, so it is not used."""
    defused = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        defused.append([defuse_formula(cell) for cell in row])
    return defused


def restore_formulas(dataset: tablib.Dataset) -> tablib.Dataset:
    """The import's side of `defuse_formulas`: a file going out and back in leaves the text as
    it was instead of gaining a quote each time."""
    restored = tablib.Dataset(headers=dataset.headers, title=dataset.title)
    for row in dataset:
        restored.append([restore_formula(cell) for cell in row])
    return restored


class FrenchExcelCSV(base_formats.CSV):
    """CSV for French Excel: `;` between columns, UTF-8 with a BOM so accents survive.

    Import accepts `;` or `,` (whichever the header line uses) with or without BOM."""

    CONTENT_TYPE = "text/csv; charset=utf-8"

    def export_data(self, dataset, **kwargs):
        output = io.StringIO()
        writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
        writer.writerow(dataset.headers or [])
        writer.writerows(dataset)
        return "\ufeff" + output.getvalue()

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding or "utf-8-sig")
        in_stream = in_stream.removeprefix("\ufeff")
        header = in_stream.split("\n", 1)[0]
        delimiter = ";" if header.count(";") >= header.count(",") else ","
        return super().create_dataset(in_stream, delimiter=delimiter, **kwargs)


def defuse_formula(cell):
    """One cell as `defuse_formulas` writes it: a text a spreadsheet could run as a formula
    starts with a quote."""
    if isinstance(cell, str) and _looks_defused_or_formula(cell) and not _is_number(cell):
        return "'" + cell
    return cell


def _looks_defused_or_formula(cell: str) -> bool:
    # A text already starting with « '= » gets a second quote too, so that the import, which
    # removes one, gives it back as it was.
    return cell.startswith(FORMULA_START) or (cell[:1] == "'" and cell[1:2] in FORMULA_START)


def restore_formula(cell):
    """One cell as `defuse_formula` received it (the quote it added taken off)."""
    if isinstance(cell, str) and cell[:1] == "'" and _looks_defused_or_formula(cell[1:]):
        return cell[1:]
    return cell


def _is_number(value: str) -> bool:
    return bool(re.fullmatch(r"[+-]?\d[\d\s\u00a0\u202f]*(,\d+)?", value.strip()))


def spreadsheet_cell(value):
    """A value as French Excel reads it: « 1250,00 », « 25/09/2025 », « 25/09/2025 14:30 »
    (local time), empty for None; anything else as it is."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}".replace(".", ",")
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    return value


def csv_download(dataset: tablib.Dataset, filename: str) -> HttpResponse:
    """`dataset` as a CSV file for French Excel, formulas defused, downloaded as `filename`."""
    content = FrenchExcelCSV().export_data(defuse_formulas(dataset))
    response = HttpResponse(content, content_type=FrenchExcelCSV.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
