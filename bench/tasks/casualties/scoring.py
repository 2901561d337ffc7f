"""Casualty-figure scoring: placed figures in, typed metric rows out (GUIDELINES.md 2.6).

Alignment, per document: a one-to-one assignment (scipy's Hungarian solver, per group
of overlapping figures: `bench.tasks.assignment`) between gold and predicted figures
that may pair only when their outcomes match and their quantity spans overlap. It
maximises total credit first and the number of pairs second.
Predictions are sorted into a canonical order first, so input order never matters.

Credit per aligned pair (scorer 1.1.0): 1 when kind, low, high, outcome and unit match
(the figure itself; spans overlap by alignment); 0.5 when not, but the intervals overlap
or the predicted point lies in the gold interval; else 0. The victim category is not
part of that credit: two careful coders often read it differently. It is scored apart:
`victim_accuracy` accepts any category the gold lists as defensible,
`victim_exact_accuracy` only the gold's own category, `strict_f1` demands
the gold's own category with everything else, and a confusion table shows the rest.
Unaligned predictions and unplaced (ungrounded, surplus) ones are false positives;
unaligned gold figures are false negatives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, Document
from bench.tasks.assignment import Ties, assign
from bench.tasks.casualties.types import Figure, NonCasualty, Outcome
from bench.tasks.score import Counts, MetricRow, TaskScore, UnitCounts, ratio, sentence_units
from bench.tasks.ner.grounding import Unplaced

SCORER_VERSION = "1.1.0"
TASK = "casualties"
HALF = 0.5
UNIT_METRICS = (None, "strict_f1", "detection_f1")  # per-sentence counts: the headline (None) and two sub-metrics


@dataclass(frozen=True)
class DocumentInput:
    """One document's gold figures, predicted figures with offsets, and unplaced ones."""

    gold: tuple[Figure, ...]
    pred: tuple[Figure, ...]
    unplaced: tuple[tuple[Figure, Unplaced], ...] = ()
    negatives: tuple[NonCasualty, ...] = ()


@dataclass(frozen=True)
class Pair:
    gold: Figure
    pred: Figure
    credit: float

    @property
    def value_ok(self) -> bool:
        g, p = self.gold.quantity.bounds, self.pred.quantity.bounds
        return (g.kind, g.low, g.high) == (p.kind, p.low, p.high)

    @property
    def victim_ok(self) -> bool:
        """The predicted category is one the gold accepts (its category or a defensible alternative)."""
        return self.pred.victim_category in self.gold.accepted_victims

    @property
    def strict(self) -> bool:
        """Everything matches, the gold's own victim category included (`strict_f1`)."""
        return self.credit == 1.0 and self.gold.victim_category is self.pred.victim_category

    @property
    def unit_ok(self) -> bool:
        return self.gold.unit is self.pred.unit

    def mismatches(self) -> list[str]:
        out = [] if self.value_ok else ["value"]
        out += [name for name, ok in (("unit", self.unit_ok), ("victim", self.victim_ok)) if not ok]
        if self.victim_ok and self.gold.victim_category is not self.pred.victim_category:
            out.append("victim (a defensible alternative)")
        return out


def _overlap(a: Figure, b: Figure) -> bool:
    x, y = a.quantity.span, b.quantity.span
    return x.start < y.end and y.start < x.end


def eligible(gold: Figure, pred: Figure) -> bool:
    return gold.outcome is pred.outcome and _overlap(gold, pred)


def credit(gold: Figure, pred: Figure) -> float:
    """The credit rule, for a pair that may align: the figure itself, not its victims."""
    g, p = gold.quantity.bounds, pred.quantity.bounds
    full = (g.kind, g.low, g.high) == (p.kind, p.low, p.high) and gold.outcome is pred.outcome and gold.unit is pred.unit
    if full:
        return 1.0
    if g.overlaps(p) or (p.point is not None and g.contains(p.point)):
        return HALF
    return 0.0


