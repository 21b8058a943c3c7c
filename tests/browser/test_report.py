"""The yearly report and the network page in a real Chromium: WCAG 2.1 AA per axe-core, no
horizontal scroll on a 360 px phone, valid HTML, and the report printed on A4 pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, assert_fits, validate_html
from tests.factories import (
    ActivityCountFactory,
    ActivityReportFactory,
    CooperationFactory,
    MeetingAnswerFactory,
    MeetingFactory,
    PersonFactory,
    ProjectFactory,
    StructureFactory,
    WorkingGroupFactory,
    YearlyFiguresFactory,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def report_year(db):
    year = timezone.localdate().year - 1
    YearlyFiguresFactory(year=year - 1, meetings=34, beneficiaries=1932, source="Bilan")
    group = WorkingGroupFactory(name="Développement social local et citoyenneté active")
    structures = [
        StructureFactory(name="Les Compagnons Bâtisseurs Hauts-de-France", acronym=""),
        StructureFactory(name="1001 Commerce"),
        StructureFactory(name="Association départementale pour le développement", acronym="ADDS"),
    ]
    group.participant_structures.add(*structures)
    meeting = MeetingFactory(group=group, date=datetime.date(year, 2, 27))
    for structure in structures:
        MeetingAnswerFactory(
            meeting=meeting, person=PersonFactory(structure=structure), present=True
        )
    project = ProjectFactory(group=group, name="Maison du projet Cœur de Mineur")
    report = ActivityReportFactory(
        project=project,
        period_start=datetime.date(year, 1, 1),
        period_end=datetime.date(year + 1, 1, 31),
        beneficiaries=111,
        hours_jobs_created=Decimal(2400),
    )
    for label, value in (("ateliers participatifs", 13), ("permanences", 14)):
        ActivityCountFactory(report=report, label=label, value=value)
    CooperationFactory(
        title="Boutique de créateurs « Coup de Cœur »",
        structures=structures[1:],
        since=datetime.date(year - 1, 12, 1),
        group=group,
    )
    return year


def test_the_report_and_the_network_on_a_phone(live_server, page, report_year, tmp_path):
    page.set_viewport_size(PHONE)
    documents = {}
    for path in (
        reverse("report:report_year", args=[report_year]),
        reverse("report:network"),
        reverse("site:home"),
    ):
        page.goto(live_server.url + path)
        assert_accessible(page, "téléphone")
        assert_fits(page, "téléphone")
        documents[path] = page.content()
        if path == reverse("report:network"):
            labels = page.evaluate(LABELS_AS_SEEN)
            # A name on two lines keeps its space at the end of the first.
            assert "".join(label["text"] for label in labels[:2]) == (
                "Développement social local et citoyenneté active"
            )
            assert "Les Compagnons Bâtisseurs Hauts-de-France" in "".join(
                label["text"] for label in labels
            )
            assert all(label["px"] >= 12 and label["inside"] for label in labels), labels
    assert validate_html(documents, tmp_path) == []


# The network's visible names as drawn: the font size in CSS pixels (the size in the drawing's
# units times the drawing's scale on screen), and whether the name lies inside the drawing.
LABELS_AS_SEEN = """() => {
  const svg = document.querySelector('svg.network');
  const frame = svg.getBoundingClientRect();
  const scale = svg.getScreenCTM().a;
  return [...svg.querySelectorAll('.network-label tspan, .network-label:not(:has(tspan))')]
    .filter(e => e.getClientRects().length > 0)
    .map(e => {
      const box = e.getBoundingClientRect();
      return {
        text: e.textContent,
        px: parseFloat(getComputedStyle(e).fontSize) * scale,
        inside: box.left >= frame.left && box.right <= frame.right
          && box.top >= frame.top && box.bottom <= frame.bottom,
      };
    });
}"""


def test_the_report_prints_on_a4(live_server, page, report_year, tmp_path):
    page.goto(live_server.url + reverse("report:report_year", args=[report_year]))
    pdf = tmp_path / "bilan.pdf"
    page.emulate_media(media="print")
    assert page.locator(".site-header").is_hidden()
    page.pdf(path=pdf, format="A4", prefer_css_page_size=True)
    assert pdf.read_bytes().startswith(b"%PDF")


@pytest.fixture
def partial_year(db):
    """Five years drawn: four declared, the last counted from three sign-in sheets of four
    (« au moins »), the people's figure the tallest bar."""
    year = timezone.localdate().year - 1
    for past in range(year - 4, year):
        YearlyFiguresFactory(year=past, members_involved=20 + past % 7, meetings=9)
    MeetingFactory(date=datetime.date(year - 1, 6, 1), status="held")
    group = WorkingGroupFactory(name="Mobilité")
    for index in range(4):
        meeting = MeetingFactory(
            group=group, date=datetime.date(year, 1 + index, 10), status="held"
        )
        if index < 3:
            for _ in range(40):
                MeetingAnswerFactory(meeting=meeting, person=PersonFactory(), present=True)
    return year


# Each chart's labels (values, « au moins », « n. r. », years): inside the drawing, clear of
# one another and of the bars.
CHART_CLASHES = """() => {
  const clash = (a, b) => a.left < b.right - 0.5 && b.left < a.right - 0.5
    && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
  const found = [];
  for (const svg of document.querySelectorAll('svg.chart')) {
    const frame = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')]
      .map(t => [t.textContent, t.getBoundingClientRect()]);
    const bars = [...svg.querySelectorAll('rect')].map(r => r.getBoundingClientRect());
    texts.forEach(([text, box], i) => {
      if (box.left < frame.left || box.right > frame.right || box.top < frame.top
          || box.bottom > frame.bottom) found.push(`${text} hors du dessin`);
      texts.slice(i + 1).forEach(([other, box2]) => {
        if (clash(box, box2)) found.push(`${text} sur ${other}`);
      });
      bars.forEach(bar => { if (clash(box, bar)) found.push(`${text} sur une barre`); });
    });
  }
  return found;
}"""


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1280", "360"])
def test_a_chart_s_au_moins_is_clear_of_the_value_the_bars_and_the_edge(
    live_server, page, partial_year, viewport
):
    page.set_viewport_size(viewport)
    page.goto(live_server.url + reverse("report:report_year", args=[partial_year]))
    people = page.locator('[aria-labelledby="chiffre-people"]')
    assert "au moins" in people.locator("svg.chart").inner_html()
    assert f"{partial_year} au moins 120" in people.locator("table").inner_text().replace(
        "\t", " "
    )
    assert page.evaluate(CHART_CLASHES) == []
