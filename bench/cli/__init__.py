"""The `bench` command line: a thin layer over plain functions.

One module per group of commands; this file lists every command explicitly.

Each command parses options, calls one function of the package, and renders the
result. A `BenchError` becomes one line on stderr and its exit code (2 for bad
input); `bench validate` exits 1 when the data has problems.
"""

from __future__ import annotations

import typer

from bench.cli import cache, ceiling, compare, data, export, imports, leaderboard, report, run, variants

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="An IE benchmark on reporting of the March 2025 clashes on Syria's coast: "
    "named entities, casualty figures and attribution (who said what), scored against hand-checked gold. Start with `bench eval` (the rules "
    "baseline, offline), `bench list` for systems, `bench score FILE` for your own predictions. "
    "Exit codes: 0 ok, 1 a check or gate failed (validate, --fail-under, compare --max-drop), 2 bad input or usage (one line on stderr).",
)


app.command("eval")(run.eval_)
app.command("score")(run.score)
app.command("validate")(data.validate)
app.command("list")(data.list_)
app.command("schema")(data.schema)
app.command("metrics")(data.metrics)
app.command("compare")(compare.compare)
app.command("leaderboard")(leaderboard.leaderboard)
app.command("ceiling")(ceiling.ceiling)
app.command("export")(export.export)
app.command("report")(report.report)
app.add_typer(cache.app, name="cache")
app.add_typer(variants.app, name="variants")
app.add_typer(imports.app, name="import")


def main() -> None:
    app()
