"""NER scoring schemes by optimal one-to-one matching of gold and predicted spans.

This sits between the span types (`types.py`) and the NER scorer. Given one
document's gold spans and its predicted spans (already label-mapped and grounded),
`match_scheme` counts correct, incorrect, partial, missed and spurious spans under
the four schemes of SemEval-2013 Task 9.1 as nervaluate names them,
`classify_errors` says what went wrong with each span that is not an exact match, and
`align_spans` adds the exact matches to that list (the HTML report shows every span).

nervaluate matches greedily in list order, so its counts can change when the same
predictions come in another order (its issue #40). Here the pairs come from an
optimal assignment that maximises the total credit and then the number of matched
pairs. Only overlapping spans are ever paired, so it is solved one overlap group at a
time (`bench.tasks.assignment`): linear in the spans when they are spread out. The
counts do not depend on the order of the inputs.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from collections import Counter
from operator import attrgetter

from bench.tasks.assignment import Interval, Ties, assign, assign_many, overlap_groups
from bench.tasks.score import f1_from, precision_recall
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


# A span as the tuple (start, end, label): its own order, but faster to sort and hash.
_order = attrgetter("start", "end", "label")


def _intervals(spans: Sequence[Span]) -> list[tuple[Interval]]:
    return [((s.start, s.end),) for s in spans]


def key(span: Span) -> str:
    """A span's tie-break key (see `bench.tasks.assignment`)."""
    return f"{span.start}:{span.end}:{span.label}"


def closeness(g: Span, p: Span) -> float:
    """Characters shared over characters covered: 1 for the same span, 0 for no overlap."""
    shared = min(g.end, p.end) - max(g.start, p.start)
    return max(shared, 0) / (max(g.end, p.end) - min(g.start, p.start))


def _ties(gold: Sequence[Span], pred: Sequence[Span]) -> Ties:
    """Among equally good pairings, the closer spans pair first."""
    return Ties([key(s) for s in gold], [key(s) for s in pred], closeness=lambda i, j: closeness(gold[i], pred[j]))


_NO_TIES = Ties((), ())  # for documents where every group is one pair


# Credit of an overlapping pair in half units (2 full, 1 half, 0 none), by scheme, indexed
# by the pair's code: 2 * (same span) + (same label).
_CREDIT = {
    Scheme.STRICT: (0, 0, 0, 2),
    Scheme.EXACT: (0, 0, 2, 2),
    Scheme.PARTIAL: (1, 1, 2, 2),
    Scheme.TYPE: (0, 2, 0, 2),
}


def _code(g: Span, p: Span) -> int:
    """2 * (same span) + (same label); -1 when the spans do not overlap."""
    if not (g.start < p.end and p.start < g.end):
        return -1
    return 2 * (g.start == p.start and g.end == p.end) + (g.label == p.label)


def _half_credit(g: Span, p: Span, scheme: Scheme) -> int:
    """Credit of an overlapping pair in half units: 2 full, 1 half, 0 none."""
    return _CREDIT[scheme][_code(g, p)]


def _scheme_counts(gold: Sequence[Span], pred: Sequence[Span], matched: Sequence[tuple[int, int]], scheme: Scheme, codes: dict) -> SchemeCounts:
    credit = _CREDIT[scheme]
    credits = Counter(credit[codes[pair]] if pair in codes else credit[_code(gold[pair[0]], pred[pair[1]])] for pair in matched)
    return SchemeCounts(
        correct=credits[2],
        incorrect=credits[0],
        partial=credits[1],
        missed=len(gold) - len(matched),
        spurious=len(pred) - len(matched),
    )


def match_scheme(gold: Sequence[Span], pred: Sequence[Span], scheme: Scheme) -> SchemeCounts:
    """Counts for one document under `scheme`, from an optimal one-to-one matching.

    A matched pair (always overlapping) is correct with full credit, partial with half
    credit and incorrect with none. Unmatched gold is missed, unmatched prediction
    spurious; identical predictions are separate predictions.
    """
    return match_schemes(gold, pred, (Scheme(scheme),))[Scheme(scheme)]


