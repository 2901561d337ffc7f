"""Helpers every command shares: the one-line error, overwrite refusal, task selection,
and printing or writing a results record."""

from pathlib import Path
from typing import List, Optional

import typer

from bench.errors import BenchError, printable


def fail(exc: BenchError) -> None:
    typer.echo(f"bench: error: {printable(exc.message)}", err=True)  # control characters escaped: one line
    raise typer.Exit(int(exc.exit_code))


def refuse_overwrite(paths: list[Optional[Path]], force: bool) -> None:
    """Before a run: an output that is a folder is refused, with or without --force, and
    so is an output that names the same file as another one of `paths`; an existing file
    needs --force."""
    seen: dict[str, Path] = {}
    for path in paths:
        if path is None:
            continue
        if path.is_dir():
            raise BenchError(f"{path} is a folder; give a file name to write")
        key = _identity(path)
        if key in seen:
            raise BenchError(f"{seen[key]} and {path} name the same file; give each output its own file")
        seen[key] = path
        if path.exists() and not force:
            raise BenchError(f"{path} exists; pass --force to overwrite it")


def refuse_same_file(output: Optional[Path], input_path: Path) -> None:
    """An output may not be the input it is made from (`bench score P --out P --force`)."""
    if output is not None and _identity(output) == _identity(input_path):
        raise BenchError(f"{output} is the input file itself; write the output to another file")


def _identity(path: Path) -> str:
    """What two paths share when they name one file: the resolved path (links followed)."""
    import os

    return os.path.normcase(str(path.resolve()))


def task_names(values: Optional[List[str]]) -> list[str]:
    """`--task` as given: repeated, comma-separated or both (`--task ner,casualties -t
    attribution`), each name checked (an unknown one: one line with a "did you mean"),
    in the order given, once each; [] when none was given."""
    from bench.tasks import get_task

    names = list(dict.fromkeys(part.strip() for value in values or () for part in value.split(",") if part.strip()))
    if values and not names:
        raise BenchError(f"--task {','.join(values)!r}: give one or more task names, separated by commas")
    for name in names:
        get_task(name)
    return names


def select_tasks(values: Optional[List[str]]):
    """The tasks `--task` names (see `task_names`), in report order; every task when none."""
    from bench.tasks import all_tasks

    tasks = all_tasks()
    names = task_names(values)
    if not names:
        return tasks
    return tuple(t for t in tasks if t.name in names)



def emit(record, as_json: bool, out: Optional[Path]) -> None:
    from bench.reports.tables import print_record
    from bench.results.record import write_json_atomic

    payload = record.to_json()
    if out is not None:
        write_json_atomic(out, payload)
    if as_json:
        from bench import prettyjson

        typer.echo(prettyjson.dumps(payload, 2, allow_nan=True))
    else:
        print_record(record, notes=[f"results written to {out}"] if out is not None else [])


def with_predictions(record, predictions: Optional[Path], out: Optional[Path]):
    """The record naming its predictions file (`run.predictions`, relative to the results
    file's folder, and its sha256), so that `bench report` finds it; only with --out."""
    if predictions is None or out is None:
        return record
    from dataclasses import replace

    from bench.harness.predictions import PREDICTIONS_KEY, PREDICTIONS_SHA_KEY, predictions_entry

    entry = predictions_entry(predictions, out)
    return replace(record, run=replace(record.run, predictions=entry[PREDICTIONS_KEY], predictions_sha256=entry[PREDICTIONS_SHA_KEY]))


DATA_HELP = "Benchmark tree (a folder with seeds/ and gold/) to use instead of the installed data."
