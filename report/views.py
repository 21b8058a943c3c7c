"""The public report of a year, its figures as CSV, and the network drawn."""

import csv

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_safe
from django.views.generic import TemplateView

from association import formats
from report import figures, network, pages


def _year(value: int) -> int:
    if value not in pages.reportable_years():
        raise Http404("Pas de bilan pour cette année.")
    return value


@require_safe
def latest_report(request):
    return redirect("report:report_year", year=pages.latest_complete_year())


class YearReportView(TemplateView):
    """« Bilan de l'année » : each figure computed or declared, its chart over the years, how
    it is calculated, and each group's highlights. Prints as an A4 report."""

    template_name = "report/year.html"

    def get_context_data(self, **kwargs):
        report = pages.year_report(_year(kwargs["year"]))
        return super().get_context_data(**{**kwargs, **report})


@require_safe
def report_csv(request, year: int):
    """The figures of the chart's years as the report shows them (declared where published),
    then the year's computed and declared ones, for a spreadsheet in French: semicolons,
    decimal commas and a byte-order mark, so that Excel opens it right with a double click."""
    years = figures.chart_years(_year(year))
    by_year = figures.figures_for_years(years)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="bilan-{year}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(["Chiffre", *years, f"Calculé en {year}", f"Déclaré en {year}"])
    for index, figure in enumerate(figures.FIGURES):
        values = [by_year[y].values[index] for y in years]
        current = values[-1]
        declared = current.declared
        writer.writerow(
            [
                figure.label,
                *(formats.number(v.shown, figure.decimals) for v in values),
                formats.number(current.computed, figure.decimals),
                "" if declared is None else formats.number(declared, figure.decimals),
            ]
        )
    return response


class NetworkView(TemplateView):
    """The structures and what links them (cooperations, working groups), drawn and listed."""

    template_name = "report/network.html"

    def get_context_data(self, **kwargs):
        drawn = network.build_network()
        return super().get_context_data(
            network=drawn, drawing=network.draw(drawn), year=pages.latest_complete_year(), **kwargs
        )
