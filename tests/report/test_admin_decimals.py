"""The coordinator types the report's decimal figures as in French, « 1,5 » (the admin is in
French): the declared jobs and staff (ETP) and a project's hours. A number field refused
« 1,5 » (« Saisissez un nombre. »), and a browser in another language dropped it silently."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from report.models import ActivityReport, YearlyFigures
from tests.factories import ActivityReportFactory, YearlyFiguresFactory
from tests.public_site import page_text

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("identity")]


def test_the_declared_etp_figures_take_a_decimal_comma(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:report_yearlyfigures_add"),
        {"year": 2025, "is_published": "on", "jobs_created_fte": "19,7", "own_staff_fte": "1,5"},
    )
    assert response.status_code == 302, page_text(response)
    figures = YearlyFigures.objects.get(year=2025)
    assert (figures.jobs_created_fte, figures.own_staff_fte) == (Decimal("19.7"), Decimal("1.5"))


def test_a_point_is_still_understood(coordinator_client):
    response = coordinator_client.post(
        reverse("admin:report_yearlyfigures_add"),
        {"year": 2025, "is_published": "on", "own_staff_fte": "1.5"},
    )
    assert response.status_code == 302, page_text(response)
    assert YearlyFigures.objects.get(year=2025).own_staff_fte == Decimal("1.5")


def test_the_form_shows_a_declared_figure_with_a_comma_and_a_decimal_keyboard(
    coordinator_client,
):
    figures = YearlyFiguresFactory(year=2025, own_staff_fte=Decimal("1.5"))
    html = coordinator_client.get(
        reverse("admin:report_yearlyfigures_change", args=[figures.pk])
    ).content.decode()
    field = re.search(r'<input[^>]*name="own_staff_fte"[^>]*>', html).group()
    assert 'value="1,5"' in field
    assert 'inputmode="decimal"' in field and 'type="text"' in field


def test_a_project_s_hours_take_a_decimal_comma(coordinator_client):
    report = ActivityReportFactory()
    url = reverse("admin:report_activityreport_change", args=[report.pk])
    data = {
        "project": report.project.pk,
        "period_start": report.period_start.strftime("%d/%m/%Y"),
        "period_end": report.period_end.strftime("%d/%m/%Y"),
        "source": report.source,
        "beneficiaries": 3,
        "hours_jobs_created": "803,5",
        "hours_jobs_maintained": "1 607",
        "counts-TOTAL_FORMS": 0,
        "counts-INITIAL_FORMS": 0,
    }
    response = coordinator_client.post(url, data)
    assert response.status_code == 302, page_text(response)
    report = ActivityReport.objects.get(pk=report.pk)
    assert (report.hours_jobs_created, report.hours_jobs_maintained) == (
        Decimal("803.5"),
        Decimal("1607"),
    )
