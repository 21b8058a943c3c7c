"""The network drawn: the structures, linked by their operational cooperations and by the
working groups they take part in, laid out on the server by networkx and drawn as SVG.

Each working group is drawn as a hub that its structures link to, rather than as a link
between every two of its structures: a group of twenty would otherwise draw 190 lines. The
same data is given as a list beside the drawing (`Network.entries`)."""

import math
from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from association.colors import DEFAULT_ACCENT_COLOR
from groups.models import WorkingGroup
from members.models import Structure
from report.models import Cooperation

SIZE = 560  # the drawing's square, in its own units; it scales to the page's width
MARGIN = 100  # room for the labels at the edges (a label is centred on its dot)
# Above this many nodes, networkx's force layout (quadratic in the nodes at each step) is
# given only the best-linked ones; the others are placed beside their best-linked neighbour.
MAX_FORCE_NODES = 350
LABELS_UP_TO = 80  # beyond, the structures' names would cover one another: the list has them


@dataclass
class Node:
    key: str
    label: str
    kind: str  # "structure" or "group"
    color: str = ""
    x: float = 0.0
    y: float = 0.0


@dataclass
class Entry:
    """A structure in the accessible list: its groups and its cooperations."""

    structure: Structure
    groups: list[WorkingGroup] = field(default_factory=list)
    cooperations: list[tuple[Cooperation, list[Structure]]] = field(default_factory=list)


@dataclass
class Network:
    nodes: dict[str, Node]
    edges: list[tuple[str, str, str]]  # (from, to, "cooperation" or "group")
    entries: list[Entry]

    @property
    def cooperation_count(self) -> int:
        return len({coop.pk for entry in self.entries for coop, _ in entry.cooperations})


def build_network(*, today=None) -> Network:
    """The network today: cooperations going on, active groups. Four queries."""
    today = today or timezone.localdate()
    groups = {g.pk: g for g in WorkingGroup.objects.active()}
    taking_part = list(
        WorkingGroup.participant_structures.through.objects.filter(
            workinggroup_id__in=groups
        ).values_list("workinggroup_id", "structure_id")
    )
    cooperations = {
        c.pk: c
        for c in Cooperation.objects.active_between(today, today)
        .operational()
        .select_related("group", "project")
    }
    linked = list(
        Cooperation.structures.through.objects.filter(cooperation_id__in=cooperations).values_list(
            "cooperation_id", "structure_id"
        )
    )
    ids = {s for _, s in taking_part} | {s for _, s in linked}
    structures = {s.pk: s for s in Structure.objects.filter(pk__in=ids).order_by("name")}
    return assemble(structures, groups, taking_part, cooperations, linked)


def assemble(structures: dict, groups: dict, taking_part, cooperations: dict, linked) -> Network:
    """The graph, its layout and its list, from records already fetched (no query)."""
    nodes = {
        f"g{pk}": Node(f"g{pk}", group.name, "group", group.accent_color)
        for pk, group in groups.items()
    }
    nodes |= {
        f"s{pk}": Node(f"s{pk}", structure.acronym or structure.name, "structure")
        for pk, structure in structures.items()
    }
    edges = [(f"s{s}", f"g{g}", "group") for g, s in taking_part]
    members = defaultdict(list)
    for coop, structure in linked:
        members[coop].append(structure)
    for ids in members.values():
        edges += [
            (f"s{a}", f"s{b}", "cooperation")
            for index, a in enumerate(ids)
            for b in ids[index + 1 :]
        ]
    _lay_out(nodes, edges)

    entries = {pk: Entry(structure) for pk, structure in structures.items()}
    for group_pk, structure_pk in taking_part:
        entries[structure_pk].groups.append(groups[group_pk])
    for coop, ids in members.items():
        for pk in ids:
            partners = [structures[other] for other in ids if other != pk]
            entries[pk].cooperations.append((cooperations[coop], partners))
    ordered = sorted(entries.values(), key=lambda e: e.structure.name.lower())
    return Network(nodes, edges, ordered)


