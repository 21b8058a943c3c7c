"""Spreadsheets for French Excel (association/spreadsheets.py), shared by the member file's
import and export, the events' registrations and the SCIC's register."""

import datetime
from decimal import Decimal

import tablib
import time_machine

from association.spreadsheets import (
    FrenchExcelCSV,
    csv_download,
    defuse_formulas,
    restore_formulas,
    spreadsheet_cell,
)


def test_negative_numbers_are_not_taken_for_formulas():
    dataset = tablib.Dataset(headers=["Cotisation (€)", "Notes"])
    dataset.append(["-30,00", Decimal("-30")])
    dataset.append(["-1 200,50", "-à rembourser"])

    assert list(defuse_formulas(dataset)) == [
        ("-30,00", Decimal("-30")),
        ("-1 200,50", "'-à rembourser"),
    ]


def test_a_defused_text_comes_back_as_it_was():
    dataset = tablib.Dataset(headers=["Nom"])
    for text in ("=SOMME(A1:A2)", "'=déjà défusé", "@Odette", "Odette"):
        dataset.append([text])

    defused = defuse_formulas(dataset)

    assert [row[0] for row in defused] == [
        "'=SOMME(A1:A2)",
        "''=déjà défusé",
        "'@Odette",
        "Odette",
    ]
    assert list(restore_formulas(defused)) == list(dataset)


@time_machine.travel(datetime.datetime(2025, 9, 25, 12, 30, tzinfo=datetime.UTC), tick=False)
def test_cells_read_the_french_way_in_local_time():
    moment = datetime.datetime(2025, 9, 25, 12, 30, tzinfo=datetime.UTC)

    assert spreadsheet_cell(Decimal("1250")) == "1250,00"
    assert spreadsheet_cell(datetime.date(2025, 9, 25)) == "25/09/2025"
    assert spreadsheet_cell(moment) == "25/09/2025 14:30"  # Europe/Paris, summer time
    assert spreadsheet_cell(None) == ""
    assert spreadsheet_cell(3) == 3
    assert spreadsheet_cell("Odette") == "Odette"


def test_the_download_opens_in_french_excel():
    dataset = tablib.Dataset(headers=["Nom", "Ville"])
    dataset.append(["=HYPERLINK()", "Hénin-Beaumont"])

    response = csv_download(dataset, "liste.csv")

    assert response["Content-Type"] == FrenchExcelCSV.CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="liste.csv"'
    assert response.content.decode("utf-8") == (
        "\ufeffNom;Ville\r\n'=HYPERLINK();Hénin-Beaumont\r\n"
    )