def canonical_key(f: Figure) -> tuple:
    q, b = f.quantity, f.quantity.bounds
    return (q.span.start, q.span.end, f.outcome.value, b.kind.value, b.low, -1 if b.high is None else b.high, -1 if b.point is None else b.point,
            f.unit.value, f.victim_category.value, q.qualifier or "", q.vague_term or "", q.span.text or "")


def _interval(f: Figure) -> tuple[tuple[int, int]]:
    return ((f.quantity.span.start, f.quantity.span.end),)


def _closeness(a: Figure, b: Figure) -> float:
    """Characters shared over characters covered by the two quantity spans."""
    x, y = a.quantity.span, b.quantity.span
    return max(min(x.end, y.end) - max(x.start, y.start), 0) / max(max(x.end, y.end) - min(x.start, y.start), 1)


def align(gold: Sequence[Figure], pred: Sequence[Figure]) -> tuple[list[Pair], list[Figure], list[Figure]]:
    """(pairs, unaligned gold, unaligned predictions); `pred` is sorted canonically first."""
    pred = sorted(pred, key=canonical_key)
    if not gold or not pred:
        return [], list(gold), list(pred)

    def weight(rows: list[int], cols: list[int]) -> list[list[float]]:
        # Credit in half units dominates: one half more outweighs any number of extra pairs.
        scale = 2 * (min(len(rows), len(cols)) + 1)
        return [[2 * credit(gold[i], pred[j]) * scale + 1 if eligible(gold[i], pred[j]) else 0 for j in cols] for i in rows]

    ties = Ties([repr(canonical_key(f)) for f in gold], [repr(canonical_key(f)) for f in pred], closeness=lambda i, j: _closeness(gold[i], pred[j]))
    chosen = assign([_interval(g) for g in gold], [_interval(p) for p in pred], weight, ties)
    pairs = [Pair(gold[i], pred[j], credit(gold[i], pred[j])) for i, j in chosen]
    used_g, used_p = {i for i, _ in chosen}, {j for _, j in chosen}
    return pairs, [g for i, g in enumerate(gold) if i not in used_g], [p for j, p in enumerate(pred) if j not in used_p]


