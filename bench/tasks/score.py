"""What a task's scorer returns: counts, metric rows, per-sentence units and errors.

Where it sits: stage 2, tasks, shared by every task. Scorers build their numbers here
and nowhere else; the run record (`bench.results.record`, stage 4) holds these rows,
so the results sit above the tasks and not the other way round.

`Counts` holds true positives, false positives and false negatives. Counts add up
across sentences and documents, and precision, recall and F1 are computed from the
summed counts (micro-averaging). An empty denominator gives 0.0, except that a
perfect empty prediction on empty gold (nothing to find, nothing predicted) gives 1.0.
`Counts.rows` turns counts into the three metric rows of an F1 (precision, recall,
F1 with its counts), so every task writes them the same way.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Mapping


def ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1_from(precision: float, recall: float) -> float:
    return ratio(2 * precision * recall, precision + recall)


def precision_recall(credit: float, predicted: float, support: float) -> tuple[float, float]:
    """Precision and recall from credited matches; nothing predicted on empty gold is perfect."""
    if predicted == 0 and support == 0:
        return 1.0, 1.0
    return ratio(credit, predicted), ratio(credit, support)


def whole(value: float) -> float | int:
    """A count as it is written in the results: 3 rather than 3.0, 2.5 as it is."""
    return int(value) if float(value).is_integer() else value


@dataclass(frozen=True, slots=True)
class MetricRow:
    """One number of a run: `{task, metric, value}`, with its label view, label and counts."""

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
class Counts:
    """tp/fp/fn; whole numbers for strict matching, halves where a task gives partial credit."""

    tp: float = 0
    fp: float = 0
    fn: float = 0

    def __add__(self, other: "Counts") -> "Counts":
        return Counts(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def support(self) -> float:
        """Gold items."""
        return self.tp + self.fn

    @property
    def predicted(self) -> float:
        return self.tp + self.fp

    @property
    def precision(self) -> float:
        return precision_recall(self.tp, self.predicted, self.support)[0]

    @property
    def recall(self) -> float:
        return precision_recall(self.tp, self.predicted, self.support)[1]

    @property
    def f1(self) -> float:
        return f1_from(self.precision, self.recall)

    def rows(self, task: str, f1_metric: str = "f1", *, view: str | None = None, label: str | None = None) -> list[MetricRow]:
        """The precision, recall and F1 rows of an F1 metric (`strict_f1` gives
        `strict_precision`, `strict_recall`, `strict_f1`); the F1 row carries the counts."""
        prefix = f1_metric[: -len("f1")]
        common = dict(task=task, view=view, label=label, support=whole(self.support), predicted=whole(self.predicted))
        return [
            MetricRow(metric=f"{prefix}precision", value=self.precision, **common),
            MetricRow(metric=f"{prefix}recall", value=self.recall, **common),
            MetricRow(metric=f1_metric, value=self.f1, tp=self.tp, fp=self.fp, fn=self.fn, **common),
        ]


@dataclass(frozen=True, slots=True)
class UnitCounts:
    """Counts for one scoring unit (a sentence), kept for the bootstrap
    (`bench.results.bootstrap`): the counts of the task's headline F1, or with `metric`
    set, the counts of that sub-metric (an F1 such as "detection_f1").

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
    metric: str | None = None  # None: the task's headline; else an F1 metric such as "strict_f1"

    def to_json(self) -> dict[str, Any]:
        # by hand, in field order: `asdict` deep-copies every field, and a run holds 10,000s of units
        out = {"task": self.task, "view": self.view, "doc_id": self.doc_id, "sentence": self.sentence, "tp": self.tp, "fp": self.fp, "fn": self.fn}
        if self.metric is not None:
            out["metric"] = self.metric
        return out


def sentence_units(task: str, doc_id: str, sentences, per_sentence: dict, metrics) -> list[UnitCounts]:
    """Per-sentence `UnitCounts` for the bootstrap: one unit per sentence and metric (zero
    counts included, so every system has the same units), plus sentence -1 when the
    document has predictions with no place in the text. `per_sentence` maps
    (metric, sentence index) to `Counts`."""
    units = []
    for metric in metrics:
        for index in [s.index for s in sentences] + ([-1] if (metric, -1) in per_sentence else []):
            c = per_sentence.get((metric, index), Counts())
            units.append(UnitCounts(task, None, doc_id, index, c.tp, c.fp, c.fn, metric))
    return units


@dataclass(frozen=True)
class TaskScore:
    """What a task's scorer returns: metric rows, per-unit counts and listed errors, and,
    when asked for (`ScoringContext.keep_rows`), each document's alignment
    (`bench.tasks.alignment.DocumentAlignment`) for the report; results files never hold it."""

    task: str
    rows: tuple[MetricRow, ...]
    units: tuple[UnitCounts, ...] = ()
    errors: tuple[Mapping[str, Any], ...] = ()
    alignments: Mapping[str, Any] = field(default_factory=dict)  # doc_id -> DocumentAlignment

    def row(self, metric: str, **where: Any) -> MetricRow:
        for row in self.rows:
            if row.metric == metric and all(getattr(row, k) == v for k, v in where.items()):
                return row
        raise KeyError((metric, where))
