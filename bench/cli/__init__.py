"""The `bench` command line: a thin layer over plain functions.

One module per group of commands; this file lists every command explicitly.

Each command parses options, calls one function of the package, and renders the
result. A `BenchError` becomes one line on stderr and its exit code (2 for bad
input); `bench validate` exits 1 when the data has problems.

No module here uses `from __future__ import annotations`: typer reads every command's
annotations to build `bench --help`, and would evaluate each string one by one
(`tests/test_startup.py` holds this).
"""

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


def _version(value: bool) -> None:
    if value:
        from bench.about import BENCHMARK_NAME, installed_version

        typer.echo(f"{BENCHMARK_NAME} {installed_version()}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Print the package version and exit."),
) -> None:
    pass


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


# Python's cyclic collector looks at the young objects every 700 allocations, and at
# every object now and then; a command that loads a large tree makes millions of
# objects that live until it ends (a corpus's tokens, the gold, the units), none of them
# in cycles, so those looks find nothing. Rarer ones: `bench score` on 100,000 sentences
# took 19.0-21.9 s instead of 23.5-23.7 s (docs/history/2026-12-04-speed-3.md).
GC_THRESHOLDS = (50_000, 20, 100)


def main() -> None:
    import gc

    gc.set_threshold(*GC_THRESHOLDS)
    app()
