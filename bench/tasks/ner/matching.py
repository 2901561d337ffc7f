"""NER scoring schemes by optimal one-to-one matching of gold and predicted spans.

This sits between the span types (`types.py`) and the NER scorer. Given one
document's gold spans and its predicted spans (already label-mapped and grounded),
`match_scheme` counts correct, incorrect, partial, missed and spurious spans under
the four schemes of SemEval-2013 Task 9.1 as nervaluate names them,
`classify_errors` says what went wrong with each span that is not an exact match, and
`align_spans` adds the exact matches to that list (the HTML report shows every span).

nervaluate matches greedily in list order, so its counts can change when the same
predictions come in another order (its issue #40). Here the pairs come from an
optimal assignment (scipy's `linear_sum_assignment`) that maximises the total credit
and then the number of matched pairs. Only overlapping spans are ever paired. The
counts do not depend on the order of the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from bench.tasks.counts import f1_from, precision_recall
from bench.tasks.ner.types import Span


class Scheme(str, Enum):
    """A rule for when a predicted span gets credit for the gold span it is paired with."""

    STRICT = "strict"  # exact span and same label
    EXACT = "exact"  # exact span, any label
    PARTIAL = "partial"  # any overlap, any label: exact span = full credit, otherwise half credit
    TYPE = "type"  # any overlap and same label (nervaluate: "ent_type")


@dataclass(frozen=True, slots=True)
class SchemeCounts:
    """Counts under one scheme. They add up across documents and keep partial credit.

    possible = number of gold spans, actual = number of predicted spans. Precision and
    recall use credit = correct + 0.5 * partial (partial is always 0 outside PARTIAL).
    """

    correct: int = 0
    incorrect: int = 0
    partial: int = 0
    missed: int = 0
    spurious: int = 0

    def __add__(self, other: "SchemeCounts") -> "SchemeCounts":
        return SchemeCounts(
            self.correct + other.correct,
            self.incorrect + other.incorrect,
            self.partial + other.partial,
            self.missed + other.missed,
            self.spurious + other.spurious,
        )

    @property
    def possible(self) -> int:
        return self.correct + self.incorrect + self.partial + self.missed

    @property
    def actual(self) -> int:
        return self.correct + self.incorrect + self.partial + self.spurious

    @property
    def credit(self) -> float:
        return self.correct + 0.5 * self.partial

    @property
    def precision(self) -> float:
        return precision_recall(self.credit, self.actual, self.possible)[0]

    @property
    def recall(self) -> float:
        return precision_recall(self.credit, self.actual, self.possible)[1]

    @property
    def f1(self) -> float:
        return f1_from(self.precision, self.recall)


class _Pairs:
    """Pairwise relations between sorted gold (rows) and sorted predicted (columns) spans."""

    def __init__(self, gold: Sequence[Span], pred: Sequence[Span]) -> None:
        gs, ge = (np.array([s.start for s in gold]), np.array([s.end for s in gold]))
        ps, pe = (np.array([s.start for s in pred]), np.array([s.end for s in pred]))
        gl = np.array([s.label for s in gold], dtype=object)
        pl = np.array([s.label for s in pred], dtype=object)
        self.overlap = (gs[:, None] < pe[None, :]) & (ps[None, :] < ge[:, None])
        self.same_span = (gs[:, None] == ps[None, :]) & (ge[:, None] == pe[None, :])
        self.same_label = gl[:, None] == pl[None, :]


def _assign(weight: np.ndarray, allowed: np.ndarray) -> list[tuple[int, int]]:
    """Row/column pairs of a maximum-weight one-to-one assignment, allowed pairs only."""
    if weight.size == 0:
        return []
    rows, cols = linear_sum_assignment(np.where(allowed, weight, 0), maximize=True)
    # The solver pairs every row or every column; drop pairs that may not be matched.
    return [(int(i), int(j)) for i, j in zip(rows, cols) if allowed[i, j]]


def _half_credits(pairs: _Pairs, scheme: Scheme) -> np.ndarray:
    """Credit of each pair in half units: 2 full, 1 half, 0 none (pairs must overlap)."""
    if scheme is Scheme.STRICT:
        full, half = pairs.same_span & pairs.same_label, None
    elif scheme is Scheme.EXACT:
        full, half = pairs.same_span, None
    elif scheme is Scheme.PARTIAL:
        full, half = pairs.same_span, ~pairs.same_span
    elif scheme is Scheme.TYPE:
        full, half = pairs.same_label, None
    else:  # pragma: no cover
        raise ValueError(f"unknown scheme {scheme!r}")
    credit = 2 * full.astype(np.int64)
    if half is not None:
        credit += half.astype(np.int64)
    return np.where(pairs.overlap, credit, 0)


def match_scheme(gold: Sequence[Span], pred: Sequence[Span], scheme: Scheme) -> SchemeCounts:
    """Counts for one document under `scheme`, from an optimal one-to-one matching.

    A matched pair (always overlapping) is correct with full credit, partial with half
    credit and incorrect with none. Unmatched gold is missed, unmatched prediction
    spurious; identical predictions are separate predictions.
    """
    scheme = Scheme(scheme)
    gold, pred = sorted(gold), sorted(pred)
    if not gold or not pred:
        return SchemeCounts(missed=len(gold), spurious=len(pred))
    pairs = _Pairs(gold, pred)
    halves = _half_credits(pairs, scheme)
    # Lexicographic objective in one weight: credit first, then number of matched pairs
    # (at most min(n, m) < k, so one more half credit beats any number of extra pairs).
    k = min(len(gold), len(pred)) + 1
    matched = _assign(halves * k + 1, pairs.overlap)
    credits = np.array([halves[i, j] for i, j in matched], dtype=np.int64)
    n_matched = len(matched)
    return SchemeCounts(
        correct=int((credits == 2).sum()),
        incorrect=int((credits == 0).sum()),
        partial=int((credits == 1).sum()),
        missed=len(gold) - n_matched,
        spurious=len(pred) - n_matched,
    )


class ErrorKind(str, Enum):
    MISSED = "missed"  # gold span with no predicted span paired to it
    SPURIOUS = "spurious"  # predicted span with no gold span paired to it
    BOUNDARY = "boundary"  # overlap, same label, different span
    TYPE = "type"  # same span, different label
    BOUNDARY_TYPE = "boundary_and_type"  # overlap, different span and different label


@dataclass(frozen=True)
class NerError:
    kind: ErrorKind
    gold: Span | None
    pred: Span | None


def _fields(span: Span | None) -> tuple:
    return () if span is None else (span.start, span.end, span.label)


def _error_key(error: NerError) -> tuple:
    start = min(s.start for s in (error.gold, error.pred) if s is not None)
    return (start, error.kind.value, _fields(error.gold), _fields(error.pred))


@dataclass(frozen=True)
class SpanAlignment:
    """Every span of one document accounted for: each strict match once in `correct`
    (it stands for one gold and one predicted span), every other span in `errors`."""

    correct: tuple[Span, ...]
    errors: tuple[NerError, ...]


def classify_errors(gold: Sequence[Span], pred: Sequence[Span]) -> list[NerError]:
    """Every gold or predicted span that is not a strict match, classified, by position."""
    return list(align_spans(gold, pred).errors)


def align_spans(gold: Sequence[Span], pred: Sequence[Span]) -> SpanAlignment:
    """The strict matches and the classified errors of one document (what reports show).

    Strict (same span and label) matches are removed one to one first. The rest are
    matched optimally on overlap with a strict preference: same span with another label
    (TYPE) over overlap with the same label (BOUNDARY) over overlap with another label
    (BOUNDARY_TYPE); within a tier, more pairs are better.
    """
    gold, pred = sorted(gold), sorted(pred)
    # Strict matches: multiset intersection of the two sorted lists.
    unmatched: dict[Span, int] = {}
    for span in gold:
        unmatched[span] = unmatched.get(span, 0) + 1
    correct: list[Span] = []
    rest_pred: list[Span] = []
    for span in pred:
        if unmatched.get(span, 0):
            unmatched[span] -= 1
            correct.append(span)
        else:
            rest_pred.append(span)
    rest_gold: list[Span] = []
    for span in gold:  # keep the sorted order and the leftover multiplicity
        if unmatched.get(span, 0):
            unmatched[span] -= 1
            rest_gold.append(span)

    errors: list[NerError] = []
    matched: list[tuple[int, int]] = []
    if rest_gold and rest_pred:
        pairs = _Pairs(rest_gold, rest_pred)
        type_err = pairs.same_span & ~pairs.same_label
        boundary = pairs.overlap & ~pairs.same_span & pairs.same_label
        k = min(len(rest_gold), len(rest_pred)) + 1
        # Tier weights k**2 > k > 1: one pair of a higher tier beats every lower-tier pair.
        weight = np.where(type_err, k * k, np.where(boundary, k, 1))
        matched = _assign(weight, pairs.overlap)
        for i, j in matched:
            if type_err[i, j]:
                kind = ErrorKind.TYPE
            elif boundary[i, j]:
                kind = ErrorKind.BOUNDARY
            else:
                kind = ErrorKind.BOUNDARY_TYPE
            errors.append(NerError(kind, rest_gold[i], rest_pred[j]))
    paired_gold = {i for i, _ in matched}
    paired_pred = {j for _, j in matched}
    errors += [NerError(ErrorKind.MISSED, s, None) for i, s in enumerate(rest_gold) if i not in paired_gold]
    errors += [NerError(ErrorKind.SPURIOUS, None, s) for j, s in enumerate(rest_pred) if j not in paired_pred]
    return SpanAlignment(tuple(correct), tuple(sorted(errors, key=_error_key)))
