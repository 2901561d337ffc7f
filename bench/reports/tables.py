"""The terminal tables: a `RunRecord` as tables (rich on a terminal, plain text when piped).

Where it sits: stage 5, reports (`bench/reports/`). It reads only the record, never the
system; the score and count formats here are shared by the leaderboard and the HTML page."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Iterable, Sequence

from bench.results.record import Intervals, RunRecord
from bench.tasks.score import MetricRow

if TYPE_CHECKING:
    from bench.results.paired import Difference

SCHEMES = ("strict", "exact", "partial", "type")


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


def _ner_tables(task: str, rows: list[MetricRow], intervals: Intervals | None) -> list[tuple[str, list[str], list[list[str]]]]:
    out = []
    failures = _notes(rows, ("parse_failures",))
    for view in dict.fromkeys(r.view for r in rows if r.view is not None):
        mine = [r for r in rows if r.view == view]
        body = []
        for scheme in SCHEMES:
            p = _find(mine, metric=f"{scheme}_precision", label=None)
            r = _find(mine, metric=f"{scheme}_recall", label=None)
            f = _find(mine, metric=f"{scheme}_f1", label=None)
            if f is not None:
                ci = interval_text(intervals, task, f"{scheme}_f1", view)
                body.append([scheme, format_score(p.value), format_score(r.value), format_score(f.value), ci, format_count(f.tp), format_count(f.fp), format_count(f.fn), str(f.support), str(f.predicted)])
        header = ["scheme", "precision", "recall", "f1", CI, "tp", "fp", "fn", "gold", "predicted"]
        extra = [f"{r.metric}={format_count(r.value)}" for r in mine if r.metric in ("ungrounded", "surplus")] + ([failures] if failures else [])
        title = f"{task} ({view} labels)" + (f"  [{', '.join(extra)}]" if extra else "")
        out.append((title, header, body))
        out += _per_label(mine, "strict_", "label", f"{task} per label, strict ({view} labels)")
    return out


def _per_label(rows: list[MetricRow], prefix: str, name: str, title: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """A table of the rows that carry a label (per label, per outcome): none when there are none."""
    body = []
    for f in (r for r in rows if r.metric == f"{prefix}f1" and r.label is not None):
        p = _find(rows, metric=f"{prefix}precision", label=f.label)
        r = _find(rows, metric=f"{prefix}recall", label=f.label)
        body.append([f.label, format_score(p.value), format_score(r.value), format_score(f.value), str(f.support), str(f.predicted)])
    return [(title, [name, "precision", "recall", "f1", "gold", "predicted"], body)] if body else []


def _summary(task: str, rows: list[MetricRow], metrics: tuple[tuple[str, str], ...], intervals: Intervals | None) -> list[list[str]]:
    """One line per (shown name, metric prefix): precision, recall, f1, its interval and the counts."""
    body = []
    for name, prefix in metrics:
        p = _find(rows, metric=f"{prefix}precision", label=None)
        r = _find(rows, metric=f"{prefix}recall", label=None)
        f = _find(rows, metric=f"{prefix}f1", label=None)
        if f is not None:
            ci = interval_text(intervals, task, f"{prefix}f1")
            body.append([name, format_score(p.value), format_score(r.value), format_score(f.value), ci, format_count(f.tp), format_count(f.fp), format_count(f.fn), str(f.support), str(f.predicted)])
    return body


def _notes(rows: list[MetricRow], metrics: tuple[str, ...]) -> str:
    extra = []
    for metric in metrics:
        row = _find(rows, metric=metric)
        if row is None:
            continue
        if metric.endswith("accuracy"):
            extra.append(f"{metric}={format_score(row.value)} (of {row.support})")
        elif metric == "parse_failures":
            extra.append(f"parse_failures={format_count(row.value)} of {row.support} answers")
        else:
            extra.append(f"{metric}={format_count(row.value)}")
    return ", ".join(extra)


CI = "95% interval"
SUMMARY_HEADER = ["metric", "precision", "recall", "f1", CI, "tp", "fp", "fn", "gold", "predicted"]
CASUALTY_METRICS = (("f1 (figure credit, victim not scored)", ""), ("strict_f1 (all fields, gold victim category)", "strict_"), ("detection_f1", "detection_"))
CASUALTY_COUNTS = ("value_accuracy", "victim_accuracy", "victim_exact_accuracy", "unit_accuracy", "spurious_on_negatives", "ungrounded", "surplus", "parse_failures")


def _confusion(rows: list[MetricRow], metric: str, title: str) -> list[tuple[str, list[str], list[list[str]]]]:
    """A confusion table from rows labelled 'GOLD->PREDICTED' (aligned pairs): none when there are none."""
    body = [[*r.label.split("->", 1), format_count(r.value)] for r in rows if r.metric == metric and r.label]
    return [(title, ["gold", "predicted", "aligned pairs"], body)] if body else []


def _casualty_tables(task: str, rows: list[MetricRow], intervals: Intervals | None) -> list[tuple[str, list[str], list[list[str]]]]:
    out = [(f"{task}  [{_notes(rows, CASUALTY_COUNTS)}]", SUMMARY_HEADER, _summary(task, rows, CASUALTY_METRICS, intervals))]
    out += _per_label(rows, "", "outcome", f"{task} per outcome (credit)")
    return out + _confusion(rows, "victim_confusion", f"{task} victim category (gold's own category; victim_accuracy also accepts its defensible alternatives)")


ATTRIBUTION_METRICS = (("who-said-what f1", ""), ("cue_f1 (exact span)", "cue_"), ("cue_head_f1", "cue_head_"), ("nesting_f1", "nesting_"))
ATTRIBUTION_COUNTS = ("source_accuracy", "source_type_accuracy", "figure_source_accuracy", "ungrounded", "parse_failures")


def _attribution_tables(task: str, rows: list[MetricRow], intervals: Intervals | None) -> list[tuple[str, list[str], list[list[str]]]]:
    out = [(f"{task}  [{_notes(rows, ATTRIBUTION_COUNTS)}]", SUMMARY_HEADER, _summary(task, rows, ATTRIBUTION_METRICS, intervals))]
    content = []
    for label in (None, "direct", "indirect", "mixed"):
        p = _find(rows, metric="content_partial_precision", label=label)
        r = _find(rows, metric="content_partial_recall", label=label)
        f = _find(rows, metric="content_partial_f1", label=label)
        strict = _find(rows, metric="content_strict_f1", label=label)
        if f is not None:
            content.append([label or "all", format_score(p.value), format_score(r.value), format_score(f.value), format_score(strict.value), str(f.support), str(f.predicted)])
    out.append((f"{task} content (PARC partial credit)", ["mode", "precision", "recall", "partial f1", "strict f1", "gold", "predicted"], content))
    return out + _confusion(rows, "source_type_confusion", f"{task} source type (not part of who-said-what)")


RENDERERS = {"casualties": _casualty_tables, "attribution": _attribution_tables}


def tables(record: RunRecord) -> list[tuple[str, list[str], list[list[str]]]]:
    """(title, header, rows) per table, task by task, in the record's task order."""
    out = []
    for task in record.tasks:
        rows = [r for r in record.metrics if r.task == task]
        out += RENDERERS.get(task, _ner_tables)(task, rows, record.intervals)
    return out


def headline(record: RunRecord) -> str:
    system = record.system
    parts = [f"{system['spec']} (version {system['version']})"]
    for task, header in record.tasks.items():
        metric = header.get("headline", "strict_f1")
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
    rich = sys.stdout.isatty() if rich is None else rich
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
