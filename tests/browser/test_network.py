"""The network drawn, measured in a real Chromium at 1 280 and 360 px, on the demo and on a
network a hundred times larger: every node has its full name, no name covers another name or a
dot, nothing is cut at the drawing's or the window's edge; hovering and focusing light a
node's neighbours; a structure's page draws its own small network."""

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Structure
from ptce.demo.volume import SCALES, build_network
from report.network import MAX_DRAWN
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.django_db(transaction=True)

# Each name's lines, each dot and hub, as the browser lays them out, in CSS pixels.
MEASURE = """(selector) => {
  const svg = document.querySelector(selector);
  const box = (e) => {
    const r = e.getBoundingClientRect();
    return [r.left, r.top, r.right, r.bottom];
  };
  return {
    frame: box(svg),
    window: document.documentElement.clientWidth,
    labels: [...svg.querySelectorAll('text.network-label')].map((t) => ({
      node: t.closest('[data-node]')?.dataset.node || '',
      text: [...t.querySelectorAll('tspan')].map((s) => s.textContent).join(''),
      boxes: [...t.querySelectorAll('tspan')].map(box),
      px: parseFloat(getComputedStyle(t).fontSize) * svg.getScreenCTM().a,
    })),
    dots: [...svg.querySelectorAll('circle')].map((c) => ({
      node: c.closest('[data-node]').dataset.node,
      box: box(c),
    })),
    names: [...svg.querySelectorAll('a[data-node]')].map((a) => ({
      node: a.dataset.node,
      name: a.dataset.detail,
    })),
  };
}"""

TOLERANCE = 0.5  # px: boxes that touch do not overlap


def _cross(a, b) -> bool:
    return (
        a[0] < b[2] - TOLERANCE
        and b[0] < a[2] - TOLERANCE
        and a[1] < b[3] - TOLERANCE
        and b[1] < a[3] - TOLERANCE
    )


def _inside(box, frame) -> bool:
    return (
        box[0] >= frame[0] - TOLERANCE
        and box[2] <= frame[2] + TOLERANCE
        and box[1] >= frame[1] - TOLERANCE
        and box[3] <= frame[3] + TOLERANCE
    )


def assert_readable(page, expected_names: dict[str, str], selector="svg.network") -> int:
    """Fails on any overlap, cut or missing name; returns the number of names measured."""
    drawn = page.evaluate(MEASURE, selector)
    frame = drawn["frame"]
    assert frame[0] >= 0 and frame[2] <= drawn["window"], f"dessin coupé : {frame}"
    problems = []
    labels = drawn["labels"]
    for index, label in enumerate(labels):
        if label["px"] < 12:
            problems.append(f"« {label['text']} » en {label['px']:.1f} px")
        for line in label["boxes"]:
            if not _inside(line, frame):
                problems.append(f"« {label['text']} » coupé : {line} hors de {frame}")
            for other in labels[index + 1 :]:
                if any(_cross(line, box) for box in other["boxes"]):
                    problems.append(f"« {label['text']} » sur « {other['text']} »")
            for dot in drawn["dots"]:
                if _cross(line, dot["box"]):
                    problems.append(f"« {label['text']} » sur le point {dot['node']}")
    for dot in drawn["dots"]:
        if not _inside(dot["box"], frame):
            problems.append(f"point {dot['node']} coupé")
    named = {label["node"]: label["text"] for label in labels if label["node"]}
    for key, name in expected_names.items():
        if named.get(key) != name:
            problems.append(f"{key} : « {named.get(key)} » au lieu de « {name} »")
    assert not problems, f"{page.url} à {drawn['window']} px :\n" + "\n".join(problems[:30])
    return len(labels)


def _expected_names() -> dict[str, str]:
    """Every node drawn, by its key, with its full name (the list beside names the same)."""
    from report.network import build_network as drawn_network

    network = drawn_network()
    return {key: node.label for key, node in network.nodes.items()}


def _check_both_widths(page, url: str) -> None:
    expected = _expected_names()
    assert expected, "rien à dessiner"
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(url)
        assert assert_readable(page, expected) >= len(expected)


def test_the_demo_network_is_readable_at_both_widths(live_server, page, newsletter):
    _check_both_widths(page, live_server.url + reverse("report:network"))


@pytest.fixture
def hundredfold():
    """The benchmark's 100x network: 1 000 structures in 16 groups, 500 cooperations."""
    build_network(**SCALES[100], today=timezone.localdate())


def test_the_network_a_hundred_times_larger_is_readable_at_both_widths(
    live_server, page, hundredfold
):
    _check_both_widths(page, live_server.url + reverse("report:network"))
    said = page.inner_text("main")
    assert f"le dessin et la liste montrent les {MAX_DRAWN} plus reliées" in said


def test_hovering_and_focusing_light_the_neighbours(live_server, page, newsletter):
    page.goto(live_server.url + reverse("report:network"))
    detail = page.locator("#network-detail")
    cooperation = page.locator(".network-link-cooperation").first
    cooperation.focus()
    assert detail.inner_text().startswith("Coopération «\u00a0")
    ends = cooperation.get_attribute("data-ends").split()
    for key in ends:
        assert "is-lit" in page.locator(f'[data-node="{key}"]').get_attribute("class")
    # A structure by the keyboard: its groups and partners light up, the others fade.
    structure = page.locator(f'a[data-node="{ends[0]}"]')
    structure.focus()
    assert detail.inner_text() == structure.get_attribute("data-detail")
    said = detail.inner_text()
    assert " — groupes\u00a0: " in said or " — coopère avec\u00a0: " in said
    lit = page.locator(".network-node.is-lit").count()
    assert 2 <= lit < page.locator(".network-node").count()
    page.locator("h1").hover()
    page.locator('a[data-node^="g"] circle').first.hover()
    assert page.locator(".network-link-group.is-lit").count() >= 1
    page.mouse.move(0, 0)
    assert page.locator(".is-lit").count() == 0


def test_a_screen_reader_hears_each_name_whole(live_server, page, newsletter):
    """A name wrapped on two lines is two tspans, which the browser joined without a space
    (« Mobilité sociale, solidaire etinclusive », « AFEJI Hauts-de-France (AFEJIHDF) »)."""
    from report.network import build_network as drawn_network

    page.set_viewport_size(PHONE)
    page.goto(live_server.url + reverse("report:network"))
    drawing = page.locator("svg.network")
    names = [node.label for node in drawn_network().nodes.values()]
    assert any(len(node["boxes"]) > 1 for node in page.evaluate(MEASURE, "svg.network")["labels"])
    for name in names:
        assert drawing.get_by_role("link", name=name, exact=True).count() == 1, name


def test_a_structure_page_draws_its_own_network(live_server, page, newsletter):
    from report.network import build_network as drawn_network

    # In a working group and in the Coup de Cœur shop's cooperation with ACTIV.
    structure = Structure.objects.get(name="1001 Commerce")
    expected = {key: node.label for key, node in drawn_network(structure=structure).nodes.items()}
    for viewport in (DESKTOP, PHONE):
        page.set_viewport_size(viewport)
        page.goto(live_server.url + structure.get_absolute_url())
        assert assert_readable(page, expected) >= len(expected) >= 3