def match_schemes(gold: Sequence[Span], pred: Sequence[Span], schemes: Sequence[Scheme] = tuple(Scheme)) -> dict[Scheme, SchemeCounts]:
    """`match_scheme` for several schemes at once: the overlap groups are found once."""
    gold, pred = sorted(gold, key=_order), sorted(pred, key=_order)
    schemes = [Scheme(s) for s in schemes]
    groups = overlap_groups(_intervals(gold), _intervals(pred))
    ties = _ties(gold, pred) if any(len(r) > 1 or len(c) > 1 for r, c in groups) else _NO_TIES

    credits = [_CREDIT[s] for s in schemes]
    single = {c: [[[credit[c] * 2 + 1 if c >= 0 else 0]] for credit in credits] for c in range(-1, 4)}  # a 1 x 1 group

    def weights(rows: list[int], cols: list[int]) -> list[list[list[int]]]:
        if len(rows) == 1 and len(cols) == 1:
            return single[_code(gold[rows[0]], pred[cols[0]])]
        # Lexicographic objective in one weight: credit first, then number of matched pairs
        # (at most min(n, m) < k, so one more half credit beats any number of extra pairs).
        k = min(len(rows), len(cols)) + 1
        codes = [[_code(gold[i], pred[j]) for j in cols] for i in rows]
        return [[[credit[c] * k + 1 if c >= 0 else 0 for c in line] for line in codes] for credit in credits]

    matched = assign_many(groups, weights, ties, len(schemes))
    codes: dict[tuple[int, int], int] = {}
    for pairs in matched[:1]:
        codes = {(i, j): _code(gold[i], pred[j]) for i, j in pairs}
    return {scheme: _scheme_counts(gold, pred, pairs, scheme, codes) for scheme, pairs in zip(schemes, matched)}


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


def _pair_kind(g: Span, p: Span) -> ErrorKind:
    """The error class of an overlapping pair that is not a strict match."""
    if g.start == p.start and g.end == p.end:
        return ErrorKind.TYPE
    return ErrorKind.BOUNDARY if g.label == p.label else ErrorKind.BOUNDARY_TYPE


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
    gold, pred = sorted(gold, key=_order), sorted(pred, key=_order)
    # Strict matches: multiset intersection of the two sorted lists.
    unmatched = Counter(map(_order, gold))
    correct: list[Span] = []
    rest_pred: list[Span] = []
    for span in pred:
        if unmatched[_order(span)]:
            unmatched[_order(span)] -= 1
            correct.append(span)
        else:
            rest_pred.append(span)
    rest_gold: list[Span] = []
    for span in gold:  # keep the sorted order and the leftover multiplicity
        if unmatched[_order(span)]:
            unmatched[_order(span)] -= 1
            rest_gold.append(span)

    errors: list[NerError] = []
    matched: list[tuple[int, int]] = []
    if rest_gold and rest_pred:

        def weight(rows: list[int], cols: list[int]) -> list[list[int]]:
            # Tier weights k**2 > k > 1: one pair of a higher tier beats every lower-tier pair.
            k = min(len(rows), len(cols)) + 1
            tier = {ErrorKind.TYPE: k * k, ErrorKind.BOUNDARY: k, ErrorKind.BOUNDARY_TYPE: 1}
            return [[tier[_pair_kind(rest_gold[i], rest_pred[j])] if rest_gold[i].overlaps(rest_pred[j]) else 0 for j in cols] for i in rows]

        matched = assign(_intervals(rest_gold), _intervals(rest_pred), weight, _ties(rest_gold, rest_pred))
        errors += [NerError(_pair_kind(rest_gold[i], rest_pred[j]), rest_gold[i], rest_pred[j]) for i, j in matched]
    paired_gold = {i for i, _ in matched}
    paired_pred = {j for _, j in matched}
    errors += [NerError(ErrorKind.MISSED, s, None) for i, s in enumerate(rest_gold) if i not in paired_gold]
    errors += [NerError(ErrorKind.SPURIOUS, None, s) for j, s in enumerate(rest_pred) if j not in paired_pred]
    return SpanAlignment(tuple(correct), tuple(sorted(errors, key=_error_key)))


