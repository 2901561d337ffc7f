"""Score a saved run again from its predictions file, and check it is the run its record says.

A results record holds the numbers, not the predictions, so re-scoring a run also needs
the predictions file. `bench eval --save-predictions P --out R` and `bench score P --out R`
record it in `run.predictions` (a path relative to R's folder) with its sha256
(`bench.harness.predictions.predictions_entry`); `rescore(R)` then finds it by itself,
or takes the one given.

`rescore` refuses, in one line each:
- a file that is not a results record of this format;
- articles, gold or a scorer that differ from the record's (hashes and versions);
- a predictions file that differs from the one recorded (sha256), or whose scores,
  recomputed here with the package's own scorers, differ from the record's.
So what it returns (the scores, and with `keep_rows` each document's alignment) is
exactly what the scorer counted for the record's numbers. `bench report` draws it.

Where it sits: stage 4, results: what is said about a record. It scores the predictions
file through the harness, as `bench score` does, and compares the result with the
record; `bench report` draws what it returns.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

from bench.errors import BenchError
from bench.harness.predictions import PREDICTIONS_KEY, PREDICTIONS_SHA_KEY, file_sha256
from bench.results.record import RESULTS_FORMAT
from bench.tasks.score import MetricRow

if TYPE_CHECKING:  # imported where used, so that `bench --help` stays fast
    from bench.documents.corpus import Corpus
    from bench.harness.predictions import PredictionsFile
    from bench.tasks.base import Task
    from bench.tasks.score import TaskScore

_RECORD_KEYS = ("format", "system", "tasks", "documents", "run", "metrics")


@dataclass(frozen=True)
class Rescored:
    """A saved run scored again, checked against its record."""

    results_path: Path
    record: Mapping[str, Any]  # the results JSON as read
    metrics: tuple[MetricRow, ...]  # the record's rows
    corpus: Corpus
    tasks: tuple[Task, ...]  # the record's tasks, in record order
    predictions: PredictionsFile
    label_maps: Mapping[str, Any]  # task -> the label map the record was scored with (tasks that have them)
    scores: Mapping[str, TaskScore]  # task -> the predictions scored again


def read_record(path: Path) -> dict[str, Any]:
    """The results JSON, or one line saying why it is not a results record."""
    from bench.results.record import read_raw_record

    path = Path(path)
    raw = read_raw_record(path)  # capped decoding, and the results schema
    missing = [key for key in _RECORD_KEYS if key not in raw]
    if missing:
        raise BenchError(f"{path}: not a results file (no {', '.join(repr(k) for k in missing)}); write one with `bench eval --out` or `bench score --out`")
    if raw["format"] != RESULTS_FORMAT:
        raise BenchError(f"{path}: results format {raw['format']!r}; this bench reads format {RESULTS_FORMAT}")
    return raw


def metric_rows(record: Mapping[str, Any]) -> tuple[MetricRow, ...]:
    """The record's metric rows (fields this version does not know are left out)."""
    known = {f.name for f in fields(MetricRow)}
    return tuple(MetricRow(**{k: v for k, v in row.items() if k in known}) for row in record["metrics"])


def _short(sha: Any) -> str:
    return f"{str(sha)[:12]}…"


def check_against_data(path: Path, record: Mapping[str, Any], corpus: Corpus, tasks: tuple[Task, ...]) -> None:
    """The record was made on these articles, this gold and these scorers."""
    from bench.tasks.goldfiles import gold_fingerprint

    here = {doc_id: doc.sha256 for doc_id, doc in corpus.items()}
    for doc_id, sha in record["documents"].items():
        if doc_id not in here:
            raise BenchError(f"{path}: document {doc_id!r} of the record is not among the installed articles")
        if sha != here[doc_id]:
            raise BenchError(f"{path}: document {doc_id}: the record's text sha256 {_short(sha)} differs from the installed article's {_short(here[doc_id])}")
    for task in tasks:
        header = record["tasks"][task.name]
        version, sha = gold_fingerprint(corpus.root, task.name, corpus)
        if header.get("gold_sha256") != sha:
            raise BenchError(
                f"{path}: {task.name} was scored on gold {header.get('gold_version')} (sha256 {_short(header.get('gold_sha256'))}), "
                f"but the installed gold is {version} (sha256 {_short(sha)}); re-score the predictions with `bench score`"
            )
        if header.get("scorer_version") != task.scorer_version:
            raise BenchError(f"{path}: {task.name} was scored by scorer {header.get('scorer_version')}, this bench has {task.scorer_version}; re-score the predictions with `bench score`")


def record_tasks(path: Path, record: Mapping[str, Any]) -> tuple[Task, ...]:
    from bench.tasks import all_tasks

    known = {t.name: t for t in all_tasks()}
    unknown = [name for name in record["tasks"] if name not in known]
    if unknown:
        raise BenchError(f"{path}: unknown task {unknown[0]!r} in the record; tasks: {', '.join(known)}")
    if not record["tasks"]:
        raise BenchError(f"{path}: the record scores no task")
    return tuple(known[name] for name in record["tasks"])


def find_predictions(path: Path, record: Mapping[str, Any], given: Path | None) -> Path:
    """`--predictions` when given, else the file the record names (relative to its folder)."""
    if given is not None:
        return Path(given)
    named = record["run"].get(PREDICTIONS_KEY) if isinstance(record["run"], Mapping) else None
    if not named:
        raise BenchError(f"{path}: the record names no predictions file; pass --predictions P.jsonl (write one with `bench eval --save-predictions`)")
    found = Path(path).parent / named
    if not found.is_file():
        raise BenchError(f"{path}: its predictions file {named} is not there ({found}); pass --predictions P.jsonl")
    return found


