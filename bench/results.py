"""Stage 4 of the pipeline: typed results.

A run writes one `RunRecord` (results JSON). Every number in it is a `MetricRow`
`{task, metric, value, ...}`: the headline NER row is
`{"task": "ner", "metric": "strict_f1", "view": "gold"}`. Reports and the leaderboard
read only these files.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Mapping

RESULTS_FORMAT = 1


@dataclass(frozen=True, slots=True)
class MetricRow:
    task: str
    metric: str
    value: float
    view: str | None = None
    label: str | None = None
    support: int | None = None  # gold items
    predicted: int | None = None  # predicted items
    tp: float | None = None
    fp: float | None = None
    fn: float | None = None

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """Headline counts for one scoring unit (a sentence), kept for the bootstrap: strict
    counts for NER, credit (in halves) for casualty figures.

    `sentence` is the sentence index in the document, or -1 for predictions that
    have no place in the text (ungrounded strings).
    """

    task: str
    view: str | None
    doc_id: str
    sentence: int
    tp: float
    fp: float
    fn: float


@dataclass(frozen=True)
class TaskScore:
    """What a task's scorer returns: metric rows, per-unit counts and listed errors."""

    task: str
    rows: tuple[MetricRow, ...]
    units: tuple[UnitCounts, ...] = ()
    errors: tuple[Mapping[str, Any], ...] = ()

    def row(self, metric: str, **where: Any) -> MetricRow:
        for row in self.rows:
            if row.metric == metric and all(getattr(row, k) == v for k, v in where.items()):
                return row
        raise KeyError((metric, where))


@dataclass(frozen=True)
class RunRecord:
    benchmark: Mapping[str, str]
    system: Mapping[str, Any]
    tasks: Mapping[str, Mapping[str, Any]]
    documents: Mapping[str, str]  # doc_id -> text sha256
    packages: Mapping[str, str]
    run: Mapping[str, Any]
    metrics: tuple[MetricRow, ...]
    units: tuple[UnitCounts, ...] = ()
    errors: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    format: int = RESULTS_FORMAT

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "benchmark": dict(self.benchmark),
            "system": dict(self.system),
            "tasks": {k: dict(v) for k, v in self.tasks.items()},
            "documents": dict(self.documents),
            "packages": dict(self.packages),
            "run": dict(self.run),
            "metrics": [row.to_json() for row in self.metrics],
            "errors": {k: list(v) for k, v in self.errors.items()},
            "units": [asdict(u) for u in self.units],
        }


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write JSON next to `path` and rename it into place: a failed run never leaves half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
