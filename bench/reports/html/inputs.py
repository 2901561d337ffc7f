"""What a report draws: a saved run scored again from its predictions, its rows as shown.

`load_inputs` re-scores the results record from its predictions file
(`bench.results.rescore`: every check that the predictions, articles, gold and scorer
are those of the record), keeping each document's alignment, and turns each task's
rows into what the page shows (`bench.tasks.alignment.present`). So the page shows
exactly what the scorer counted for these numbers, aligned once.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Mapping

if TYPE_CHECKING:  # imported where used, so that `bench --help` stays fast
    from bench.documents.corpus import Corpus
    from bench.harness.predictions import PredictionsFile
    from bench.tasks.alignment import DocumentView
    from bench.tasks.base import Task
    from bench.tasks.score import MetricRow


@dataclass(frozen=True)
class ReportInputs:
    """Everything a report is built from, checked against each other."""

    results_path: Path
    record: Mapping[str, Any]  # the results JSON as read
    metrics: tuple[MetricRow, ...]
    corpus: Corpus
    tasks: tuple[Task, ...]  # the record's tasks, in record order
    predictions: PredictionsFile
    label_maps: Mapping[str, Any]  # task -> the label map the record was scored with (tasks that have them)
    views: Mapping[str, Mapping[str, DocumentView]]  # task -> doc_id -> its rows as the page shows them


def load_inputs(results: Path, predictions: Path | None = None, label_map: str | None = None, data: Path | None = None) -> ReportInputs:
    """The run scored again (checked against its record), and its rows as the page shows them."""
    from bench.results.rescore import rescore
    from bench.tasks.alignment import present

    run = rescore(results, predictions, label_map, data, keep_rows=True)
    views = {t.name: {doc_id: present(a, t.presentation) for doc_id, a in run.scores[t.name].alignments.items()} for t in run.tasks}
    return ReportInputs(run.results_path, run.record, run.metrics, run.corpus, run.tasks, run.predictions, run.label_maps, views)
