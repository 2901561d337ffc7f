"""One article's spans of one task (NER): the text twice, gold spans on the left and
predicted spans on the right, each coloured by label and marked with its status, then
a table of everything that is not correct.

Each error has a number, shown in its badge above the span's line (out of the text
flow, in the line gap, so it hides no character) and in the table's first column, so a
boundary or type error can be found in both columns. Spans that overlap
a span already drawn in the same column (a system may predict nested spans) cannot be
drawn inline; they are listed under the column instead, and are in the table too.

The rows are the task's alignment (`bench.tasks.alignment`, layout TEXT): each has a
gold and a predicted span (start, end, label), either of them missing, or for a
prediction with no place its text and label. The statuses, how they are shown and
what they mean come from the task's `Presentation`.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from bench.reports.html.markup import Row, badge, css_class, esc, table, tag_above
from bench.tasks.alignment import Mark, Presentation, Shown, Status, Verdict


@dataclass(frozen=True)
class Drawn:
    span: Mark
    status: Status
    number: int | None  # the error's number; None for a correct span


def label_chip(label: str) -> str:
    return f'<span class="chip lab-{css_class(label)}">{esc(label)}</span>'


def _mark(text: str, mark: Drawn) -> str:
    span, status = mark.span, mark.status
    shown = status.shown + (f" #{mark.number}" if mark.number else "")
    title = f"{shown}: {span.label} [{span.start}, {span.end})"
    marker = tag_above(status.name, shown) if status.verdict is not Verdict.CORRECT else ""
    return (
        f'<mark class="m lab-{css_class(span.label)} k-{css_class(status.name)}" title="{esc(title)}">'
        f"{esc(text[span.start : span.end])}{marker}</mark>"
    )


def marked_text(text: str, marks: Sequence[Drawn]) -> tuple[str, list[Drawn]]:
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


def _span_cell(text: str, span: Mark | None) -> str:
    if span is None:
        return '<span class="none">none</span>'
    return f'{label_chip(span.label)} <q>{esc(text[span.start : span.end])}</q> <span class="offsets">[{span.start}, {span.end})</span>'


def _column(title: str, text: str, marks: Sequence[Drawn]) -> str:
    body, left_out = marked_text(text, marks)
    extra = ""
    if left_out:
        items = "".join(f"<li>{badge(m.status.name, m.status.shown + (f' #{m.number}' if m.number else ''))} {_span_cell(text, m.span)}</li>" for m in left_out)
        extra = f'<div class="overlapping">Overlapping spans not drawn above:<ul>{items}</ul></div>'
    return f'<div class="column"><h4>{esc(title)}</h4><div class="article-text">{body}</div>{extra}</div>'


def spans_section(text: str, rows: Sequence[Shown], presentation: Presentation, view: str | None) -> str:
    """The side-by-side text and the table of errors for one article (rows in text order)."""
    statuses = [r.status for r in rows]
    numbers: list[int | None] = []  # per row: its error number, None when correct
    for status in statuses:
        numbers.append(None if status.verdict is Verdict.CORRECT else sum(n is not None for n in numbers) + 1)
    numbered = list(zip(rows, statuses, numbers))
    gold_marks = [Drawn(r.gold_mark, s, n) for r, s, n in numbered if r.gold_mark is not None]
    pred_marks = [Drawn(r.pred_mark, s, n) for r, s, n in numbered if r.pred_mark is not None]
    counts = Counter(s.name for s in statuses)
    summary = " · ".join(f"{badge(s.name, s.shown)} {counts[s.name]}" for s in presentation.statuses if counts[s.name])
    errors = []
    for row, status, n in numbered:
        if n is None:
            continue
        if row.pred_mark is None and row.text is not None:
            pred = f"{label_chip(row.label or '')} <q>{esc(row.text)}</q>"
        else:
            pred = _span_cell(text, row.pred_mark)
        cells = [str(n), badge(status.name, status.shown), _span_cell(text, row.gold_mark), pred, esc(status.meaning)]
        errors.append(Row(cells, css=f"k-{status.name}"))
    what = presentation.what
    in_view = f" in the {esc(view)} label view" if view else ""
    parts = [
        f'<p class="summary">{esc(what)}{in_view}: {summary or "no mentions"}</p>',
        f'<div class="side-by-side">{_column("Gold", text, gold_marks)}{_column("Predicted", text, pred_marks)}</div>',
    ]
    if errors:
        parts.append(f"<h4>{esc(what)} errors</h4>" + table(["#", "status", "gold", "predicted", "meaning"], errors, css=f"{css_class(what.lower())}-errors"))
    else:
        parts.append(f'<p class="none">No {esc(what)} errors in this article.</p>')
    return "".join(parts)
