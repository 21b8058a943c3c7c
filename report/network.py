"""The network drawn: the structures, linked by their operational cooperations and by the
working groups they take part in, drawn on the server as SVG, with the same links as a list.

The drawing is laid out in rows rather than by a force layout: a force layout puts names over
names and over dots, cuts them at the edges and, shrunk to a phone's width, makes them
unreadable (issue 22). Here each working group is a hub of its colour heading its structures;
each structure is a dot on its own row with its full name beside it, wrapped on as many lines
as it needs; a group reaches each of its structures (also those listed under another group)
along its own coloured lane on the left; a cooperation is a dark arc between its structures'
dots, in a band of its own between the lanes and the dots. Rows never share a line, the lanes
and the arcs stay left of the names, and the drawing keeps its size in CSS pixels up to the
width of the page: no name covers another or a dot, none is cut, and the text stays as large
on a phone as on a computer (tests/browser/test_network.py measures it).

Beyond `MAX_DRAWN` structures (a network a hundred times the demo's), the drawing shows the
best-linked ones and says so; the list beside it names the same, and the directory, filtered
by group, holds the others: the page costs the same whatever the size."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import pairwise

from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from association.colors import DEFAULT_ACCENT_COLOR
from association.formats import typography
from groups.models import WorkingGroup
from members.models import Structure
from report.models import Cooperation

# Structures drawn at most, the best linked: a drawing one reads, and 100x costs little more.
MAX_DRAWN = 25
WIDTH = 390  # in CSS pixels when the page is wide enough: 15 px names stay 12 px at 360
FONT = 15  # report.css: .network-label
LINE = 19  # a line of a name (the font's ascent and descent come to about 17.5)
ROW_GAP = 7
# An average letter's width in em, a little more than the widest sans the portal may get:
# the names are wrapped on these estimates, and the browser test checks them.
LETTER, BOLD_LETTER = 0.62, 0.68
HUB, DOT = 7, 5  # radii
RIGHT_PAD = 4
# What the drawing and the list show of a structure: its name (`display_name`) and its page.
SHOWN = ("name", "acronym", "slug")


@dataclass
class Node:
    key: str
    label: str
    kind: str  # "structure" or "group"
    url: str
    color: str = ""
    detail: str = ""  # what hovering or focusing it says
    x: float = 0.0
    y: float = 0.0
    lines: list[str] = field(default_factory=list)


@dataclass
class Link:
    ends: tuple[str, ...]  # node keys
    kind: str  # "group" or "cooperation"
    key: str = ""
    detail: str = ""
    color: str = ""


@dataclass
class Entry:
    """A structure in the accessible list: its groups and its cooperations."""

    structure: Structure
    groups: list[WorkingGroup] = field(default_factory=list)
    cooperations: list[tuple[Cooperation, list[Structure]]] = field(default_factory=list)
    # Its page and its groups' (name, page), each address resolved once for the whole page:
    # resolving them in the template cost as much as the rest of the list.
    url: str = ""
    group_links: list[tuple[str, str]] = field(default_factory=list)

    @property
    def cooperations_text(self) -> str:
        """« Partenaire A, Partenaire B (Boutique) ; Partenaire C (Atelier) »: said at once
        rather than by three nested loops of the template, which cost a quarter of the page
        with 25 structures."""
        return "\u202f; ".join(
            ", ".join(partner.display_name for partner in partners) + f" ({cooperation.title})"
            for cooperation, partners in self.cooperations
        )


@dataclass
class Network:
    nodes: dict[str, Node]
    links: list[Link]
    entries: list[Entry]
    total: int = 0  # structures in the network, drawn or not
    groups: list[WorkingGroup] = field(default_factory=list)
    other_heading: str = "Hors groupes de travail"
    height: float = 0.0
    # Set by `lay_out`: the headings without a hub (text, x, y), the dots' and names' x.
    headings: list[tuple[str, float, float]] = field(default_factory=list)
    dot_x: float = 0.0
    text_x: float = 0.0

    @property
    def cooperation_count(self) -> int:
        return len({coop.pk for entry in self.entries for coop, _ in entry.cooperations})

    @property
    def is_cut(self) -> bool:
        return self.total > len(self.entries)


def build_network(
    *, today=None, structure: Structure | None = None, limit: int | None = None
) -> Network:
    """The network today (cooperations going on, active groups and their structures), or the
    part of it around `structure`: its groups, its cooperations and their partners, read
    without the rest. Five queries; the links are read as pairs of ids, and only what is
    drawn as records, so that 1 000 structures cost little more than ten."""
    today = today or timezone.localdate()
    going_on = Cooperation.objects.active_between(today, today).operational()
    active = WorkingGroup.objects.active()
    if structure is not None:
        going_on = going_on.filter(pk__in=structure.cooperations.values("pk"))
        active = active.filter(participant_structures=structure)
    linked = list(
        Cooperation.structures.through.objects.filter(cooperation__in=going_on.values("pk"))
        .order_by("cooperation_id", "structure_id")
        .values_list("cooperation_id", "structure_id")
    )
    groups = {g.pk: g for g in active.order_by("order", "name")}
    participation = WorkingGroup.participant_structures.through.objects.filter(
        workinggroup_id__in=groups
    )
    if structure is not None:
        participation = participation.filter(
            structure_id__in={structure.pk} | {s for _, s in linked}
        )
    taking_part = list(participation.values_list("workinggroup_id", "structure_id"))
    degree = Counter(s for _, s in taking_part) + Counter(s for _, s in linked)
    total = len(degree)
    best_linked = sorted(degree.items(), key=lambda item: (-item[1], item[0]))
    drawn = {s for s, _ in best_linked[: limit or MAX_DRAWN]}
    if structure is not None:
        drawn.add(structure.pk)
    with_drawn = {c for c, s in linked if s in drawn}
    linked = [(c, s) for c, s in linked if c in with_drawn]
    partners = {s for _, s in linked}
    # Only the columns shown: fewer values to convert for each record.
    cooperations = {
        c.pk: c
        for c in Cooperation.objects.filter(pk__in=with_drawn)
        .select_related("project")
        .only("title", "project__name")
    }
    structures = {
        s.pk: s
        for s in Structure.objects.filter(pk__in=drawn | partners).only(*SHOWN).order_by("name")
    }
    network = assemble(
        {pk: structures[pk] for pk in drawn if pk in structures},
        groups,
        taking_part,
        cooperations,
        linked,
        partners={pk: structures[pk] for pk in partners if pk in structures},
    )
    network.total = total
    if structure is not None:
        network.other_heading = "Partenaires hors de ces groupes"
    lay_out(network)
    return network


def assemble(
    structures: dict, groups: dict, taking_part, cooperations: dict, linked, *, partners=None
) -> Network:
    """The nodes, links and list of the `structures` drawn, from records already fetched
    (no query). `partners` holds the structures named as cooperation partners, drawn or not."""
    partners = {**(partners or {}), **structures}
    members = defaultdict(list)
    for coop, pk in linked:
        members[coop].append(pk)
    group_urls = _addresses(groups.values())
    structure_urls = _addresses(structures.values())
    entries = {
        pk: Entry(structure, url=structure_urls[pk]) for pk, structure in structures.items()
    }
    for group_pk, structure_pk in taking_part:
        if structure_pk in entries:
            entries[structure_pk].groups.append(groups[group_pk])
            entries[structure_pk].group_links.append((groups[group_pk].name, group_urls[group_pk]))
    for coop, ids in members.items():
        for pk in ids:
            if pk in entries:
                named = [partners[o] for o in ids if o != pk and o in partners]
                entries[pk].cooperations.append((cooperations[coop], named))
    nodes = {}
    for pk, group in groups.items():
        count = sum(1 for g, s in taking_part if g == pk and s in structures)
        nodes[f"g{pk}"] = Node(
            f"g{pk}",
            group.name,
            "group",
            group_urls[pk],
            color=group.accent_color or DEFAULT_ACCENT_COLOR,
            detail=typography(
                f"Groupe {group.name} : {count} structure{'s' if count > 1 else ''} "
                "dessinée" + ("s" if count > 1 else "")
            ),
        )
    for pk, entry in entries.items():
        nodes[f"s{pk}"] = Node(
            f"s{pk}",
            entry.structure.display_name,
            "structure",
            entry.url,
            detail=_structure_detail(entry),
        )
    links = [
        Link((f"g{g}", f"s{s}"), "group", color=groups[g].accent_color or DEFAULT_ACCENT_COLOR)
        for g, s in taking_part
        if s in structures
    ]
    for coop, ids in members.items():
        drawn = [f"s{pk}" for pk in ids if pk in structures]
        if len(drawn) >= 2:
            cooperation = cooperations[coop]
            names = ", ".join(partners[pk].display_name for pk in ids if pk in partners)
            project = f" (projet {cooperation.project.name})" if cooperation.project else ""
            links.append(
                Link(
                    tuple(drawn),
                    "cooperation",
                    key=f"c{coop}",
                    detail=typography(f"Coopération « {cooperation.title} »{project} : {names}"),
                )
            )
    ordered = sorted(entries.values(), key=lambda e: e.structure.name.lower())
    return Network(nodes, links, ordered, total=len(entries), groups=list(groups.values()))


def _addresses(records) -> dict:
    """Each record's page (its `get_absolute_url`, which ends in its slug), by its id: the
    first one's address with each one's slug, rather than a `reverse()` for each, which cost
    a tenth of the page with 41 nodes."""
    records = list(records)
    if not records:
        return {}
    url = records[0].get_absolute_url()
    cut = url.rindex(records[0].slug)
    prefix, suffix = url[:cut], url[cut + len(records[0].slug) :]
    return {record.pk: f"{prefix}{record.slug}{suffix}" for record in records}


def _structure_detail(entry: Entry) -> str:
    parts = [entry.structure.display_name]
    if entry.groups:
        parts.append("groupes : " + ", ".join(g.name for g in entry.groups))
    if entry.cooperations:
        parts.append(
            "coopère avec : "
            + " ; ".join(
                ", ".join(p.display_name for p in partners) + f" ({coop.title})"
                for coop, partners in entry.cooperations
            )
        )
    return typography(" — ".join(parts))


# --- Layout ---------------------------------------------------------------------------------


def _wrap(text: str, width: float, letter: float) -> list[str]:
    """`text` on lines no wider than `width` by the letter estimate, cut between words (a
    word too long for a line alone is cut where it must)."""
    most = max(int(width / (letter * FONT)), 4)
    lines, line = [], ""
    for word in text.split():
        while len(word) > most:
            if line:
                lines.append(line)
                line = ""
            lines.append(word[: most - 1] + "-")
            word = word[most - 1 :]
        candidate = f"{line} {word}" if line else word
        if len(candidate) <= most:
            line = candidate
        else:
            lines.append(line)
            line = word
    return [*lines, line] if line else lines or [""]


def lay_out(network: Network) -> None:
    """Rows: each group's hub and name, then the structures whose first group it is, by
    name; then those in no group drawn. Sets each node's place and lines, and the height."""
    nodes = network.nodes
    hubs = [n for n in nodes.values() if n.kind == "group"]
    step = min(12.0, 84 / max(len(hubs), 1))
    lanes = {hub.key: 10 + index * step for index, hub in enumerate(hubs)}
    lanes_end = max(lanes.values(), default=0)
    has_arcs = any(link.kind == "cooperation" for link in network.links)
    dot_x = lanes_end + HUB + 8 + (36 if has_arcs else 0)
    text_x = dot_x + DOT + 6
    first_group = {}
    for link in network.links:
        if link.kind == "group":
            group, structure = link.ends
            if lanes[group] < lanes.get(first_group.get(structure), WIDTH):
                first_group[structure] = group
    under = defaultdict(list)
    for node in nodes.values():
        if node.kind == "structure":
            under[first_group.get(node.key)].append(node)
    y = 8.0
    network.headings = []

    def row(node: Node | None, x: float, text_left: float, label: str, letter: float):
        nonlocal y
        lines = _wrap(label, WIDTH - RIGHT_PAD - text_left, letter)
        if node is not None:
            node.x, node.y, node.lines = x, y + LINE / 2, lines
        y += len(lines) * LINE + ROW_GAP
        return lines

    for hub in hubs:
        row(hub, lanes[hub.key], lanes[hub.key] + HUB + 5, hub.label, BOLD_LETTER)
        for node in sorted(under.pop(hub.key, []), key=lambda n: n.label.lower()):
            row(node, dot_x, text_x, node.label, LETTER)
    rest = sorted(under.pop(None, []), key=lambda n: n.label.lower())
    if rest:
        if hubs:
            network.headings.append((network.other_heading, 10, y + LINE / 2))
            row(None, 10, 10, network.other_heading, BOLD_LETTER)
        for node in rest:
            row(node, dot_x, text_x, node.label, LETTER)
    network.height = y + 4
    network.dot_x, network.text_x = dot_x, text_x


