"""A bar chart of views per day as server-rendered SVG: no script, readable by screen readers.

The SVG is one image (role="img" with a title and a description); the same numbers are in a table
beside it. In a right-to-left language time runs from right to left, as Arabic readers expect.
"""

import datetime
import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
from django.utils.translation import get_language_bidi

WIDTH, HEIGHT = 640, 220
PLOT_TOP, PLOT_BOTTOM, AXIS_SPACE = 12, 180, 44
END_SPACE = 36  # room for the date label under the bar at the far end


@dataclass
class Day:
    day: datetime.date
    views: int
    label: str  # e.g. "29 تشرين الثاني"


def nice_ceiling(value: int) -> int:
    """The axis top: 1, 2 or 5 times a power of ten, at least `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def render_svg(days: list[Day], title: str, description: str, digits=str) -> SafeString:
    """`days` oldest first. `digits` turns a number into the newsroom's digits."""
    rtl = get_language_bidi()
    top = nice_ceiling(max((d.views for d in days), default=0))
    count = max(len(days), 1)
    plot_width = WIDTH - AXIS_SPACE - END_SPACE
    slot = plot_width / count
    bar_width = max(1.0, slot * 0.7)
    # The value axis sits on the side a reader starts from: right in RTL.
    plot_start = END_SPACE if rtl else AXIS_SPACE
    axis_x = WIDTH - AXIS_SPACE + 6 if rtl else AXIS_SPACE - 6
    height = PLOT_BOTTOM - PLOT_TOP

    grid = []
    # A middle line only where its value is a whole number.
    for fraction in (0, 0.5, 1) if top % 2 == 0 else (0, 1):
        y = PLOT_BOTTOM - height * fraction
        grid.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" class="grid"/>'
                '<text x="{}" y="{}" text-anchor="{}" class="axis">{}</text>',
                plot_start,
                f"{plot_start + plot_width:.1f}",
                f"{y:.1f}",
                f"{y:.1f}",
                axis_x,
                f"{y + 4:.1f}",
                "start" if rtl else "end",
                digits(f"{round(top * fraction):,}"),
            )
        )
    bars, labels = [], []
    for index, item in enumerate(days):
        position = (count - 1 - index) if rtl else index
        x = plot_start + position * slot + (slot - bar_width) / 2
        bar_height = height * item.views / top
        bars.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" class="bar"><title>{}: {}</title></rect>',
                f"{x:.1f}",
                f"{PLOT_BOTTOM - bar_height:.1f}",
                f"{bar_width:.1f}",
                f"{bar_height:.1f}",
                item.label,
                digits(f"{item.views:,}"),
            )
        )
        # A date under every seventh bar, counted back from the newest, so today is always labelled.
        if (count - 1 - index) % 7 == 0:
            labels.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="axis">{}</text>',
                    f"{x + bar_width / 2:.1f}",
                    PLOT_BOTTOM + 20,
                    item.label,
                )
            )
    return format_html(
        '<svg class="readership-chart" viewBox="0 0 {} {}" role="img" aria-labelledby="readership-chart-title '
        'readership-chart-desc" direction="{}" preserveAspectRatio="xMidYMid meet">'
        '<title id="readership-chart-title">{}</title><desc id="readership-chart-desc">{}</desc>'
        "<style>.readership-chart .grid{{stroke:var(--w-color-border-furniture,#ccc);stroke-width:1}}"
        ".readership-chart .bar{{fill:var(--w-color-secondary,#007d7e)}}"
        ".readership-chart .axis{{fill:var(--w-color-text-context,#555);font-size:12px}}</style>"
        "{}{}{}</svg>",
        WIDTH,
        HEIGHT,
        "rtl" if rtl else "ltr",
        title,
        description,
        format_html_join("", "{}", ((g,) for g in grid)),
        format_html_join("", "{}", ((b,) for b in bars)),
        format_html_join("", "{}", ((label,) for label in labels)),
    )
