"""The dense matchers the scorers used before sparse matching, kept as the reference.

One |gold| x |predicted| matrix per document, solved whole by scipy's Hungarian solver:
quadratic in memory, cubic in time, and the plainest statement of what the sparse
solver (`bench.tasks.assignment`) must reproduce. Only the tests use it. The one thing
added since: the same tie-break term (`Ties.value`) below every real difference, so that
among equally good pairings both pick the same one.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import numpy as np
from scipy.optimize import linear_sum_assignment

from bench.tasks.assignment import Ties, tie_scale
from bench.tasks.attribution import alignment as attribution
from bench.tasks.casualties import alignment as casualties
from bench.tasks.ner.matching import ErrorKind, NerError, Scheme, SchemeCounts, SpanAlignment, _error_key
from bench.tasks.ner.matching import closeness as ner_closeness
from bench.tasks.ner.matching import key as ner_key
from bench.tasks.ner.types import Span


class _Pairs:
    def __init__(self, gold: Sequence[Span], pred: Sequence[Span]) -> None:
        gs, ge = (np.array([s.start for s in gold]), np.array([s.end for s in gold]))
        ps, pe = (np.array([s.start for s in pred]), np.array([s.end for s in pred]))
        gl = np.array([s.label for s in gold], dtype=object)
        pl = np.array([s.label for s in pred], dtype=object)
        self.overlap = (gs[:, None] < pe[None, :]) & (ps[None, :] < ge[:, None])
        self.same_span = (gs[:, None] == ps[None, :]) & (ge[:, None] == pe[None, :])
        self.same_label = gl[:, None] == pl[None, :]


def _ties(gold, pred, key=ner_key, resolution=1.0, closeness=ner_closeness, where=None) -> np.ndarray:
    """The tie breaks of the pairs `where` allows (default: all), times the same scale as
    the sparse solver uses; 0 elsewhere."""
    scale = tie_scale(resolution, len(gold), len(pred))
    near = None if closeness is None else (lambda i, j: closeness(gold[i], pred[j]))
    ties = Ties([key(g) for g in gold], [key(p) for p in pred], resolution, near)
    out = np.zeros((len(gold), len(pred)))
    where = np.ones_like(out, dtype=bool) if where is None else where
    for i, j in zip(*np.nonzero(where)):
        out[i, j] = ties.value(int(i), int(j)) * scale
    return out


def _assign(weight: np.ndarray, allowed: np.ndarray) -> list[tuple[int, int]]:
    if weight.size == 0:
        return []
    rows, cols = linear_sum_assignment(np.where(allowed, weight, 0), maximize=True)
    return [(int(i), int(j)) for i, j in zip(rows, cols) if allowed[i, j]]


def _half_credits(pairs: _Pairs, scheme: Scheme) -> np.ndarray:
    if scheme is Scheme.STRICT:
        full, half = pairs.same_span & pairs.same_label, None
    elif scheme is Scheme.EXACT:
        full, half = pairs.same_span, None
    elif scheme is Scheme.PARTIAL:
        full, half = pairs.same_span, ~pairs.same_span
    else:
        full, half = pairs.same_label, None
    credit = 2 * full.astype(np.int64)
    if half is not None:
        credit += half.astype(np.int64)
    return np.where(pairs.overlap, credit, 0)


def match_scheme(gold: Sequence[Span], pred: Sequence[Span], scheme: Scheme) -> SchemeCounts:
    gold, pred = sorted(gold), sorted(pred)
    if not gold or not pred:
        return SchemeCounts(missed=len(gold), spurious=len(pred))
    pairs = _Pairs(gold, pred)
    halves = _half_credits(pairs, scheme)
    k = min(len(gold), len(pred)) + 1
    matched = _assign(halves * k + 1 + _ties(gold, pred, where=pairs.overlap), pairs.overlap)
    credits = np.array([halves[i, j] for i, j in matched], dtype=np.int64)
    return SchemeCounts(
        correct=int((credits == 2).sum()),
        incorrect=int((credits == 0).sum()),
        partial=int((credits == 1).sum()),
        missed=len(gold) - len(matched),
        spurious=len(pred) - len(matched),
    )


def align_spans(gold: Sequence[Span], pred: Sequence[Span]) -> SpanAlignment:
    gold, pred = sorted(gold), sorted(pred)
    unmatched: dict[Span, int] = {}
    for span in gold:
        unmatched[span] = unmatched.get(span, 0) + 1
    correct, rest_pred, rest_gold = [], [], []
    for span in pred:
        if unmatched.get(span, 0):
            unmatched[span] -= 1
            correct.append(span)
        else:
            rest_pred.append(span)
    for span in gold:
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
        weight = np.where(type_err, k * k, np.where(boundary, k, 1)) + _ties(rest_gold, rest_pred, where=pairs.overlap)
        matched = _assign(weight, pairs.overlap)
        for i, j in matched:
            kind = ErrorKind.TYPE if type_err[i, j] else ErrorKind.BOUNDARY if boundary[i, j] else ErrorKind.BOUNDARY_TYPE
            errors.append(NerError(kind, rest_gold[i], rest_pred[j]))
    paired_gold = {i for i, _ in matched}
    paired_pred = {j for _, j in matched}
    errors += [NerError(ErrorKind.MISSED, s, None) for i, s in enumerate(rest_gold) if i not in paired_gold]
    errors += [NerError(ErrorKind.SPURIOUS, None, s) for j, s in enumerate(rest_pred) if j not in paired_pred]
    return SpanAlignment(tuple(correct), tuple(sorted(errors, key=_error_key)))


def align_figures(gold, pred):
    pred = sorted(pred, key=casualties.canonical_key)
    if not gold or not pred:
        return [], list(gold), list(pred)
    scale = 2 * (min(len(gold), len(pred)) + 1)
    ties = _ties(gold, pred, key=lambda f: repr(casualties.canonical_key(f)), closeness=casualties._closeness)
    weight = np.zeros((len(gold), len(pred)))
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if casualties.eligible(g, p):
                weight[i, j] = 2 * casualties.credit(g, p) * scale + 1 + ties[i, j]
    rows, cols = linear_sum_assignment(weight, maximize=True)
    chosen = [(i, j) for i, j in zip(rows, cols) if weight[i, j] > 0]
    pairs = [casualties.Pair(gold[i], pred[j], casualties.credit(gold[i], pred[j])) for i, j in chosen]
    used_g, used_p = {i for i, _ in chosen}, {j for _, j in chosen}
    return pairs, [g for i, g in enumerate(gold) if i not in used_g], [p for j, p in enumerate(pred) if j not in used_p]


def words(document, relation) -> frozenset[tuple[int, int]]:
    out = set()
    for span in relation.content:
        for t in document.tokens:
            if t.start >= span.start and t.end <= span.end and attribution._WORD.search(t.text):
                out.add((t.start, t.end))
    return frozenset(out)


def align_relations(document, gold, pred, entity_names: Mapping[str, frozenset[str]] | None = None):
    pred = sorted(pred, key=attribution.canonical_key)
    if not gold or not pred:
        return [], list(gold), list(pred)
    gw = [words(document, r) for r in gold]
    pw = [words(document, r) for r in pred]
    ties = _ties(gold, pred, key=lambda r: repr(attribution.canonical_key(r)), resolution=1e-8, closeness=None)
    weight = np.zeros((len(gold), len(pred)))
    for i in range(len(gold)):
        for j in range(len(pred)):
            f = attribution.content_f1(gw[i], pw[j])
            if f >= attribution.MIN_CONTENT_F1:
                g, p = gold[i], pred[j]
                right = entity_names is not None and attribution.source_right(g, p, entity_names)
                same_cue = (g.cue.start, g.cue.end) == (p.cue.start, p.cue.end)
                weight[i, j] = f + 1e-6 * right + 1e-7 * same_cue + ties[i, j]
    rows, cols = linear_sum_assignment(weight, maximize=True)
    chosen = [(i, j) for i, j in zip(rows, cols) if weight[i, j] > 0]
    pairs = [attribution.Pair(gold[i], pred[j], len(gw[i] & pw[j]), len(gw[i]), len(pw[j])) for i, j in chosen]
    used_g, used_p = {i for i, _ in chosen}, {j for _, j in chosen}
    return pairs, [g for i, g in enumerate(gold) if i not in used_g], [p for j, p in enumerate(pred) if j not in used_p]
