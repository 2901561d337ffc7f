"""One article's records of one task (casualty figures, attribution relations, ...), gold against prediction.

Each table row is one row of the task's alignment (`bench.tasks.alignment`): an
aligned pair, a missed gold record or a spurious prediction, in text order, with the
credit the scorer gave it, the fields of each side and the task's note columns. Every
string a record carries is shown, escaped, because those are where a system's own
text can end up. Nothing here knows a task: the task's `Presentation` names the
statuses and columns, and its rows describe their own fields as plain data.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from collections import Counter
from typing import Sequence

from bench.reports.html.markup import Row, badge, count, esc, table
from bench.tasks.alignment import Field, Part, PartStyle, Presentation, Shown

NONE = '<span class="none">none</span>'


def parts(items: Sequence[Part]) -> str:
    """Parts of text as markup: plain, quoted with its offsets, or greyed."""
    out = []
    for part in items:
        if part.style is PartStyle.QUOTED:
            offsets = f' <span class="offsets">[{esc(part.start)}, {esc(part.end)})</span>' if part.start is not None else ""
            out.append(f"<q>{esc(part.text)}</q>{offsets}")
        elif part.style is PartStyle.NONE:
            out.append(f'<span class="none">{esc(part.text)}</span>')
        else:
            out.append(esc(part.text))
    return "".join(out)


def fields_cell(fields: Sequence[Field] | None) -> str:
    if fields is None:
        return NONE
    return "<br>".join(f'<span class="field"><span class="name">{esc(f.name)}</span> {parts(f.parts)}</span>' for f in fields)


def _summary(rows: Sequence[Shown], presentation: Presentation) -> str:
    statuses = Counter(r.status.name for r in rows)
    gold = sum(r.gold is not None for r in rows)
    predicted = sum(r.pred is not None for r in rows)
    credit = sum(r.credit for r in rows)
    listed = " · ".join(f"{badge(s.name, s.shown)} {statuses[s.name]}" for s in presentation.statuses if statuses[s.name])
    return f'<p class="summary">{esc(presentation.what)}: credit {esc(count(credit))} for {gold} gold and {predicted} predicted. {listed}</p>'


def records_section(rows: Sequence[Shown], presentation: Presentation, task: str) -> str:
    """The summary line and the table of one article's records of `task`, rows in text order."""
    if not rows:
        return f'<p class="none">{esc(presentation.empty)}</p>'
    body = []
    for row in rows:
        status = row.status
        cells = [badge(status.name, status.shown), esc(count(row.credit)), fields_cell(row.gold), fields_cell(row.pred)]
        cells += [parts(note) for note in row.notes]
        body.append(Row(cells, css=f"k-{status.name}"))
    header = ["status", "credit", "gold", "predicted", *presentation.columns]
    return _summary(rows, presentation) + table(header, body, css=f"records {task}")