def _lay_out(nodes: dict[str, Node], edges) -> None:
    graph = nx.Graph()
    graph.add_nodes_from(nodes)
    graph.add_edges_from((a, b) for a, b, _ in edges)
    if not graph:
        return
    # Leaves (one link) are put around their neighbour afterwards: the force layout then
    # handles only the core, which keeps it fast and the leaves tidy.
    leaves = {n for n in graph if graph.degree(n) == 1 and nodes[n].kind == "structure"}
    core = [n for n in graph if n not in leaves]
    core.sort(key=lambda n: -graph.degree(n))
    forced, rest = core[:MAX_FORCE_NODES], core[MAX_FORCE_NODES:]
    positions = nx.spring_layout(graph.subgraph(forced), seed=2021) if forced else {}
    for index, node in enumerate(rest):
        anchor = max((n for n in graph[node] if n in positions), key=graph.degree, default=None)
        x, y = positions.get(anchor, (0.0, 0.0))
        angle = index * 2.4  # the golden angle, in radians: neighbours spread evenly
        positions[node] = (x + 0.08 * math.cos(angle), y + 0.08 * math.sin(angle))
    by_anchor = defaultdict(list)
    for leaf in leaves:
        by_anchor[next(iter(graph[leaf]))].append(leaf)
    for anchor, around in by_anchor.items():
        x, y = positions.get(anchor, (0.0, 0.0))
        radius = 0.12 + 0.01 * len(around)
        for index, leaf in enumerate(sorted(around)):
            angle = 2 * math.pi * index / len(around)
            positions[leaf] = (x + radius * math.cos(angle), y + radius * math.sin(angle))
    for node in graph:  # lonely structures (no link) do not occur: each came with one
        positions.setdefault(node, (0.0, 0.0))
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    span = max(max(xs) - min(xs), max(ys) - min(ys)) or 1
    scale = (SIZE - 2 * MARGIN) / span
    for key, (x, y) in positions.items():
        nodes[key].x = MARGIN + (x - min(xs)) * scale
        nodes[key].y = MARGIN + (y - min(ys)) * scale


def draw(network: Network) -> SafeString:
    """The SVG of the network. Hidden from screen readers: the list beside says the same."""
    nodes = network.nodes
    labelled = sum(1 for n in nodes.values() if n.kind == "structure") <= LABELS_UP_TO
    lines = format_html_join(
        "",
        '<line class="network-{}" x1="{}" y1="{}" x2="{}" y2="{}"/>',
        (
            (kind, _at(nodes[a].x), _at(nodes[a].y), _at(nodes[b].x), _at(nodes[b].y))
            for a, b, kind in network.edges
        ),
    )
    hubs = format_html_join(
        "",
        '<circle class="network-group" cx="{}" cy="{}" r="11" fill="{}"/>',
        (
            (_at(n.x), _at(n.y), n.color or DEFAULT_ACCENT_COLOR)
            for n in nodes.values()
            if n.kind == "group"
        ),
    )
    dots = format_html_join(
        "",
        '<circle class="network-structure" cx="{}" cy="{}" r="5"/>',
        ((_at(n.x), _at(n.y)) for n in nodes.values() if n.kind == "structure"),
    )
    labels = _Labels()
    group_labels = [
        labels.place_group(n) for n in nodes.values() if n.kind == "group"
    ]  # first: a group's name has the first choice of place
    groups = format_html_join(
        "",
        '<text class="network-label network-label-group" x="{}" y="{}" text-anchor="{}">{}</text>',
        (
            (
                _at(x),
                _at(y),
                anchor,
                format_html_join(
                    "",
                    '<tspan x="{}" dy="{}">{}</tspan>',
                    (
                        (_at(x), "1.15em" if index else "0", line)
                        for index, line in enumerate(lines)
                    ),
                ),
            )
            for x, y, anchor, lines in group_labels
        ),
    )
    # A structure's name goes beside its dot where it covers no other name, or is left out:
    # the list names them all. On a phone the stylesheet hides them (they would be too small)
    # and draws the groups' names larger.
    structure_labels = (
        labels.place_structure(n) for n in nodes.values() if n.kind == "structure" and labelled
    )
    names = format_html_join(
        "",
        '<text class="network-label network-label-structure" x="{}" y="{}" '
        'text-anchor="{}">{}</text>',
        (label for label in structure_labels if label is not None),
    )
    return format_html(
        '<svg class="network" viewBox="0 0 {0} {0}" width="100%" aria-hidden="true" '
        'focusable="false">{1}{2}{3}{4}{5}</svg>',
        SIZE,
        lines,
        hubs,
        dots,
        names,
        groups,
    )


def _at(coordinate: float) -> str:
    return f"{coordinate:.1f}"