def resolve_label_maps(path: Path, record: Mapping[str, Any], tasks: tuple[Task, ...], given: str | None, in_file: Mapping[str, Any]) -> dict[str, Any]:
    """Per task that has label maps, the map to re-read the predictions with: `--label-map`,
    else the one the predictions file records, else the one the results record names."""
    out = {}
    recorded_maps = record["system"].get("label_maps") or {}
    for task in tasks:
        if task.label_map_schema() is None:
            continue
        recorded = recorded_maps.get(task.name)
        if given is not None:
            out[task.name] = task.load_label_map(given)
        elif task.name in in_file:
            out[task.name] = in_file[task.name]
        elif recorded is not None:
            found = task.find_label_map(recorded)
            if found is None:
                raise BenchError(f"{path}: {task.name} was scored with the label map {recorded!r}; pass it again with --label-map (a name or a JSON file)")
            out[task.name] = found
    return out


def _key(row: MetricRow) -> tuple:
    return (row.task, row.metric, row.view, row.label)


def check_scores(path: Path, predictions_path: Path, recorded: tuple[MetricRow, ...], recomputed: tuple[MetricRow, ...], tasks: tuple[Task, ...]) -> None:
    """The predictions give the record's numbers (rows both have; every headline must be there)."""
    mine = {_key(row): row for row in recorded}
    for row in recomputed:
        if _key(row) not in mine:
            continue
        value = mine[_key(row)].value
        if not math.isclose(value, row.value, rel_tol=1e-9, abs_tol=1e-12):
            where = "".join(f" [{part}]" for part in (row.view, row.label) if part)
            raise BenchError(
                f"{predictions_path}: these predictions do not give the scores in {path} "
                f"({row.task} {row.metric}{where}: {row.value:.4f} here, {value:.4f} in the record); pass the predictions the record was made from"
            )
    for task in tasks:
        if not any(r.task == task.name and r.metric == task.headline and r.label is None for r in recorded):
            raise BenchError(f"{path}: the record has no {task.name} {task.headline} row")


def check_everything(path: Path, predictions_path: Path, record: Mapping[str, Any], recorded: tuple[MetricRow, ...], recomputed: tuple[MetricRow, ...], units: tuple) -> None:
    """The record holds exactly the rows and per-sentence units the predictions give."""
    mine, theirs = {_key(r) for r in recorded}, {_key(r) for r in recomputed}
    for what, missing in (("has a row the predictions do not give", mine - theirs), ("lacks a row the predictions give", theirs - mine)):
        if missing:
            task, metric, view, label = sorted(missing, key=str)[0]
            where = "".join(f" [{part}]" for part in (view, label) if part)
            raise BenchError(f"{path}: the record {what} ({task} {metric}{where}); re-score {predictions_path} with `bench score`")
    by_key = {_key(r): r for r in recomputed}
    for row in recorded:
        other = by_key[_key(row)]
        for name in ("support", "predicted", "tp", "fp", "fn"):
            a, b = getattr(row, name), getattr(other, name)
            if (a is None) != (b is None) or (a is not None and not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)):
                where = "".join(f" [{part}]" for part in (row.view, row.label) if part)
                raise BenchError(f"{path}: {row.task} {row.metric}{where}: {name} {a} in the record, {b} from {predictions_path}")
    recorded_units = sorted(json_units(record))
    given = sorted(json.dumps(u.to_json(), sort_keys=True) for u in units)
    if recorded_units != given:
        raise BenchError(f"{path}: its per-sentence units differ from those {predictions_path} gives ({len(recorded_units)} against {len(given)}); re-score it with `bench score`")


def json_units(record: Mapping[str, Any]) -> list[str]:
    return [json.dumps(u, sort_keys=True) for u in record.get("units", ())]


def rescore(results: Path, predictions: Path | None = None, label_map: str | None = None, data: Path | None = None, keep_rows: bool = False, strict: bool = False) -> Rescored:
    """Read and cross-check a results record, its predictions, the articles and the gold,
    scoring the predictions once (`keep_rows`: keeping each document's alignment).
    `strict` (`bench leaderboard --verify`): every metric row and every per-sentence unit
    of the record must be what the predictions give, and no row may be missing either way."""
    from bench.documents.corpus import load_corpus
    from bench.harness.predictions import read_predictions
    from bench.harness.run import score_predictions

    results = Path(results)
    record = read_record(results)
    tasks = record_tasks(results, record)
    corpus = load_corpus(data)
    check_against_data(results, record, corpus, tasks)
    where = find_predictions(results, record, predictions)
    recorded_sha = record["run"].get(PREDICTIONS_SHA_KEY)
    if recorded_sha and where.is_file() and file_sha256(where) != recorded_sha:
        raise BenchError(f"{where}: not the predictions file {results} was scored from (its sha256 is {_short(file_sha256(where))}, the record's {_short(recorded_sha)})")
    file = read_predictions(where, corpus, tasks)
    maps = resolve_label_maps(results, record, tasks, label_map, file.label_maps)
    gold = {t.name: t.load_gold(corpus.root, corpus) for t in tasks}
    scores = score_predictions(corpus, tasks, gold, file.predictions, file.where, maps, file.parsed_answers, keep_rows=keep_rows)
    recomputed = tuple(row for score in scores.values() for row in score.rows)
    metrics = metric_rows(record)
    check_scores(results, where, metrics, recomputed, tasks)
    if strict:
        check_everything(results, where, record, metrics, recomputed, tuple(u for s in scores.values() for u in s.units))
    return Rescored(results, record, metrics, corpus, tasks, file, maps, scores)
