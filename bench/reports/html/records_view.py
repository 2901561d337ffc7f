"""One article's casualty figures and attribution relations, gold against prediction.

Each table row is one aligned pair, one missed gold record or one spurious prediction,
in text order, with the credit the scorer gave it: for a figure the credit of the
headline `f1` (1, 0.5 or 0); for a relation the who-said-what credit (1 when aligned on
content with the right source), with the heads the source check compared, the content
overlap and the cue beside it.
Every string a prediction carries (quantity, victim, source, cue, content…) is shown,
escaped, because those are where a system's own text can end up.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from bench.reports.html.alignment import FigureRow, RecordStatus, RelationRow
from bench.reports.html.markup import Row, badge, count, esc, table

SHOWN = {
    RecordStatus.CORRECT: "correct",
    RecordStatus.PARTIAL_CREDIT: "partial credit",
    RecordStatus.NO_CREDIT: "no credit",
    RecordStatus.WRONG_SOURCE: "wrong source",
    RecordStatus.MISSED: "missed",
    RecordStatus.SPURIOUS: "spurious",
    RecordStatus.SPURIOUS_ON_NEGATIVE: "spurious, on a non-casualty number",
    RecordStatus.UNGROUNDED: "ungrounded",
    RecordStatus.SURPLUS: "surplus",
}
NONE = '<span class="none">none</span>'


def _quoted(text: Any) -> str:
    return f"<q>{esc(text)}</q>"


def _span(span: Any) -> str:
    """A TextSpan: its text, and its offsets when it has them."""
    if span is None:
        return NONE
    offsets = f' <span class="offsets">[{esc(span.start)}, {esc(span.end)})</span>' if span.start is not None else ""
    return _quoted(span.text) + offsets


def _field(name: str, value: str) -> str:
    return f'<span class="field"><span class="name">{esc(name)}</span> {value}</span>'


def figure_cell(figure: Any) -> str:
    """A casualty figure: quantity, value, outcome, unit, victim, and the rest it carries."""
    if figure is None:
        return NONE
    q, b = figure.quantity, figure.quantity.bounds
    value = f"{esc(b.kind.value)} {esc(b.low)}–{'∞' if b.high is None else esc(b.high)}"
    if b.point is not None:
        value += f" (point {esc(b.point)})"
    victim = esc(figure.victim_category.value) + (f" {_quoted(figure.victim.text)}" if figure.victim and figure.victim.text else "")
    parts = [
        _field("quantity", _span(q.span)),
        _field("value", value),
        _field("outcome", esc(figure.outcome.value)),
        _field("unit", esc(figure.unit.value)),
        _field("victims", victim),
    ]
    for name, text in (("qualifier", q.qualifier), ("vague term", q.vague_term)):
        if text:
            parts.append(_field(name, _quoted(text)))
    for name in ("perpetrator", "location", "time"):
        span = getattr(figure, name)
        if span is not None and span.text:
            parts.append(_field(name, _quoted(span.text)))
    if figure.id:
        parts.append(_field("id", esc(figure.id)))
    return "<br>".join(parts)


def relation_cell(relation: Any) -> str:
    """An attribution relation: source, cue, content, mode, nesting."""
    if relation is None:
        return NONE
    source = relation.source
    source_text = _span(source.span) if source.span is not None else '<span class="none">no source (agentless)</span>'
    parts = [
        _field("source", f"{source_text} ({esc(source.type.value)})"),
        _field("cue", _span(relation.cue)),
        _field("content", " … ".join(_span(c) for c in relation.content)),
        _field("mode", esc(relation.mode.value)),
        _field("id", esc(relation.id) + (f", inside {esc(relation.parent)}" if relation.parent else "")),
    ]
    return "<br>".join(parts)


def _summary(rows: Sequence[FigureRow | RelationRow], what: str) -> str:
    statuses = Counter(r.status for r in rows)
    gold = sum(r.gold is not None for r in rows)
    predicted = sum(r.pred is not None for r in rows)
    credit = sum(r.credit for r in rows)
    listed = " · ".join(f"{badge(s.value, SHOWN[s])} {statuses[s]}" for s in RecordStatus if statuses[s])
    return f'<p class="summary">{esc(what)}: credit {esc(count(credit))} for {gold} gold and {predicted} predicted. {listed}</p>'


def figures_section(rows: Sequence[FigureRow]) -> str:
    if not rows:
        return '<p class="none">No casualty figures in the gold or the predictions of this article.</p>'
    body = []
    for row in rows:
        if row.mismatch:
            note = "differs in " + ", ".join(esc(m) for m in row.mismatch)
        elif row.non_casualty is not None:
            nc = row.non_casualty
            note = f"on the non-casualty number {_quoted(nc.text)} ({esc(nc.kind.value)})"
        else:
            note = ""
        cells = [badge(row.status.value, SHOWN[row.status]), esc(count(row.credit)), figure_cell(row.gold), figure_cell(row.pred), note]
        body.append(Row(cells, css=f"k-{row.status.value}"))
    return _summary(rows, "Casualty figures") + table(["status", "credit", "gold", "predicted", "note"], body, css="records figures")


def relations_section(rows: Sequence[RelationRow]) -> str:
    if not rows:
        return '<p class="none">No attribution relations in the gold or the predictions of this article.</p>'
    body = []
    for row in rows:
        if row.gold is not None and row.pred is not None:
            overlap = f"{row.overlap} shared words (gold {row.gold_words}, predicted {row.pred_words})"
            cue = "same cue" if row.same_cue else "other cue"
        else:
            overlap = cue = ""
        cells = [badge(row.status.value, SHOWN[row.status]), esc(count(row.credit)), relation_cell(row.gold), relation_cell(row.pred), esc(row.source_check), esc(overlap), esc(cue)]
        body.append(Row(cells, css=f"k-{row.status.value}"))
    header = ["status", "credit", "gold", "predicted", "source (heads compared)", "content overlap", "cue"]
    return _summary(rows, "Attribution relations") + table(header, body, css="records relations")
