"""The terminal tables: a `RunRecord` as tables (rich on a terminal, plain text when piped).

Where it sits: stage 5, reports (`bench/reports/`). It reads only the record, never the
system; the score and count formats here are shared by the leaderboard and the HTML page."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterable, Sequence

from bench.results.record import Intervals, RunRecord
from bench.tasks.metrics import PARSE_FAILURES, Catalogue, MetricKind, MetricSpec, TableKind, TableSpec
from bench.tasks.score import MetricRow

if TYPE_CHECKING:
    from bench.results.paired import Difference



def format_score(value: float | None) -> str:
    """A score, four decimals: every table (terminal, leaderboard, HTML) writes them so."""
    return "" if value is None else f"{value:.4f}"


def format_count(value: float | None) -> str:
    """A count that may hold half credits: 3, 2.5."""
    if value is None:
        return ""
    return str(int(value)) if float(value).is_integer() else f"{value:.1f}"


def interval_text(intervals: Intervals | None, task: str, metric: str, view: str | None = None) -> str:
    """'[low, high]' of a metric's bootstrap interval, or '' when it has none."""
    found = intervals.find(task, metric, view) if intervals is not None else None
    return "" if found is None else f"[{found.low:.3f}, {found.high:.3f}]"


def _find(rows: Iterable[MetricRow], **where) -> MetricRow | None:
    for row in rows:
        if all(getattr(row, k) == v for k, v in where.items()):
            return row
    return None


Table = tuple[str, list[str], list[list[str]]]
CI = "95% interval"
SUMMARY_HEADER = ["precision", "recall", "f1", CI, "tp", "fp", "fn", "gold", "predicted"]


def _prf_cells(rows: list[MetricRow], spec: MetricSpec, view: str | None, label: str | None, intervals: Intervals | None, task: str) -> list[str] | None:
    """precision, recall, f1, its interval, tp, fp, fn, gold, predicted of an F1 metric, or None."""
    p = _find(rows, metric=f"{spec.prefix}precision", view=view, label=label)
    r = _find(rows, metric=f"{spec.prefix}recall", view=view, label=label)
    f = _find(rows, metric=spec.name, view=view, label=label)
    if f is None:
        return None
    ci = interval_text(intervals, task, spec.name, view) if label is None else ""
    return [format_score(p.value), format_score(r.value), format_score(f.value), ci, format_count(f.tp), format_count(f.fp), format_count(f.fn), str(f.support), str(f.predicted)]


def _notes(rows: list[MetricRow], catalogue: Catalogue, view: str | None) -> str:
    """The task's count and accuracy metrics (and the harness's parse failures) in one line."""
    extra = []
    for spec in catalogue.notes():
        row = _find(rows, metric=spec.name, view=view if view in spec.views else None, label=None)
        if row is None:
            continue
        if spec.kind is MetricKind.ACCURACY:
            extra.append(f"{spec.name}={format_score(row.value)} (of {row.support})")
        else:
            extra.append(f"{spec.name}={format_count(row.value)}")
    failures = _find(rows, metric=PARSE_FAILURES, label=None)
    if failures is not None:
        extra.append(f"{PARSE_FAILURES}={format_count(failures.value)} of {failures.support} answers")
    return ", ".join(extra)


def _table(task: str, table: TableSpec, catalogue: Catalogue, rows: list[MetricRow], view: str | None, intervals: Intervals | None) -> list[Table]:
    title = table.title.format(task=task, view=view)
    if table.notes:
        notes = _notes(rows, catalogue, view)
        title += f"  [{notes}]" if notes else ""
    if table.kind is TableKind.METRICS:
        body = []
        for name, shown in table.rows:
            cells = _prf_cells(rows, catalogue.get(name), view, None, intervals, task)
            if cells is not None:
                body.append([shown, *cells])
        return [(title, [table.first_column, *SUMMARY_HEADER], body)]
    (name, _), = table.rows
    spec = catalogue.get(name)
    if table.kind is TableKind.CONFUSION:
        body = [[*r.label.split("->", 1), format_count(r.value)] for r in rows if r.metric == name and r.label and r.view == view]
        return [(title, ["gold", "predicted", "aligned pairs"], body)] if body else []
    labels = [r.label for r in rows if r.metric == name and r.view == view and r.label is not None]
    if not labels:
        return []
    extra = catalogue.get(table.extra[0]) if table.extra else None
    body = []
    for label in ([None] if table.total else []) + labels:
        p = _find(rows, metric=f"{spec.prefix}precision", view=view, label=label)
        r = _find(rows, metric=f"{spec.prefix}recall", view=view, label=label)
        f = _find(rows, metric=name, view=view, label=label)
        cells = [label or "all", format_score(p.value), format_score(r.value), format_score(f.value)]
        if extra is not None:
            cells.append(format_score(_find(rows, metric=extra.name, view=view, label=label).value))
        body.append(cells + [str(f.support), str(f.predicted)])
    header = [table.first_column, "precision", "recall", "f1" if extra is None else "partial f1", *([table.extra[1]] if extra is not None else []), "gold", "predicted"]
    return [(title, header, body)]


