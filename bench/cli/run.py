"""`bench eval` and `bench score`: run a system, or score a predictions file."""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from bench.cli.common import DATA_HELP, emit, fail, refuse_overwrite, select_tasks
from bench.errors import BenchError


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
        refuse_overwrite([out, save_predictions], force)
        tasks = select_tasks(task)
        corpus = load_corpus(data)
        instance = create_system(system, SystemContext(corpus.root, tasks))
        record, answers = evaluate(instance, system, corpus, tasks, batch_size=batch_size, progress=progress)
        if save_predictions is not None:
            write_predictions(save_predictions, answers)
        emit(record, as_json, out)
    except BenchError as exc:
        fail(exc)


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
        refuse_overwrite([out], force)
        tasks = select_tasks(None)
        corpus = load_corpus(data)
        maps = {TaskName.NER: load_label_map(label_map)} if label_map else {}
        file = read_predictions(predictions, corpus, tasks)
        record = score_file(file, corpus, tasks, maps)
        emit(record, as_json, out)
    except BenchError as exc:
        fail(exc)
