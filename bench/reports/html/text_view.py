"""One article's NER comparison: the text twice, gold spans on the left and predicted
spans on the right, each coloured by label and marked with its status, then a table
of everything that is not correct.

Each error has a number, shown in its badge above the span's line (out of the text
flow, in the line gap, so it hides no character) and in the table's first column, so a
boundary or type error can be found in both columns. Spans that overlap
a span already drawn in the same column (a system may predict nested spans) cannot be
drawn inline; they are listed under the column instead, and are in the table too.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from bench.reports.html.alignment import MentionRow, SpanStatus
from bench.reports.html.markup import Row, badge, css_class, esc, table, tag_above
from bench.tasks.ner.types import Span

SHOWN = {
    SpanStatus.CORRECT: "correct",
    SpanStatus.MISSED: "missed",
    SpanStatus.SPURIOUS: "spurious",
    SpanStatus.BOUNDARY: "boundary",
    SpanStatus.TYPE: "type",
    SpanStatus.BOUNDARY_TYPE: "boundary+type",
    SpanStatus.UNGROUNDED: "ungrounded",
    SpanStatus.SURPLUS: "surplus",
}
WHY = {
    SpanStatus.MISSED: "a gold span with no prediction over it",
    SpanStatus.SPURIOUS: "a prediction over no gold span",
    SpanStatus.BOUNDARY: "overlaps the gold span with the same label, other boundaries",
    SpanStatus.TYPE: "the gold span with another label",
    SpanStatus.BOUNDARY_TYPE: "overlaps the gold span, other boundaries and another label",
    SpanStatus.UNGROUNDED: "a text-only prediction not found in the article",
    SpanStatus.SURPLUS: "a text-only prediction repeated more often than the article has it",
}


@dataclass(frozen=True)
class Mark:
    span: Span
    status: SpanStatus
    number: int | None  # the error's number; None for a correct span


def label_chip(label: str) -> str:
    return f'<span class="chip lab-{css_class(label)}">{esc(label)}</span>'


def _mark(text: str, mark: Mark) -> str:
    span, status = mark.span, mark.status
    shown = SHOWN[status] + (f" #{mark.number}" if mark.number else "")
    title = f"{shown}: {span.label} [{span.start}, {span.end})"
    marker = tag_above(status.value, shown) if status is not SpanStatus.CORRECT else ""
    return (
        f'<mark class="m lab-{css_class(span.label)} k-{css_class(status.value)}" title="{esc(title)}">'
        f"{esc(text[span.start : span.end])}{marker}</mark>"
    )


def marked_text(text: str, marks: Sequence[Mark]) -> tuple[str, list[Mark]]:
    """The text with its marks drawn inline, and the marks that overlap a drawn one."""
    out, pos, left_out = [], 0, []
    for mark in sorted(marks, key=lambda m: (m.span.start, -m.span.end, m.span.label)):
        if mark.span.start < pos:
            left_out.append(mark)
            continue
        out.append(esc(text[pos : mark.span.start]))
        out.append(_mark(text, mark))
        pos = mark.span.end
    out.append(esc(text[pos:]))
    return "".join(out), left_out


def _span_cell(text: str, span: Span | None) -> str:
    if span is None:
        return '<span class="none">none</span>'
    return f'{label_chip(span.label)} <q>{esc(text[span.start : span.end])}</q> <span class="offsets">[{span.start}, {span.end})</span>'


def _column(title: str, text: str, marks: Sequence[Mark]) -> str:
    body, left_out = marked_text(text, marks)
    extra = ""
    if left_out:
        items = "".join(f"<li>{badge(m.status.value, SHOWN[m.status] + (f' #{m.number}' if m.number else ''))} {_span_cell(text, m.span)}</li>" for m in left_out)
        extra = f'<div class="overlapping">Overlapping spans not drawn above:<ul>{items}</ul></div>'
    return f'<div class="column"><h4>{esc(title)}</h4><div class="article-text">{body}</div>{extra}</div>'


def ner_section(text: str, rows: Sequence[MentionRow], view: str) -> str:
    """The side-by-side text and the table of errors for one article."""
    numbers: list[int | None] = []  # per row: its error number, None when correct
    for row in rows:
        numbers.append(None if row.status is SpanStatus.CORRECT else sum(n is not None for n in numbers) + 1)
    numbered = list(zip(rows, numbers))
    gold_marks = [Mark(r.gold, r.status, n) for r, n in numbered if r.gold is not None]
    pred_marks = [Mark(r.pred, r.status, n) for r, n in numbered if r.pred is not None]
    counts = Counter(r.status for r in rows)
    summary = " · ".join(f"{badge(status.value, SHOWN[status])} {counts[status]}" for status in SpanStatus if counts[status])
    errors = []
    for row, n in numbered:
        if n is None:
            continue
        if row.pred is None and row.text is not None:
            pred = f"{label_chip(row.label or '')} <q>{esc(row.text)}</q>"
        else:
            pred = _span_cell(text, row.pred)
        cells = [str(n), badge(row.status.value, SHOWN[row.status]), _span_cell(text, row.gold), pred, esc(WHY[row.status])]
        errors.append(Row(cells, css=f"k-{row.status.value}"))
    parts = [
        f'<p class="summary">NER in the {esc(view)} label view: {summary or "no mentions"}</p>',
        f'<div class="side-by-side">{_column("Gold", text, gold_marks)}{_column("Predicted", text, pred_marks)}</div>',
    ]
    if errors:
        parts.append("<h4>NER errors</h4>" + table(["#", "status", "gold", "predicted", "meaning"], errors, css="ner-errors"))
    else:
        parts.append('<p class="none">No NER errors in this article.</p>')
    return "".join(parts)