def _views(rows: list[MetricRow], catalogue: Catalogue) -> list[str | None]:
    """The label views the record has for this task, in the headline's order."""
    present = {r.view for r in rows if r.metric == catalogue.headline.name}
    return [v for v in catalogue.headline.views if v in present] or [None]


def task_tables(task: str, rows: list[MetricRow], intervals: Intervals | None) -> list[Table]:
    """A task's tables, as its catalogue lays them out (per label view where it has views)."""
    from bench.tasks.registry import get_task

    catalogue = get_task(task).catalogue
    views = _views(rows, catalogue)
    out: list[Table] = []
    for view in views:
        for table in catalogue.tables:
            if table.per_view:
                out += _table(task, table, catalogue, rows, view, intervals)
    for table in catalogue.tables:
        if not table.per_view:
            out += _table(task, table, catalogue, rows, None, intervals)
    return out


def tables(record: RunRecord) -> list[Table]:
    """(title, header, rows) per table, task by task, in the record's task order."""
    out = []
    for task in record.tasks:
        out += task_tables(task, [r for r in record.metrics if r.task == task], record.intervals)
    return out


def headline(record: RunRecord) -> str:
    parts = [f"{record.system.spec} (version {record.system.version})"]
    for task, header in record.tasks.items():
        metric = header.headline
        for row in record.metrics:
            if row.task == task and row.metric == metric and row.label is None:
                view = f"[{row.view}]" if row.view else ""
                ci = interval_text(record.intervals, task, metric, row.view)
                parts.append(f"{task}.{metric}{view}={row.value:.4f}" + (f" {ci}" if ci else ""))
    return "  ".join(parts)


def print_record(record: RunRecord, rich: bool | None = None) -> None:
    print_tables(headline(record), tables(record), rich)


def print_tables(lead: str, tables: Sequence[tuple[str, list[str], list[list[str]]]], rich: bool | None = None) -> None:
    """A bold first line, then (title, header, rows) tables: rich on a terminal, plain text when piped."""
    from bench.errors import printable

    rich = sys.stdout.isatty() if rich is None else rich
    lead = printable(lead)  # names and versions come from files: no control character reaches the terminal
    tables = [(printable(title), [printable(h) for h in header], [[printable(c) for c in row] for row in body]) for title, header, body in tables]
    if rich:
        from rich.console import Console
        from rich.markup import escape
        from rich.table import Table

        console = Console()
        console.print(f"[bold]{escape(lead)}[/bold]")
        for title, header, body in tables:
            table = Table(title=escape(title), title_justify="left")
            for i, name in enumerate(header):
                table.add_column(escape(name), justify="left" if i == 0 else "right")
            for row in body:
                table.add_row(*(escape(cell) for cell in row))
            console.print(table)
        return
    print(lead)
    for title, header, body in tables:
        print()
        print(title)
        print(_plain(header, body))


def difference_table(differences: Sequence["Difference"]) -> tuple[str, list[str], list[list[str]]]:
    """`bench compare`'s table: per metric A, B, B - A, the interval of B - A, p and significance."""
    header = ["task", "metric", "view", "A", "B", "B-A", "95% interval of B-A", "p", "significant"]
    body = [
        [d.ref.task, d.ref.metric, d.ref.view or "", format_score(d.a), format_score(d.b), f"{d.diff:+.4f}", f"[{d.low:+.3f}, {d.high:+.3f}]", f"{d.p_value:.4f}", "yes" if d.significant else "no"]
        for d in differences
    ]
    return "paired bootstrap over sentences (p two-sided; significant: p < 0.05)", header, body


def _plain(header: Sequence[str], body: Sequence[Sequence[str]]) -> str:
    widths = [max(len(str(x)) for x in col) for col in zip(header, *body)]
    lines = []
    for row in [header, *body]:
        cells = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(row, widths))]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
