"""The error-analysis page: one static HTML file, from a results record and its predictions.

`write_report` is what `bench report R.json --html out.html` calls: it checks the
inputs (`inputs.py`: the predictions re-scored give the record's numbers, and that
scoring keeps each document's alignment), and writes one self-contained page: a
header with the headline scores, per-label F1 charts (inline SVG), a legend, then per
article each task's rows as its `Presentation` lays them out: spans on the text side
by side (`text_view.py`) or a table of records (`records_view.py`).

The page loads nothing: the stylesheet is inline, there is no script, and a
Content-Security-Policy meta tag forbids everything else (`default-src 'none'`), so
even a string that escaped escaping could neither run nor fetch. Every piece of data
is escaped (`markup.esc`).

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence

from bench.reports.html.chart import Bar, bar_chart
from bench.reports.html.markup import Row, badge, count, css_class, esc, number, table
from bench.reports.html.records_view import records_section
from bench.reports.html.text_view import label_chip, spans_section
from bench.tasks.alignment import Layout, Verdict

if TYPE_CHECKING:
    from bench.reports.html.inputs import ReportInputs

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"

LABEL_COLOURS = {
    "PER": "#ffc98b",
    "ORG": "#9cc3ff",
    "GPE": "#b5efa8",
    "LOC": "#8fe3ee",
    "FAC": "#dcbcff",
    "NORP": "#f4f08a",
    "EVENT": "#ffb8e8",
    "MISC": "#d6d6d6",
}
STATUS_COLOURS = {
    "correct": "#2e7d32",
    "missed": "#c62828",
    "spurious": "#e65100",
    "boundary": "#6a1b9a",
    "type": "#1565c0",
    "boundary_and_type": "#37474f",
    "ungrounded": "#8d6e63",
    "surplus": "#8d6e63",
    "partial_credit": "#f9a825",
    "no_credit": "#6d4c41",
    "wrong_source": "#1565c0",
    "spurious_on_negative": "#ad1457",
}
VERDICT_COLOURS = {  # for a status the table above does not list
    Verdict.CORRECT: "#2e7d32",
    Verdict.PARTIAL: "#f9a825",
    Verdict.WRONG: "#1565c0",
    Verdict.MISSED: "#c62828",
    Verdict.SPURIOUS: "#e65100",
    Verdict.UNPLACED: "#8d6e63",
}
OUTLINES = {
    "missed": "2px dashed",
    "spurious": "2px dotted",
    "boundary": "2px solid",
    "type": "2px solid",
    "boundary_and_type": "3px double",
}

BASE_CSS = """
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1d1d1d; margin: 0 auto; max-width: 1240px; padding: 16px 20px 40px; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 18px; margin: 28px 0 6px; border-top: 2px solid #444; padding-top: 10px; }
h3 { font-size: 16px; margin: 18px 0 6px; } h4 { font-size: 14px; margin: 10px 0 4px; }
.meta { color: #555; margin: 2px 0; }
table { border-collapse: collapse; margin: 6px 0 12px; }
th, td { border: 1px solid #ccc; padding: 3px 7px; text-align: left; vertical-align: top; }
th { background: #f0f0f0; }
table.records { width: 100%; } table.records td:nth-child(-n+2) { width: 1%; white-space: nowrap; } table.records td:nth-child(3), table.records td:nth-child(4) { width: 36%; }
tr[class^="k-"] td:first-child { border-left-width: 5px; }
.charts { display: flex; flex-wrap: wrap; gap: 24px; }
.chart text { font: 12px system-ui, sans-serif; fill: #1d1d1d; } .chart .tick { stroke: #bbb; stroke-width: 1; }
.chart .bar { stroke: #555; stroke-width: 0.6; fill: #b0bec5; }
.legend { display: flex; flex-wrap: wrap; gap: 6px 14px; align-items: center; margin: 4px 0 10px; }
.side-by-side { display: flex; gap: 16px; }
.column { flex: 1 1 0; min-width: 0; }
.article-text { white-space: pre-wrap; border: 1px solid #ddd; background: #fcfcfc; padding: 16px 10px 8px; font-size: 13px; line-height: 2.7; }
mark.m { color: inherit; border-radius: 3px; padding: 0 1px; position: relative; }
.tag { position: absolute; left: 0; bottom: 100%; margin-bottom: 2px; color: #fff; border-radius: 6px; padding: 0 4px; font-size: 9.5px; line-height: 11px; background: #555; white-space: nowrap; }
.tag::before { content: attr(data-tag); }
.chip { border-radius: 3px; padding: 0 4px; font-size: 12px; border: 1px solid #999; background: #eee; }
.badge { display: inline-block; color: #fff; border-radius: 8px; padding: 0 6px; font-size: 10.5px; line-height: 15px; margin-left: 2px; vertical-align: super; background: #555; white-space: nowrap; }
.summary .badge, td .badge, .legend .badge, li .badge { vertical-align: baseline; }
.offsets, .none { color: #777; font-size: 12px; }
.field { display: inline; } .field .name { color: #666; font-size: 12px; }
.overlapping { font-size: 12px; margin-top: 4px; }
.legend-list { margin: 0 0 8px; padding: 0; list-style: none; columns: 2; } .legend-list li { margin: 2px 0; }
figure { margin: 0; } figcaption { font-weight: 600; margin-bottom: 2px; }
q { quotes: "\\201C" "\\201D"; }
"""


def stylesheet(tasks: Sequence[Any] = ()) -> str:
    """The page's CSS: the base rules, then one rule per label colour and per status
    (the statuses of `tasks` that the colour table does not list take their verdict's)."""
    rules = [BASE_CSS]
    for label, colour in LABEL_COLOURS.items():
        rules.append(f".lab-{label} {{ background: {colour}; }} .chart .lab-{label} {{ fill: {colour}; }}")
    colours = dict(STATUS_COLOURS)
    for task in tasks:
        for status in task.presentation.statuses:
            colours.setdefault(css_class(status.name), VERDICT_COLOURS[status.verdict])
    for status, colour in colours.items():
        rules.append(f".badge.k-{status}, .tag.k-{status} {{ background: {colour}; }} tr.k-{status} td:first-child {{ border-left-color: {colour}; }}")
    for status, line in OUTLINES.items():
        rules.append(f"mark.k-{status} {{ outline: {line} {STATUS_COLOURS[status]}; outline-offset: 1px; }}")
    return "\n".join(rules)


def _find(metrics: Sequence[Any], **where: Any) -> Any:
    return next((r for r in metrics if all(getattr(r, k) == v for k, v in where.items())), None)


def header_section(inputs: ReportInputs) -> str:
    record = inputs.record
    system, benchmark = record["system"], record.get("benchmark", {})
    title = f"Error analysis: {system.get('spec')} (version {system.get('version')})"
    lines = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="meta">Results {esc(inputs.results_path.name)} · predictions {esc(inputs.predictions.path.name)} · '
        f"benchmark {esc(benchmark.get('name'))} {esc(benchmark.get('version'))} · run started {esc(record['run'].get('started'))}</p>",
    ]
    rows = []
    for task in inputs.tasks:
        header = record["tasks"][task.name]
        head = _find(inputs.metrics, task=task.name, metric=task.headline, label=None)
        view = f" [{head.view}]" if head is not None and head.view else ""
        cells = [esc(task.name), esc(f"{task.headline}{view}"), esc(number(head.value if head else None)),
                 esc(count(head.support if head else None)), esc(count(head.predicted if head else None)),
                 esc(header.get("gold_version")), esc(header.get("scorer_version"))]
        rows.append(Row(cells))
    lines.append(table(["task", "headline", "value", "gold", "predicted", "gold version", "scorer"], rows, css="headlines"))
    return "".join(lines)


def _figure(title: str, bars: Sequence[Bar]) -> str:
    return f"<figure><figcaption>{esc(title)}</figcaption>{bar_chart(title, bars)}</figure>"


def charts_section(inputs: ReportInputs) -> str:
    """Per-label bars of every metric a task's catalogue charts, in the label view the page draws."""
    charts = []
    for task in inputs.tasks:
        view = next((v.view for v in inputs.views[task.name].values()), None)
        for spec in task.catalogue.charts():
            shown_view = view if view in spec.views else None
            rows = [r for r in inputs.metrics if r.task == task.name and r.metric == spec.name and r.view == shown_view and r.label is not None]
            bars = [Bar(r.label, r.value, f"(gold {r.support}, predicted {r.predicted})") for r in rows]
            if bars or shown_view is not None:
                charts.append(_figure(spec.chart + (f" ({shown_view} labels)" if shown_view else ""), bars))
    if not charts:
        return ""
    return f'<h2>Per-label F1</h2><div class="charts">{"".join(charts)}</div>'


def legend_section(inputs: ReportInputs) -> str:
    """Label chips and the meaning of every status, for the tasks of the record."""
    labels = next((v.labels for views in inputs.views.values() for v in views.values() if v.labels), ())
    parts = ['<h2>Legend</h2>']
    if labels:
        parts.append('<div class="legend"><strong>Labels</strong> ' + " ".join(label_chip(label) for label in labels) + "</div>")
    records: dict[str, Any] = {}
    for task in inputs.tasks:
        presentation = task.presentation
        if presentation.layout is Layout.TEXT:
            spans = "".join(f"<li>{badge(s.name, s.shown)} {esc(s.meaning)}</li>" for s in presentation.statuses if s.meaning)
            parts.append(f'<div class="legend"><strong>{esc(presentation.what)} spans</strong> correct spans are only coloured; the others carry an outline and a numbered badge above the line:</div>')
            parts.append(f'<ul class="legend-list">{spans}</ul>')
        else:
            for status in presentation.statuses:
                records.setdefault(status.name, status)
    if records:
        parts.append('<div class="legend"><strong>Records</strong> ' + " ".join(badge(s.name, s.shown) for s in records.values()) + "</div>")
    return "".join(parts)


def failures_section(record: Any) -> str:
    """Answers an LLM system could not parse, as the results list them (if any)."""
    rows = []
    for task, errors in (record.get("errors") or {}).items():
        for error in errors:
            if isinstance(error, dict) and error.get("kind") == "parse_failure":
                rows.append(Row([esc(task), esc(error.get("doc_id")), esc(error.get("failure")), esc(error.get("message"))]))
    if not rows:
        return ""
    return "<h2>Answers the system could not parse</h2>" + table(["task", "document", "failure", "message"], rows)


def article_section(document: Any, views: Sequence[tuple[Any, Any]]) -> str:
    """One article: each task's rows (task, DocumentView), laid out as the task says."""
    headline = document.meta.headline or document.id
    parts = [f'<section class="article" id="doc-{css_class(document.id)}"><h2>{esc(headline)}</h2>', f'<p class="meta">{esc(document.id)}</p>']
    for task, view in views:
        presentation = task.presentation
        rows = view.rows
        if presentation.layout is Layout.TEXT:
            body = spans_section(document.text, rows, presentation, view.view)
        else:
            body = records_section(rows, presentation, task.name)
        parts.append(f"<h3>{esc(presentation.title)}</h3>" + body)
    parts.append("</section>")
    return "".join(parts)


def build_page(inputs: ReportInputs) -> str:
    """The whole page as a string."""
    title = f"Error analysis: {inputs.record['system'].get('spec')}"
    body = [header_section(inputs), charts_section(inputs), legend_section(inputs), failures_section(inputs.record)]
    for doc_id, document in inputs.corpus.items():
        body.append(article_section(document, [(task, inputs.views[task.name][doc_id]) for task in inputs.tasks]))
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{esc(CSP)}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title>"
        f"<style>{stylesheet(inputs.tasks)}</style></head>\n<body>\n" + "\n".join(part for part in body if part) + "\n</body></html>\n"
    )


def write_report(results: Path, out: Path, *, predictions: Path | None = None, label_map: str | None = None, data: Path | None = None) -> Path:
    """Check the inputs (scoring them once, rows kept) and write the report for `results` to `out` (atomically)."""
    from bench.reports.html.inputs import load_inputs

    inputs = load_inputs(results, predictions, label_map, data)
    page = build_page(inputs)
    from bench.atomic import write_text

    out = Path(out)
    write_text(out, page)
    return out
