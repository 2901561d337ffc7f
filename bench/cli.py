"""The `bench` command line: a thin layer over plain functions.

Each command parses options, calls one function of the package, and renders the
result. A `BenchError` becomes one line on stderr and its exit code (2 for bad
input); `bench validate` exits 1 when the data has problems.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import List, Optional

import typer

from bench.errors import BenchError, ExitCode

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    help="An IE benchmark on reporting of the March 2025 clashes on Syria's coast: "
    "named entities, casualty figures and attribution (who said what), scored against hand-checked gold. Start with `bench eval` (the rules "
    "baseline, offline), `bench list` for systems, `bench score FILE` for your own predictions. "
    "Exit codes: 0 ok, 1 a check failed (validate), 2 bad input or usage (one line on stderr).",
)


def _fail(exc: BenchError) -> None:
    typer.echo(f"bench: error: {exc.message}", err=True)
    raise typer.Exit(int(exc.exit_code))


def _refuse_overwrite(paths: list[Optional[Path]], force: bool) -> None:
    for path in paths:
        if path is not None and path.exists() and not force:
            raise BenchError(f"{path} exists; pass --force to overwrite it")


def _tasks(names: Optional[List[str]]):
    from bench.tasks import all_tasks

    tasks = all_tasks()
    if not names:
        return tasks
    known = {t.name.value for t in tasks}
    for name in names:
        if name not in known:
            import difflib

            close = difflib.get_close_matches(name, sorted(known), n=1)
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise BenchError(f"unknown task {name!r}{hint}; tasks: {', '.join(sorted(known))}")
    return tuple(t for t in tasks if t.name.value in names)


def _emit(record, as_json: bool, out: Optional[Path]) -> None:
    from bench.render import print_record
    from bench.results import write_json_atomic

    payload = record.to_json()
    if out is not None:
        write_json_atomic(out, payload)
    if as_json:
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        print_record(record)
        if out is not None:
            typer.echo(f"\nresults written to {out}")


DATA_HELP = "Benchmark tree (a folder with seeds/ and gold/) to use instead of the installed data."


@app.command()
def validate(
    root: Optional[Path] = typer.Argument(None, help="Benchmark tree to check (a folder holding seeds/ and gold/). Default: the benchmark's own data."),
) -> None:
    """Check seeds and gold: hashes, schemas, span texts, token alignment, ids, references, versions.

    Exits 0 when everything is valid, 1 listing every problem as `file: record: problem`.
    """
    from bench.documents.corpus import data_root
    from bench.validate import validate_tree

    try:
        tree = data_root() if root is None else root
        if not (tree / "seeds").is_dir():
            raise BenchError(f"{tree}: not a benchmark tree (no seeds/ folder)")
        problems = validate_tree(tree)
    except BenchError as exc:
        _fail(exc)
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.echo(f"bench validate: {len(problems)} problem(s) in {tree}", err=True)
        raise typer.Exit(int(ExitCode.GATE_FAILED))
    typer.echo(f"bench validate: ok ({tree})")


@app.command("eval")
def eval_(
    system: str = typer.Argument("rules", help="System spec: a built-in name (see `bench list`), an installed plugin name, or package.module:factory."),
    task: Optional[List[str]] = typer.Option(None, "--task", "-t", help="Task to run (repeatable). Default: every task the system supports."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results JSON here."),
    save_predictions: Optional[Path] = typer.Option(None, "--save-predictions", help="Write the system's predictions here as JSON Lines (re-score them with `bench score`)."),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    batch_size: int = typer.Option(8, "--batch-size", min=1, help="Documents per predict() call."),
    force: bool = typer.Option(False, "--force", help="Overwrite existing --out / --save-predictions files."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Run a system through the shared harness and score it.

    Examples: `bench eval` (rules baseline), `bench eval spacy --out results/spacy.json`,
    `bench eval mypkg.mymodule:create --json`, `bench eval --task casualties`.

    Metrics. ner (headline strict_f1, per label view gold and conll): strict = exact
    span and label (equals seqeval); exact / partial / type = SemEval-2013 schemes with
    optimal matching. casualties (headline f1): figures pair when outcomes match and
    quantity spans overlap; credit 1 when kind, low, high, unit and victim category
    match, 0.5 when the intervals overlap or the point lies in the gold interval, else
    0; f1 from summed credit; strict_f1 = full matches only; detection_f1 = span and
    outcome; value/victim/unit_accuracy over aligned pairs; spurious_on_negatives =
    predictions on annotated non-casualty numbers. attribution (headline f1,
    who-said-what): relations pair on content word-token F1 >= 0.5; a pair is correct
    when its source is right (a named source through any alias of the entity, an
    unnamed one by type and head noun); content_partial_f1 / content_strict_f1 (PARC,
    also per mode), cue_f1, source_accuracy, nesting_f1, figure_source_accuracy (with
    casualties). All tasks: ungrounded (and surplus) count text-only predictions that
    found no place in the article. Full definitions: README.md and gold/GUIDELINES.md.
    """
    from bench.documents.corpus import load_corpus
    from bench.harness import evaluate
    from bench.predictions import write_predictions
    from bench.systems.registry import SystemContext, create_system

    def progress(done: int, total: int, ids) -> None:
        if ids:
            typer.echo(f"bench: {system}: predicting documents {done + 1}-{done + len(ids)} of {total}", err=True)
        else:
            typer.echo(f"bench: {system}: predicted {total} documents; scoring", err=True)

    try:
        _refuse_overwrite([out, save_predictions], force)
        tasks = _tasks(task)
        corpus = load_corpus(data)
        instance = create_system(system, SystemContext(corpus.root, tasks))
        record, answers = evaluate(instance, system, corpus, tasks, batch_size=batch_size, progress=progress)
        if save_predictions is not None:
            write_predictions(save_predictions, answers)
        _emit(record, as_json, out)
    except BenchError as exc:
        _fail(exc)


