"""`bench report`: the error-analysis page for a results record (see `bench/reports/`)."""

from pathlib import Path
from typing import Optional

import typer

from bench.cli.common import DATA_HELP, fail, refuse_overwrite, refuse_same_file
from bench.errors import BenchError


def report(
    results: Path = typer.Argument(..., help="Results JSON written by `bench eval --out` or `bench score --out`."),
    html: Path = typer.Option(..., "--html", help="Write the HTML report here (one static file, no scripts, no network)."),
    predictions: Optional[Path] = typer.Option(None, "--predictions", help="The predictions file the results were scored from. Default: the one the results record names (`run.predictions`)."),
    label_map: Optional[str] = typer.Option(None, "--label-map", help="NER label map to re-read the predictions with, when the record's cannot be found by name (as for `bench score --label-map`)."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --html file."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Write an error-analysis report: per article, gold and predicted NER spans side by
    side with missed, spurious, boundary and type errors marked; casualty figures and
    attribution relations aligned gold against prediction with the credit each got; a
    per-label F1 chart.

    The predictions are re-read and re-scored with this bench's own scorers, and the
    report is refused (exit 2) when they do not match the record, the installed
    articles or the gold. Example: `bench eval --out r.json --save-predictions p.jsonl`,
    then `bench report r.json --html r.html`.
    """
    from bench.reports.html.page import write_report

    try:
        refuse_overwrite([html], force)
        refuse_same_file(html, results)
        written = write_report(results, html, predictions=predictions, label_map=label_map, data=data)
    except BenchError as exc:
        fail(exc)
    typer.echo(f"report written to {written}")