# --- Drawing --------------------------------------------------------------------------------


def _at(coordinate: float) -> str:
    return f"{coordinate:.1f}"


def _text(x: float, y: float, lines: list[str], css: str) -> str:
    """A name on its lines, as SVG markup (escaped); `y` is the middle of the first line. A
    line that ends between two words keeps the space the name had there: without it, the
    browser reads the lines as one word (« solidaire etinclusive » in the link's accessible
    name)."""
    baseline = y + 0.35 * FONT
    lines = [line if line.endswith("-") else line + " " for line in lines[:-1]] + lines[-1:]
    spans = "".join(
        f'<tspan x="{_at(x)}" dy="{LINE if index else 0}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    return f'<text class="network-label {css}" x="{_at(x)}" y="{_at(baseline)}">{spans}</text>'


def _link_path(link: Link, nodes: dict[str, Node], network: Network) -> str:
    if link.kind == "group":
        hub, dot = nodes[link.ends[0]], nodes[link.ends[1]]
        return f"M{_at(hub.x)} {_at(hub.y)}V{_at(dot.y)}H{_at(network.dot_x - DOT)}"
    # A cooperation: arcs from dot to dot, bulging left into the band before the dots,
    # deeper for dots further apart.
    ys = sorted(nodes[key].y for key in link.ends)
    x = network.dot_x - DOT
    parts = [f"M{_at(x)} {_at(ys[0])}"]
    for top, bottom in pairwise(ys):
        depth = min(34, 8 + (bottom - top) * 0.12)
        parts.append(
            f"C{_at(x - depth)} {_at(top)} {_at(x - depth)} {_at(bottom)} {_at(x)} {_at(bottom)}"
        )
    return "".join(parts)


def _link(link: Link, nodes: dict[str, Node], network: Network) -> str:
    if link.kind == "cooperation":
        detail = escape(link.detail)
        extra = (
            f' tabindex="0" role="img" aria-label="{detail}" data-node="{escape(link.key)}"'
            f' data-detail="{detail}"'
        )
    else:
        extra = f' stroke="{escape(link.color)}"'
    title = f"<title>{escape(link.detail)}</title>" if link.detail else ""
    return (
        f'<path class="network-link network-link-{link.kind}" '
        f'd="{_link_path(link, nodes, network)}" data-ends="{escape(" ".join(link.ends))}"'
        f"{extra}>{title}</path>"
    )


def _node(node: Node) -> str:
    if node.kind == "group":
        shape = (
            f'<circle class="network-hub" cx="{_at(node.x)}" cy="{_at(node.y)}" r="{HUB}" '
            f'fill="{escape(node.color)}"/>'
        )
    else:
        shape = f'<circle class="network-dot" cx="{_at(node.x)}" cy="{_at(node.y)}" r="{DOT}"/>'
    label = _text(
        node.x + (HUB + 5 if node.kind == "group" else DOT + 6),
        node.y,
        node.lines,
        f"network-label-{node.kind}",
    )
    return (
        f'<a class="network-node network-node-{node.kind}" href="{escape(node.url)}" '
        f'data-node="{escape(node.key)}" data-detail="{escape(node.detail)}">{shape}{label}</a>'
    )


def draw(network: Network, *, detail_id: str = "network-detail") -> SafeString:
    """The SVG of the network. Each node is a link to its page, each cooperation can take the
    focus: hovering or focusing one lights it and its neighbours (report/static/report/
    network.js) and says its links in the line `detail_id`. Built as strings, each value
    escaped (`escape`), rather than with `format_html` for each element: a third of the
    drawing's time with 41 nodes."""
    nodes = network.nodes
    if not nodes:
        return SafeString("")
    # Group lanes under the cooperations' arcs.
    links = "".join(
        _link(link, nodes, network)
        for link in sorted(network.links, key=lambda link: link.kind != "group")
    )
    headings = "".join(
        _text(x, y, [label], "network-label-heading") for label, x, y in network.headings
    )
    shapes = "".join(_node(node) for node in nodes.values())
    return mark_safe(  # every value above is escaped
        f'<svg class="network" viewBox="0 0 {WIDTH} {_at(network.height)}" width="{WIDTH}" '
        f'height="{_at(network.height)}" role="group" aria-label="Le réseau dessiné" '
        f'data-detail-line="{escape(detail_id)}">{links}{headings}{shapes}</svg>'
    )
