"""`bench validate`, `bench schema` and `bench list`: commands about the data and the registry."""

from pathlib import Path
from typing import Optional

import typer

from bench.cli.common import fail
from bench.errors import BenchError, ExitCode, printable


def validate(
    root: Optional[Path] = typer.Argument(None, help="Benchmark tree to check (a folder holding seeds/ and gold/). Default: the benchmark's own data."),
) -> None:
    """Check seeds and gold: hashes, schemas, span texts, token alignment, ids, references, versions.

    Exits 0 when everything is valid, 1 listing every problem as `file: record: problem`.
    """
    from bench.documents.corpus import data_root
    from bench.tasks.validate import validate_tree

    try:
        tree = data_root() if root is None else root
        if not (tree / "seeds").is_dir():
            raise BenchError(f"{tree}: not a benchmark tree (no seeds/ folder)")
        problems = validate_tree(tree)
    except BenchError as exc:
        fail(exc)
    for problem in problems:
        typer.echo(printable(str(problem)), err=True)
    if problems:
        typer.echo(f"bench validate: {len(problems)} problem(s) in {tree}", err=True)
        raise typer.Exit(int(ExitCode.GATE_FAILED))
    typer.echo(f"bench validate: ok ({tree})")


def schema(
    name: str = typer.Argument("predictions", help="Which schema: predictions, results, ceiling, articles, or TASK_gold (a task's gold file; see `bench list`)."),
) -> None:
    """Print a JSON Schema: a predictions line (default), a results file, the LLM ceiling table, a gold file, or seeds/articles.json."""
    known = schemas()
    if name not in known:
        import difflib

        close = difflib.get_close_matches(name, list(known), n=1)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        fail(BenchError(f"unknown schema {name!r}{hint}; schemas: {', '.join(known)}"))
    import json

    typer.echo(json.dumps(known[name](), indent=2, ensure_ascii=False))


def schemas() -> dict:
    """Every schema `bench schema` prints, by name: each comes from the stage that owns the file."""
    from bench.documents.corpus import articles_schema
    from bench.harness.predictions import predictions_schema
    from bench.results.ceiling import table_schema
    from bench.results.record import results_schema
    from bench.tasks import all_tasks

    out = {"predictions": predictions_schema, "results": results_schema, "ceiling": table_schema, "articles": articles_schema}
    out |= {f"{task.name}_gold": task.gold_schema for task in all_tasks()}
    return dict(sorted(out.items()))


def list_() -> None:
    """List the systems (built-in, model prefixes, plugins), whether each can run here, and the tasks.

    A system that needs an optional stack (spaCy, torch + transformers, llama.cpp) says
    whether that stack is installed; where it is not, the line shows what is missing and
    the pip command that installs it.
    """
    from bench.systems.registry import describe
    from bench.tasks import all_tasks

    tasks = all_tasks()
    rows = describe(tasks)
    width = max(len(row.name) for row in rows)
    typer.echo("systems:")
    for row in rows:
        stack = f"[{row.extra}]" if row.extra else ""
        typer.echo(f"  {row.name:<{width}}  {row.kind:<8} {stack:<7} {'ready' if row.ready else 'NOT INSTALLED'}  {row.summary}")
        if not row.ready:
            typer.echo(f"  {'':<{width}}  {'':<8} {'':<7} {row.status}")
    typer.echo("  (also: package.module:factory for your own Python system)")
    typer.echo("tasks:")
    for task in tasks:
        typer.echo(f"  {task.name:<10} headline {task.headline}, scorer {task.scorer_version}")


def metrics(
    write: Optional[Path] = typer.Option(None, "--write", help="Replace the generated block of this Markdown page (docs/metrics.md) instead of printing."),
    check: bool = typer.Option(False, "--check", help="With --write: write nothing; exit 1 when the page's block is stale."),
) -> None:
    """Print every task's metrics: kind, direction, label views, leaderboard columns and what each counts.

    The same catalogue draws `bench eval`'s tables, the leaderboard and the report; the
    rules behind the numbers are in docs/metrics.md and gold/GUIDELINES.md.
    """
    from bench.reports.metrics import catalogue_markdown, replace_block

    block = catalogue_markdown()
    if write is None:
        typer.echo(block)
        return
    try:
        current = write.read_text(encoding="utf-8")
    except OSError as exc:
        fail(BenchError(f"{write}: cannot read: {exc.strerror}"))
    try:
        wanted = replace_block(current, block, write)
    except BenchError as exc:
        fail(exc)
    if check:
        if current != wanted:
            typer.echo(f"bench metrics: {write} is out of date; run `bench metrics --write {write}` and commit it", err=True)
            raise typer.Exit(int(ExitCode.GATE_FAILED))
        typer.echo(f"bench metrics: {write} is up to date")
        return
    from bench.atomic import write_text

    write_text(write, wanted)
    typer.echo(f"bench metrics: wrote {write}")
