"""Escaping and the few HTML helpers the report's views share.

The rule of the report: markup comes only from string constants in these modules;
every piece of data (article text, predicted strings, labels, ids, file names,
numbers) goes through `esc`, which escapes `& < > " '`, so it is safe both as element
text and inside a quoted attribute. A predicted string `<script>alert(1)</script>`
is shown as those characters and never becomes an element.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from typing import Any, Iterable, Sequence

from bench.reports.tables import format_count, format_score

_NOT_CLASS = re.compile(r"[^A-Za-z0-9_-]")


def esc(value: Any) -> str:
    """Text for an element or a quoted attribute value."""
    return html.escape("" if value is None else str(value), quote=True)


def css_class(value: Any) -> str:
    """A CSS class name made from data: only letters, digits, '-' and '_' survive."""
    return _NOT_CLASS.sub("", str(value))


number = format_score  # the terminal tables' formats, re-exported for the page modules
count = format_count


@dataclass(frozen=True)
class Row:
    """A table row: cells are markup already built from `esc`-aped data; `css` its class."""

    cells: Sequence[str]
    css: str = ""


def table(header: Sequence[str], rows: Iterable[Row], css: str = "") -> str:
    """A table with a plain-text header (escaped here); `css`: its classes, space-separated."""
    head = "".join(f"<th>{esc(h)}</th>" for h in header)
    body = []
    for row in rows:
        attr = f' class="{css_class(row.css)}"' if row.css else ""
        body.append(f"<tr{attr}>" + "".join(f"<td>{cell}</td>" for cell in row.cells) + "</tr>")
    attr = f' class="{" ".join(css_class(c) for c in css.split())}"' if css else ""
    return f"<table{attr}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def badge(kind: str, text: str) -> str:
    """A status marker, e.g. `missed`, styled by its kind."""
    return f'<span class="badge k-{css_class(kind)}">{esc(text)}</span>'


def tag_above(kind: str, text: str) -> str:
    """A status marker drawn above the line of the span it marks, never over a character.

    The label is CSS-generated from `data-tag`, so it is not part of the page's text
    (copying the article copies the article), and the marker sits out of the text flow
    in the line gap that `.article-text`'s line height leaves (see page.BASE_CSS)."""
    return f'<span class="tag k-{css_class(kind)}" data-tag="{esc(text)}" aria-hidden="true"></span>'