def align_and_match(gold: Sequence[Span], pred: Sequence[Span], schemes: Sequence[Scheme] = tuple(Scheme)) -> tuple[SpanAlignment, dict[Scheme, SchemeCounts]]:
    """`align_spans` and `match_schemes` of one document at once, with the same results.

    Both pair only overlapping spans, so both are solved per overlap group of all the
    spans: no pair crosses a group, the strict matches (identical spans) lie inside one,
    and ties are broken by the spans' values, never by how they were grouped. A sweep
    over the merged sorted spans finds the groups; most hold one gold and one predicted
    span, or spans of one side only, and are settled here; the rest go to `align_spans`
    and `match_schemes`. The strict matches come in sorted order and the errors are
    sorted as `align_spans` sorts them, so the rows built from them are the same."""
    gold, pred = sorted(gold, key=_order), sorted(pred, key=_order)
    schemes = [Scheme(s) for s in schemes]
    tally = [[0, 0, 0] for _ in schemes]  # per scheme: pairs of credit 0, 1, 2 (incorrect, partial, correct)
    codes = [0, 0, 0, 0]  # one-to-one groups by their pair's code
    correct: list[Span] = []
    errors: list[NerError] = []
    gold_start, gold_end = [s.start for s in gold], [s.end for s in gold]
    pred_start, pred_end = [s.start for s in pred], [s.end for s in pred]
    n_gold, n_pred = len(gold), len(pred)
    i = j = 0
    while i < n_gold or j < n_pred:
        first_gold, first_pred, reach = i, j, -1
        while True:  # one group: spans in (start, end, gold first) order until one starts at or after the furthest end
            if i < n_gold and (j >= n_pred or gold_start[i] < pred_start[j] or (gold_start[i] == pred_start[j] and gold_end[i] <= pred_end[j])):
                if reach >= 0 and gold_start[i] >= reach:
                    break
                if gold_end[i] > reach:
                    reach = gold_end[i]
                i += 1
            elif j < n_pred:
                if reach >= 0 and pred_start[j] >= reach:
                    break
                if pred_end[j] > reach:
                    reach = pred_end[j]
                j += 1
            else:
                break
        g, p = i - first_gold, j - first_pred
        if g == 0:
            errors += [NerError(ErrorKind.SPURIOUS, None, s) for s in pred[first_pred:j]]
        elif p == 0:
            errors += [NerError(ErrorKind.MISSED, s, None) for s in gold[first_gold:i]]
        elif g == 1 and p == 1 and (code := _code(gold[first_gold], pred[first_pred])) >= 0:
            codes[code] += 1
            if code == 3:
                correct.append(pred[first_pred])
            else:
                errors.append(NerError(_pair_kind(gold[first_gold], pred[first_pred]), gold[first_gold], pred[first_pred]))
        else:
            group_gold, group_pred = gold[first_gold:i], pred[first_pred:j]
            alignment = align_spans(group_gold, group_pred)
            correct += alignment.correct
            errors += alignment.errors
            for counts, c in zip(tally, match_schemes(group_gold, group_pred, schemes).values()):
                counts[0] += c.incorrect
                counts[1] += c.partial
                counts[2] += c.correct
    for counts, scheme in zip(tally, schemes):
        for code, n in enumerate(codes):
            counts[_CREDIT[scheme][code]] += n
    return SpanAlignment(tuple(correct), tuple(sorted(errors, key=_error_key))), _totals(schemes, tally, n_gold, n_pred)


def _totals(schemes: Sequence[Scheme], tally: list[list[int]], n_gold: int, n_pred: int) -> dict[Scheme, SchemeCounts]:
    """Each scheme's counts: its pairs by credit, the unpaired spans missed or spurious."""
    out = {}
    for scheme, (incorrect, partial, correct) in zip(schemes, tally):
        pairs = incorrect + partial + correct
        out[scheme] = SchemeCounts(correct=correct, incorrect=incorrect, partial=partial, missed=n_gold - pairs, spurious=n_pred - pairs)
    return out
