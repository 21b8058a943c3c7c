"""The register and its movements for French Excel (association/spreadsheets.py): CSV with
`;`, UTF-8 with a byte order mark, « 1250,00 » numbers and « 25/09/2025 » dates, formulas
defused as the member file's exports are."""

import tablib
from django.http import HttpResponse
from django.utils import timezone

from association.spreadsheets import csv_download, spreadsheet_cell
from scic.models import Associate, ShareMovement


def register_rows(associates) -> tablib.Dataset:
    """One row per associate (annotated `with_holdings`)."""
    dataset = tablib.Dataset(
        headers=[
            "N°",
            "Associé",
            "Structure ou personne",
            "Catégorie",
            "Collège",
            "Date d'entrée",
            "Parts",
            "Capital souscrit (€)",
            "Capital libéré (€)",
            "Dernier versement",
            "Date de sortie",
            "Motif de sortie",
        ],
        title="Registre des associés",
    )
    for associate in associates:
        dataset.append(
            [
                spreadsheet_cell(value)
                for value in (
                    associate.number,
                    associate.name,
                    "structure" if associate.structure_id else "personne",
                    associate.category.name,
                    associate.college.name if associate.college else "",
                    associate.entry_date,
                    associate.shares,
                    associate.capital,
                    associate.paid_up,
                    associate.last_paid_on,
                    associate.exit_date,
                    associate.get_exit_reason_display(),
                )
            ]
        )
    return dataset


def register_csv(associates=None) -> HttpResponse:
    associates = associates if associates is not None else Associate.objects.all()
    associates = associates.with_holdings().select_related(
        "structure", "person", "category", "college"
    )
    return csv_download(
        register_rows(associates), f"registre-des-associes-{timezone.localdate():%Y-%m-%d}.csv"
    )


def movements_csv(movements=None) -> HttpResponse:
    movements = movements if movements is not None else ShareMovement.objects.all()
    movements = movements.select_related(
        "associate__structure",
        "associate__person",
        "counterparty__structure",
        "counterparty__person",
    ).order_by("date", "pk")
    dataset = tablib.Dataset(
        headers=[
            "N° du mouvement",
            "Date",
            "N° d'associé",
            "Associé",
            "Mouvement",
            "Parts",
            "Valeur d'une part (€)",
            "Capital souscrit (€)",
            "Capital libéré (€)",
            "Autre associé de la cession",
            "Corrige le mouvement n°",
            "Motif ou pièce",
            "Enregistré par",
            "Enregistré le",
        ],
        title="Mouvements de parts",
    )
    for movement in movements:
        dataset.append(
            [
                spreadsheet_cell(value)
                for value in (
                    movement.pk,
                    movement.date,
                    movement.associate.number,
                    movement.associate.name,
                    movement.get_kind_display(),
                    movement.shares,
                    movement.share_value,
                    movement.amount,
                    movement.paid_amount,
                    movement.counterparty.name if movement.counterparty else "",
                    movement.corrects_id or "",
                    movement.note,
                    movement.recorded_by,
                    movement.recorded_at,
                )
            ]
        )
    return csv_download(dataset, f"mouvements-de-parts-{timezone.localdate():%Y-%m-%d}.csv")
