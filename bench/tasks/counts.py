"""Counts that scores are built from, shared by every task.

`Counts` holds true positives, false positives and false negatives. Counts add up
across sentences and documents, and precision, recall and F1 are computed from the
summed counts (micro-averaging). An empty denominator gives 0.0, except that a
perfect empty prediction on empty gold (nothing to find, nothing predicted) gives 1.0.
"""

from __future__ import annotations

from dataclasses import dataclass


def ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def f1_from(precision: float, recall: float) -> float:
    return ratio(2 * precision * recall, precision + recall)


def precision_recall(credit: float, predicted: float, support: float) -> tuple[float, float]:
    """Precision and recall from credited matches; nothing predicted on empty gold is perfect."""
    if predicted == 0 and support == 0:
        return 1.0, 1.0
    return ratio(credit, predicted), ratio(credit, support)


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


def sentence_units(task: str, doc_id: str, sentences, per_sentence: dict, metrics) -> list:
    """Per-sentence `UnitCounts` for the bootstrap: one unit per sentence and metric (zero
    counts included, so every system has the same units), plus sentence -1 when the
    document has predictions with no place in the text. `per_sentence` maps
    (metric, sentence index) to `Counts`."""
    from bench.results.record import UnitCounts

    units = []
    for metric in metrics:
        for index in [s.index for s in sentences] + ([-1] if (metric, -1) in per_sentence else []):
            c = per_sentence.get((metric, index), Counts())
            units.append(UnitCounts(task, None, doc_id, index, c.tp, c.fp, c.fn, metric))
    return units