@app.command()
def score(
    predictions: Path = typer.Argument(..., help="Predictions file: JSON Lines, one object per document (see `bench schema predictions`)."),
    out: Optional[Path] = typer.Option(None, "--out", "-o", help="Write the results JSON here."),
    as_json: bool = typer.Option(False, "--json", help="Print the results JSON instead of tables."),
    label_map: Optional[str] = typer.Option(None, "--label-map", help="NER label map: `gold` (default), `conll` (PER/ORG/LOC/MISC, scored on the CoNLL projection), `spacy-ontonotes`, or a JSON file {\"space\": \"gold\"|\"conll\", \"map\": {\"PERSON\": \"PER\", \"DATE\": null}}."),
    force: bool = typer.Option(False, "--force", help="Overwrite an existing --out file."),
    data: Optional[Path] = typer.Option(None, "--data", help=DATA_HELP),
) -> None:
    """Score a predictions file written by any system, in any language.

    A bad file gets one line, `file:line: problem`, and exit code 2; nothing is written.
    """
    from bench.documents.corpus import load_corpus
    from bench.harness import score_file
    from bench.predictions import read_predictions
    from bench.tasks import TaskName
    from bench.tasks.ner.labels import load_label_map

    try:
        _refuse_overwrite([out], force)
        tasks = _tasks(None)
        corpus = load_corpus(data)
        maps = {TaskName.NER: load_label_map(label_map)} if label_map else {}
        file = read_predictions(predictions, corpus, tasks)
        record = score_file(file, corpus, tasks, maps)
        _emit(record, as_json, out)
    except BenchError as exc:
        _fail(exc)


@app.command()
def schema(
    name: str = typer.Argument("predictions", help="Which schema: predictions, ner_gold, casualties_gold, attribution_gold or articles."),
) -> None:
    """Print a JSON Schema: a predictions line (default), a gold file, or seeds/articles.json."""
    from bench.schemas import load_schema, schema_names

    if name not in schema_names():
        _fail(BenchError(f"unknown schema {name!r}; schemas: {', '.join(schema_names())}"))
    typer.echo(json.dumps(load_schema(name), indent=2, ensure_ascii=False))


@app.command("list")
def list_() -> None:
    """List the systems (built-in and plugins) and the tasks."""
    from bench.systems.registry import describe
    from bench.tasks import all_tasks

    tasks = all_tasks()
    typer.echo("systems:")
    for name, kind, summary in describe(tasks):
        typer.echo(f"  {name:<10} {kind:<18} {summary}")
    typer.echo("  (also: package.module:factory for your own Python system)")
    typer.echo("tasks:")
    for task in tasks:
        typer.echo(f"  {task.name.value:<10} headline {task.headline}, scorer {task.scorer_version}")


def main() -> None:
    app()


if __name__ == "__main__":
    main()
