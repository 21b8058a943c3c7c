"""/donnees/reseau-national/: the directory, the agenda and the figures of the other portals
read (opendata/harvest.py), each with its source and its licence. A plain list and a table,
no map: readable by a screen reader and on a phone."""

from decimal import Decimal, InvalidOperation

from django.db.models import Exists, F, OuterRef, Window
from django.db.models.functions import RowNumber
from django.utils import timezone
from django.views.generic import TemplateView

from association.page_cache import cached_page
from opendata.models import HarvestedRecord, RemotePortal
from report.figures import FIGURES, latest_complete_year

# The agenda lists the next AGENDA_SIZE meetings and events of the network, at most
# AGENDA_PER_PORTAL of each portal: a busy (or flooding) one leaves room for the others.
AGENDA_SIZE = 200
AGENDA_PER_PORTAL = 50


@cached_page()
class NationalView(TemplateView):
    template_name = "opendata/national.html"

    def get_context_data(self, **kwargs):
        # The portals still read that something was read from, in the order they were added.
        portals = list(
            RemotePortal.objects.filter(
                Exists(HarvestedRecord.objects.filter(portal=OuterRef("pk"))), is_active=True
            ).order_by("pk")
        )
        records = HarvestedRecord.objects.filter(portal__is_active=True).select_related("portal")
        structures = records.filter(dataset=HarvestedRecord.Dataset.STRUCTURES).order_by(
            "portal_id", "data__nom"
        )
        agenda = (
            records.filter(
                dataset__in=(HarvestedRecord.Dataset.MEETINGS, HarvestedRecord.Dataset.EVENTS),
                date__gte=timezone.localdate(),
            )
            .annotate(
                rank=Window(
                    RowNumber(), partition_by=F("portal_id"), order_by=("date", "identifier")
                )
            )
            .filter(rank__lte=AGENDA_PER_PORTAL)
            .order_by("date", "portal_id", "identifier")[:AGENDA_SIZE]
        )
        return super().get_context_data(
            portals=portals,
            structures=structures,
            agenda=agenda,
            agenda_size=AGENDA_SIZE,
            agenda_per_portal=AGENDA_PER_PORTAL,
            **figures_side_by_side(portals),
            **kwargs,
        )


def figures_side_by_side(portals: list[RemotePortal]) -> dict:
    """The latest complete year any portal published, and for each figure a row of each
    portal's published value (None where a portal has none)."""
    rows = list(
        HarvestedRecord.objects.filter(
            dataset=HarvestedRecord.Dataset.FIGURES, portal__is_active=True
        ).values_list("portal_id", "data")
    )
    # A year not over has no figures yet: a portal claiming one (its clock, or on purpose)
    # would blank the table of all the others.
    latest = latest_complete_year()
    rows = [(portal, data) for portal, data in rows if int(data["annee"]) <= latest]
    years = [int(data["annee"]) for _portal, data in rows]
    if not years:
        return {"figures_year": None, "figure_rows": []}
    year = max(years)
    values = {
        (portal, data["indicateur"]): data["valeur_publiee"]
        for portal, data in rows
        if int(data["annee"]) == year
    }
    figure_rows = [
        {
            "label": figure.label,
            "decimals": figure.decimals,
            "values": [_number(values.get((portal.pk, figure.key))) for portal in portals],
        }
        for figure in FIGURES
        if any((portal.pk, figure.key) in values for portal in portals)
    ]
    return {"figures_year": year, "figure_rows": figure_rows}


# Beyond it a figure is not a PTCE's (and Decimal cannot print it with its decimals).
LARGEST_FIGURE = Decimal(10**12)


def _number(value: str | None) -> Decimal | None:
    """The published value, or None for nothing, and for what no one can print: Table
    Schema's NaN and INF, a number out of all proportion."""
    try:
        number = Decimal(value) if value else None
    except InvalidOperation:
        return None
    if number is None or not number.is_finite() or abs(number) >= LARGEST_FIGURE:
        return None
    return number
