"""The public report of a year, its figures as CSV, and the network drawn."""

import tablib
from django.http import Http404
from django.shortcuts import redirect
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from association import formats, spreadsheets
from association.page_cache import cached_page
from report import figures, network, pages


def _year(value: int) -> int:
    if value not in pages.reportable_years():
        raise Http404("Pas de bilan pour cette année.")
    return value


@cached_page()
@require_safe
def latest_report(request):
    return redirect("report:report_year", year=figures.latest_complete_year())


@cached_page()
class YearReportView(TemplateView):
    """« Bilan de l'année » : each figure computed or declared, its chart over the years, how
    it is calculated, and each group's highlights. Prints as an A4 report."""

    template_name = "report/year.html"

    def get_context_data(self, **kwargs):
        report = pages.year_report(_year(kwargs["year"]))
        return super().get_context_data(**{**kwargs, **report})


def _cell(value, decimals: int) -> str:
    """« 1932 », « 19,7 »: a number French Excel reads as one (no thousands separator: a
    narrow no-break space would turn the cell into text); « non renseigné » for None
    (report/coverage.py), which a sum leaves out rather than counting as 0."""
    if value is None:
        return "non renseigné"
    return formats.number(value, decimals).replace(formats.NNBSP, "")


def _coverage_cell(value) -> str:
    """What the computed figure's records cover, opening with « chiffre calculé incomplet,
    au moins 1 » when it is only a lower bound: the bare number beside it, and any gap a
    spreadsheet works out from it, is then a bound too."""
    if not value.computed_partial:
        return value.coverage_text
    computed = _cell(value.computed, value.figure.decimals)
    return f"chiffre calculé incomplet, au moins {computed}{formats.NBSP}: {value.coverage_text}"


@cached_page()
@require_safe
def report_csv(request, year: int):
    """The figures of the chart's years as the report shows them (declared where published,
    computed otherwise, « non renseigné » where neither means anything; from the first year
    the portal or a declaration knows), then the year's computed and declared ones and what
    the computed one's records cover, for a
    spreadsheet in French (association/spreadsheets.py): semicolons, decimal commas and a
    byte-order mark, so that Excel opens it right with a double click."""
    by_year = figures.figures_for_years(figures.chart_years(_year(year)))
    years = pages.drawn_years(by_year)
    dataset = tablib.Dataset(
        headers=[
            "Chiffre",
            *years,
            f"Calculé en {year}",
            f"Déclaré en {year}",
            f"Ce que couvrent les enregistrements en {year}",
        ]
    )
    for index, figure in enumerate(figures.FIGURES):
        values = [by_year[y].values[index] for y in years]
        current = values[-1]
        declared = current.declared
        dataset.append(
            [
                figure.label,
                *(_cell(v.shown, figure.decimals) for v in values),
                _cell(current.computed if current.computed_known else None, figure.decimals),
                "" if declared is None else _cell(declared, figure.decimals),
                # A computed figure is « au moins » or « non renseigné » by it, which a
                # spreadsheet's number cannot say: the column says it in words.
                _coverage_cell(current),
            ]
        )
    return spreadsheets.csv_download(dataset, f"bilan-{year}.csv")


@cached_page()
class NetworkView(TemplateView):
    """The structures and what links them (cooperations, working groups), drawn and listed;
    beyond `network.MAX_DRAWN` structures, the best linked, the others in the directory."""

    template_name = "report/network.html"

    def get_context_data(self, **kwargs):
        drawn = network.build_network()
        return super().get_context_data(
            network=drawn,
            drawing=network.draw(drawn),
            max_drawn=network.MAX_DRAWN,
            year=figures.latest_complete_year(),
            **kwargs,
        )
