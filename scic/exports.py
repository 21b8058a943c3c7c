"""The register and its movements for French Excel (association/spreadsheets.py): CSV with
`;`, UTF-8 with a byte order mark, « 1250,00 » numbers and « 25/09/2025 » dates, formulas
defused as the member file's exports are."""

import tablib
from django.http import HttpResponse
from django.utils import timezone

from association.spreadsheets import csv_download, spreadsheet_cell
from scic.models import ShareMovement
from scic.services.reading import register_on


def register_rows(lines) -> tablib.Dataset:
    """One row per associate: the lines of `register_on`, as the printed register reads them."""
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
    for line in lines:
        associate = line.associate
        dataset.append(
            [
                spreadsheet_cell(value)
                for value in (
                    associate.number,
                    associate.name,
                    "structure" if associate.structure_id else "personne",
                    line.category.name,
                    line.college.name if line.college else "",
                    associate.entry_date,
                    line.shares,
                    line.capital,
                    line.paid_up,
                    line.last_paid_on,
                    line.exit_date,
                    associate.get_exit_reason_display() if line.exit_date else "",
                )
            ]
        )
    return dataset


def register_csv(associates=None) -> HttpResponse:
    """The register today (`associates`: only those of this queryset)."""
    lines = register_on().lines
    if associates is not None:
        wanted = set(associates.values_list("pk", flat=True))
        lines = [line for line in lines if line.associate.pk in wanted]
    return csv_download(
        register_rows(lines), f"registre-des-associes-{timezone.localdate():%Y-%m-%d}.csv"
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
