"""`bench validate`, `bench schema` and `bench list`: commands about the data and the registry."""

from __future__ import annotations

import json
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
    name: str = typer.Argument("predictions", help="Which schema: predictions, results, ner_gold, casualties_gold, attribution_gold or articles."),
) -> None:
    """Print a JSON Schema: a predictions line (default), a results file, a gold file, or seeds/articles.json."""
    from bench.schemas import load_schema, schema_names

    if name not in schema_names():
        fail(BenchError(f"unknown schema {name!r}; schemas: {', '.join(schema_names())}"))
    typer.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))


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
        typer.echo(f"  {task.name.value:<10} headline {task.headline}, scorer {task.scorer_version}")
