"""The report's per-label F1 chart: horizontal bars drawn as inline SVG.

Inline SVG needs no script, no image file and no network, and its text stays text
(escaped like the rest of the page). Bars take the CSS class `lab-<label>`, so they
share the label colours of the marked article text.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from bench.reports.html.markup import css_class, esc

ROW = 24  # px per bar
LABEL_WIDTH = 150
BAR_WIDTH = 300
TOP = 26  # room for the axis labels


@dataclass(frozen=True)
class Bar:
    label: str
    value: float  # an F1 in [0, 1]
    note: str = ""  # shown after the value, e.g. "gold 12, predicted 10"


def bar_chart(title: str, bars: Sequence[Bar]) -> str:
    """An SVG chart, one bar per label, with a 0 / 0.5 / 1 axis."""
    width = LABEL_WIDTH + BAR_WIDTH + 220
    height = TOP + ROW * len(bars) + 8
    parts = [
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
    ]
    for tick in (0.0, 0.5, 1.0):
        x = LABEL_WIDTH + tick * BAR_WIDTH
        parts.append(f'<line class="tick" x1="{x:.1f}" y1="{TOP - 6}" x2="{x:.1f}" y2="{height - 4}"/>')
        parts.append(f'<text class="axis" x="{x:.1f}" y="{TOP - 10}" text-anchor="middle">{tick:g}</text>')
    for i, bar in enumerate(bars):
        y = TOP + i * ROW
        value = min(max(float(bar.value), 0.0), 1.0)
        parts.append(f'<text class="bar-label" x="{LABEL_WIDTH - 8}" y="{y + 16}" text-anchor="end">{esc(bar.label)}</text>')
        parts.append(
            f'<rect class="bar lab-{css_class(bar.label)}" x="{LABEL_WIDTH}" y="{y + 4}" width="{value * BAR_WIDTH:.1f}" height="{ROW - 8}">'
            f"<title>{esc(bar.label)}: F1 {value:.4f}</title></rect>"
        )
        note = f" {bar.note}" if bar.note else ""
        parts.append(f'<text class="bar-value" x="{LABEL_WIDTH + BAR_WIDTH + 8}" y="{y + 16}">{value:.4f}{esc(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)
