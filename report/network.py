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
    labels = format_html_join(
        "",
        '<text class="network-label network-label-{}" x="{}" y="{}" '
        'text-anchor="middle">{}</text>',
        (
            (n.kind, _at(n.x), _at(n.y + (26 if n.kind == "group" else 18)), _short(n.label))
            for n in nodes.values()
            if n.kind == "group" or labelled
        ),
    )
    return format_html(
        '<svg class="network" viewBox="0 0 {0} {0}" width="100%" aria-hidden="true" '
        'focusable="false">{1}{2}{3}{4}</svg>',
        SIZE,
        lines,
        hubs,
        dots,
        labels,
    )


def _at(coordinate: float) -> str:
    return f"{coordinate:.1f}"


def _short(label: str, length: int = 22) -> str:
    return label if len(label) <= length else label[: length - 1].rstrip() + "…"


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
