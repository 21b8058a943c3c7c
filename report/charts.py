"""Charts drawn on the server as SVG: no script, no chart library, nothing from elsewhere.
The numbers are always in a table beside the chart, which is what a screen reader reads: the
drawing itself is hidden from it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from association import formats

WIDTH, HEIGHT = 320, 150
TOP, BOTTOM, SIDE = 22, 24, 8  # room for the values above the bars and the years below
UNKNOWN_MARK = "n.\u202fr."  # « non renseigné », said in full in the table and the legend
PARTIAL_MARK = "au moins"  # above a value counted from records that cover only part of it
LINE = 16  # a line of the labels above the bars: 13 px text takes 15 (tests/browser)


def bar_chart(
    points: list[tuple[int, object]],
    *,
    decimals: int = 0,
    highlight=None,
    key: str = "chart",
    partial: frozenset[int] = frozenset(),
) -> SafeString:
    """Bars of `points` ([(year, value), …]), the `highlight` year in the full colour, each
    with its value above it and its year below. Scales to its container's width.

    A value of None is « non renseigné » (report/coverage.py), drawn unlike a zero: an
    empty, hatched, dashed frame the height of the chart, marked « n. r. », where a zero is a
    flat line marked « 0 ». `key` makes the hatching's id unique on the page. The value of a
    year in `partial` is « au moins » (its records cover only part of what it counts), said
    on a line above it, as in the table."""
    values = [None if value is None else float(value) for _, value in points]
    top = max((v for v in values if v is not None), default=0) or 1
    slot = (WIDTH - 2 * SIDE) / max(len(points), 1)
    bar = slot * 0.62
    top_room = TOP + (LINE if partial else 0)
    usable = HEIGHT - top_room - BOTTOM
    pattern = f"hachures-{key}"
    bars = []
    for index, ((year, value), amount) in enumerate(zip(points, values, strict=True)):
        unknown = amount is None
        height = usable if unknown else usable * amount / top
        x = SIDE + index * slot + (slot - bar) / 2
        y = top_room + usable - height
        middle = x + bar / 2
        current = ""
        if year == highlight:
            current = " chart-unknown-current" if unknown else " chart-bar-current"
        # The hatching is the unknown bar's own fill: the stylesheet, which colours the
        # other bars, leaves it alone (a stylesheet's fill would win over the attribute).
        shape = (
            format_html(
                '<rect class="chart-unknown{}" x="{}" y="{}" width="{}" height="{}" '
                'fill="url(#{})"/>',
                current,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar:.1f}",
                f"{height:.1f}",
                pattern,
            )
            if unknown
            else format_html(
                '<rect class="chart-bar{}" x="{}" y="{}" width="{}" height="{}"/>',
                current,
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar:.1f}",
                f"{max(height, 1):.1f}",
            )
        )
        label = UNKNOWN_MARK if unknown else formats.number(value, decimals)
        bars.append(
            (
                shape,
                f"{middle:.1f}",
                format_html(
                    '<text class="chart-value" x="{}" y="{}" text-anchor="middle">{}</text>',
                    f"{middle:.1f}",
                    f"{y - 6 - LINE:.1f}",
                    PARTIAL_MARK,
                )
                if year in partial and not unknown
                else "",
                f"{y - 6:.1f}",
                label,
                f"{HEIGHT - 6:.1f}",
                year,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="presentation" '
        'aria-hidden="true" focusable="false">'
        '<defs><pattern id="{}" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><line class="chart-hatch" x1="0" y1="0" x2="0" y2="6"/>'
        "</pattern></defs>"
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        pattern,
        SIDE,
        WIDTH - SIDE,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        format_html_join(
            "",
            '{0}{2}<text class="chart-value" x="{1}" y="{3}" text-anchor="middle">{4}</text>'
            '<text class="chart-year" x="{1}" y="{5}" text-anchor="middle">{6}</text>',
            bars,
        ),
    )