def _short(label: str, length: int = 22) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


def _anchor(x: float) -> str:
    """A label near an edge runs inwards from its dot rather than across the edge, where it
    would be cut: the margin holds half a label, not a whole one."""
    if x < SIZE / 3:
        return "start"
    if x > SIZE * 2 / 3:
        return "end"
    return "middle"


def _lines(label: str, width: int = 18) -> list[str]:
    """A group's name on two short lines (the second cut with « … » if need be), so that it
    stays inside the drawing when a phone draws it half as large again."""
    words = label.split()
    first = words.pop(0) if words else ""
    while words and len(first) + 1 + len(words[0]) <= width:
        first += " " + words.pop(0)
    rest = _short(" ".join(words), width) if words else ""
    return [line for line in (_short(first, width), rest) if line]


GROUP_FONT = 24  # the groups' names on a phone, their largest, in the drawing's units
STRUCTURE_FONT = 15  # report.css
LETTER = 0.62  # an average letter's width, in em (bold sans): the boxes are estimates


class _Labels:
    """Places the names one by one, each where it covers none already placed."""

    def __init__(self):
        self.boxes: list[tuple[float, float, float, float]] = []

    def place_group(self, node: Node):
        """Under the hub, above it, beside it, or lower and lower under it until it is free."""
        lines = _lines(node.label)
        line_height = 1.15 * GROUP_FONT
        height = len(lines) * line_height
        below = node.y + 26
        beside = node.y + 8 - (len(lines) - 1) * line_height / 2
        spots = [
            (node.x, below, _anchor(node.x)),
            (node.x, node.y - 18 - (len(lines) - 1) * line_height, _anchor(node.x)),
            (node.x + 16, beside, "start"),
            (node.x - 16, beside, "end"),
            *((node.x, below + step * line_height, _anchor(node.x)) for step in range(1, 6)),
        ]
        width = max(len(line) for line in lines) * LETTER * GROUP_FONT
        placed = self._first_free(spots, width, GROUP_FONT, height)
        return (*(placed or spots[0]), lines)

    def place_structure(self, node: Node):
        """Under the dot, above it, right of it or left of it: the first that is free."""
        label = _short(node.label)
        spots = [
            (node.x, node.y + 18, _anchor(node.x)),
            (node.x, node.y - 9, _anchor(node.x)),
            (node.x + 9, node.y + 5, "start"),
            (node.x - 9, node.y + 5, "end"),
        ]
        width = len(label) * LETTER * STRUCTURE_FONT
        placed = self._first_free(spots, width, STRUCTURE_FONT, 1.2 * STRUCTURE_FONT)
        return None if placed is None else (*(_at(c) for c in placed[:2]), placed[2], label)

    def _first_free(self, spots, width: float, ascent: float, height: float):
        for x, y, anchor in spots:
            left = {"start": x, "end": x - width}.get(anchor, x - width / 2)
            box = (left, y - ascent, left + width, y - ascent + height)
            if box[0] >= 0 and box[2] <= SIZE and not any(_cross(box, b) for b in self.boxes):
                self.boxes.append(box)
                return x, y, anchor
        return None


def _cross(a, b) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def bench_network(*, structures: int, groups: int = 8, cooperations: int = 400) -> float:
    """Seconds to lay out and draw a made-up network of that size (`make bench`): each
    structure in one or two groups, each cooperation between two or three structures."""
    import random
    import time

    chance = random.Random(2021)
    group_records = {
        pk: WorkingGroup(pk=pk, name=f"Groupe {pk}", accent_color="#1f5f8b")
        for pk in range(1, groups + 1)
    }
    structure_records = {
        pk: Structure(pk=pk, name=f"Structure {pk}") for pk in range(1, structures + 1)
    }
    taking_part = {
        (chance.randint(1, groups), pk)
        for pk in structure_records
        for _ in range(chance.randint(1, 2))
    }
    cooperation_records = {
        pk: Cooperation(pk=pk, title=f"Coopération {pk}") for pk in range(1, cooperations + 1)
    }
    linked = [
        (pk, structure)
        for pk in cooperation_records
        for structure in chance.sample(range(1, structures + 1), chance.randint(2, 3))
    ]
    start = time.perf_counter()
    draw(
        assemble(
            structure_records, group_records, sorted(taking_part), cooperation_records, linked
        )
    )
    return time.perf_counter() - start