def _figure_json(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    out = f.to_json()
    if f.id:
        out = {"id": f.id, **out}
    return out


def _accuracy(metric: str, hits: int, aligned: int) -> MetricRow:
    return MetricRow(task=TASK, metric=metric, value=ratio(hits, aligned), support=aligned, tp=hits, fn=aligned - hits)


def on_negative(f: Figure, negatives: Sequence[NonCasualty]) -> NonCasualty | None:
    """The annotated non-casualty number a predicted figure overlaps, if any."""
    s = f.quantity.span
    return next((n for n in negatives if n.start < s.end and s.start < n.end), None)


def score(corpus: Corpus, inputs: Mapping[str, DocumentInput]) -> TaskScore:
    total = strict = detect = Counts()
    by_outcome = {o: Counts() for o in Outcome}
    gold_by_outcome: Counter = Counter()
    pred_by_outcome: Counter = Counter()
    aligned = value_hits = victim_hits = victim_exact = unit_hits = 0
    victims: Counter = Counter()  # (gold category, predicted category) over aligned pairs
    on_negatives = 0
    unplaced_counts: Counter = Counter()
    units: list[UnitCounts] = []
    errors: list[dict[str, Any]] = []
    n_gold = n_pred = 0
    for doc_id, item in inputs.items():
        document: Document = corpus[doc_id]
        pairs, missed, spurious = align(item.gold, item.pred)
        extra = len(item.unplaced)
        n_gold += len(item.gold)
        n_pred += len(item.pred) + extra
        got = sum(p.credit for p in pairs)
        full = sum(1 for p in pairs if p.strict)
        n_p, n_g = len(item.pred) + extra, len(item.gold)
        total += Counts(got, n_p - got, n_g - got)
        strict += Counts(full, n_p - full, n_g - full)
        detect += Counts(len(pairs), n_p - len(pairs), n_g - len(pairs))
        aligned += len(pairs)
        value_hits += sum(p.value_ok for p in pairs)
        victim_hits += sum(p.victim_ok for p in pairs)
        victim_exact += sum(p.gold.victim_category is p.pred.victim_category for p in pairs)
        victims.update((p.gold.victim_category.value, p.pred.victim_category.value) for p in pairs)
        unit_hits += sum(p.unit_ok for p in pairs)
        gold_by_outcome.update(g.outcome for g in item.gold)
        pred_by_outcome.update([p.outcome for p in item.pred] + [f.outcome for f, _ in item.unplaced])
        for p in pairs:
            by_outcome[p.gold.outcome] += Counts(p.credit, 1 - p.credit, 1 - p.credit)
        for g in missed:
            by_outcome[g.outcome] += Counts(0, 0, 1)
        for f in spurious + [f for f, _ in item.unplaced]:
            by_outcome[f.outcome] += Counts(0, 1, 0)
        # Per-sentence counts for the bootstrap, per metric (None: the headline, credit);
        # they add up to the totals. Missed and spurious figures count alike in all three.
        per_sentence: dict[tuple[str | None, int], Counts] = {}

        def add(offset: int | None, credit: Counts, full: Counts | None = None, detected: Counts | None = None) -> None:
            key = -1 if offset is None else document.sentence_at(offset).index
            for metric, counts in ((None, credit), ("strict_f1", full or credit), ("detection_f1", detected or credit)):
                per_sentence[metric, key] = per_sentence.get((metric, key), Counts()) + counts

        for p in pairs:
            whole = float(p.strict)
            add(p.gold.quantity.span.start, Counts(p.credit, 1 - p.credit, 1 - p.credit), Counts(whole, 1 - whole, 1 - whole), Counts(1, 0, 0))
            if p.credit < 1 or not p.victim_ok:
                kind = "victim_mismatch" if p.credit == 1 else "partial_credit" if p.credit > 0 else "no_credit"
                errors.append({"doc_id": doc_id, "kind": kind, "credit": p.credit, "mismatch": p.mismatches(), "gold": _figure_json(p.gold), "pred": _figure_json(p.pred)})
        for g in missed:
            add(g.quantity.span.start, Counts(0, 0, 1))
            errors.append({"doc_id": doc_id, "kind": "missed", "gold": _figure_json(g), "pred": None})
        for f in spurious:
            add(f.quantity.span.start, Counts(0, 1, 0))
            negative = on_negative(f, item.negatives)
            error = {"doc_id": doc_id, "kind": "spurious", "gold": None, "pred": _figure_json(f)}
            if negative is not None:
                on_negatives += 1
                error |= {"kind": "spurious_on_negative", "non_casualty": {"id": negative.id, "text": negative.text, "kind": negative.kind.value}}
            errors.append(error)
        for f, why in item.unplaced:
            add(None, Counts(0, 1, 0))
            unplaced_counts[why] += 1
            errors.append({"doc_id": doc_id, "kind": why.value, "gold": None, "pred": _figure_json(f)})
        units += sentence_units(TASK, doc_id, document.sentences, per_sentence, UNIT_METRICS)
    rows = total.rows(TASK, "f1")
    rows += strict.rows(TASK, "strict_f1")
    rows += detect.rows(TASK, "detection_f1")
    rows.append(_accuracy("value_accuracy", value_hits, aligned))
    rows.append(_accuracy("victim_accuracy", victim_hits, aligned))
    rows.append(_accuracy("victim_exact_accuracy", victim_exact, aligned))  # the gold's own category only
    rows.append(_accuracy("unit_accuracy", unit_hits, aligned))
    for (g, p), n in sorted(victims.items()):
        rows.append(MetricRow(task=TASK, metric="victim_confusion", value=float(n), label=f"{g}->{p}"))
    rows.append(MetricRow(task=TASK, metric="spurious_on_negatives", value=float(on_negatives)))
    for why in Unplaced:
        rows.append(MetricRow(task=TASK, metric=why.value, value=float(unplaced_counts[why])))
    for outcome in Outcome:
        if gold_by_outcome[outcome] or pred_by_outcome[outcome]:
            rows += by_outcome[outcome].rows(TASK, "f1", label=outcome.value)
    return TaskScore(TASK, tuple(rows), tuple(units), tuple(errors))
