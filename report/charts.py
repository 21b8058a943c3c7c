"""Charts drawn on the server as SVG: no script, no chart library, nothing from elsewhere.
The numbers are always in a table beside the chart, which is what a screen reader reads: the
drawing itself is hidden from it."""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from association import formats

WIDTH, HEIGHT = 320, 150
TOP, BOTTOM, SIDE = 22, 24, 8  # room for the values above the bars and the years below


def bar_chart(
    points: list[tuple[int, object]], *, decimals: int = 0, highlight=None
) -> SafeString:
    """Bars of `points` ([(year, value), …]), the `highlight` year in the full colour, each
    with its value above it and its year below. Scales to its container's width."""
    values = [float(value or 0) for _, value in points]
    top = max(values, default=0) or 1
    slot = (WIDTH - 2 * SIDE) / max(len(points), 1)
    bar = slot * 0.62
    usable = HEIGHT - TOP - BOTTOM
    bars = []
    for index, ((year, value), amount) in enumerate(zip(points, values, strict=True)):
        height = usable * amount / top
        x = SIDE + index * slot + (slot - bar) / 2
        y = TOP + usable - height
        middle = x + bar / 2
        bars.append(
            (
                "chart-bar chart-bar-current" if year == highlight else "chart-bar",
                f"{x:.1f}",
                f"{y:.1f}",
                f"{bar:.1f}",
                f"{max(height, 1):.1f}",
                f"{middle:.1f}",
                f"{y - 6:.1f}",
                formats.number(value, decimals),
                f"{HEIGHT - 6:.1f}",
                year,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" width="100%" role="presentation" '
        'aria-hidden="true" focusable="false">'
        '<line class="chart-axis" x1="{}" x2="{}" y1="{}" y2="{}"/>{}</svg>',
        WIDTH,
        HEIGHT,
        SIDE,
        WIDTH - SIDE,
        HEIGHT - BOTTOM,
        HEIGHT - BOTTOM,
        format_html_join(
            "",
            '<rect class="{0}" x="{1}" y="{2}" width="{3}" height="{4}"/>'
            '<text class="chart-value" x="{5}" y="{6}" text-anchor="middle">{7}</text>'
            '<text class="chart-year" x="{5}" y="{8}" text-anchor="middle">{9}</text>',
            bars,
        ),
    )
