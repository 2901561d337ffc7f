"""Casualty-figure scoring: placed figures in, typed metric rows out (GUIDELINES.md 2.6).

The alignment (`alignment.py`) gives one row per aligned pair, missed gold figure,
spurious and unplaced prediction; every number here is counted from those rows.
Headline `f1`: summed credit over predicted and gold figures. The victim category is
not part of that credit: two careful coders often read it differently. It is scored
apart: `victim_accuracy` accepts any category the gold lists as defensible,
`victim_exact_accuracy` only the gold's own category, `strict_f1` demands the gold's
own category with everything else, and a confusion table shows the rest.
Unaligned predictions and unplaced (ungrounded, surplus) ones are false positives;
unaligned gold figures are false negatives.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any, Mapping

from bench.documents.corpus import Corpus, Document
from bench.tasks.alignment import DocumentAlignment
from bench.tasks.casualties.alignment import FigureRow, RecordStatus, align_rows
from bench.tasks.casualties.types import Figure, NonCasualty, Outcome
from bench.tasks.grounding import Unplaced
from bench.tasks.score import Counts, MetricRow, TaskScore, UnitCounts, ratio, sentence_units

SCORER_VERSION = "1.1.0"
TASK = "casualties"
UNIT_METRICS = (None, "strict_f1", "detection_f1")  # per-sentence counts: the headline (None) and two sub-metrics


@dataclass(frozen=True)
class DocumentInput:
    """One document's gold figures, predicted figures with offsets, and unplaced ones."""

    gold: tuple[Figure, ...]
    pred: tuple[Figure, ...]
    unplaced: tuple[tuple[Figure, Unplaced], ...] = ()
    negatives: tuple[NonCasualty, ...] = ()

    def rows(self) -> tuple[FigureRow, ...]:
        return align_rows(self.gold, self.pred, self.unplaced, self.negatives)


def _figure_json(f: Figure | None) -> dict[str, Any] | None:
    if f is None:
        return None
    out = f.to_json()
    if f.id:
        out = {"id": f.id, **out}
    return out


def _accuracy(metric: str, hits: int, aligned: int) -> MetricRow:
    return MetricRow(task=TASK, metric=metric, value=ratio(hits, aligned), support=aligned, tp=hits, fn=aligned - hits)


def _error(doc_id: str, row: FigureRow) -> dict[str, Any] | None:
    """The row as the results' error list has it (None for a perfect pair)."""
    if row.paired:
        if row.credit == 1 and row.victim_ok:
            return None
        kind = "victim_mismatch" if row.credit == 1 else row.status.value
        return {"doc_id": doc_id, "kind": kind, "credit": row.credit, "mismatch": list(row.mismatch), "gold": _figure_json(row.gold), "pred": _figure_json(row.pred)}
    error = {"doc_id": doc_id, "kind": row.status.value, "gold": _figure_json(row.gold), "pred": _figure_json(row.pred)}
    if row.non_casualty is not None:
        nc = row.non_casualty
        error["non_casualty"] = {"id": nc.id, "text": nc.text, "kind": nc.kind.value}
    return error


def score(corpus: Corpus, inputs: Mapping[str, DocumentInput], keep_rows: bool = False) -> TaskScore:
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
    alignments: dict[str, DocumentAlignment] = {}
    for doc_id, item in inputs.items():
        document: Document = corpus[doc_id]
        rows = item.rows()
        if keep_rows:
            alignments[doc_id] = DocumentAlignment(doc_id, rows)
        pairs = [r for r in rows if r.paired]
        n_p, n_g = len(item.pred) + len(item.unplaced), len(item.gold)
        got = sum(r.credit for r in pairs)
        full = sum(1 for r in pairs if r.strict)
        total += Counts(got, n_p - got, n_g - got)
        strict += Counts(full, n_p - full, n_g - full)
        detect += Counts(len(pairs), n_p - len(pairs), n_g - len(pairs))
        aligned += len(pairs)
        value_hits += sum(r.value_ok for r in pairs)
        victim_hits += sum(r.victim_ok for r in pairs)
        victim_exact += sum(r.victim_exact for r in pairs)
        victims.update((r.gold.victim_category.value, r.pred.victim_category.value) for r in pairs)
        unit_hits += sum(r.unit_ok for r in pairs)
        gold_by_outcome.update(g.outcome for g in item.gold)
        pred_by_outcome.update([p.outcome for p in item.pred] + [f.outcome for f, _ in item.unplaced])
        # Per-sentence counts for the bootstrap, per metric (None: the headline, credit);
        # they add up to the totals. Missed and spurious figures count alike in all three.
        per_sentence: dict[tuple[str | None, int], Counts] = {}

        def add(offset: int | None, credit: Counts, full: Counts | None = None, detected: Counts | None = None) -> None:
            key = -1 if offset is None else document.sentence_at(offset).index
            for metric, counts in ((None, credit), ("strict_f1", full or credit), ("detection_f1", detected or credit)):
                per_sentence[metric, key] = per_sentence.get((metric, key), Counts()) + counts

        for row in rows:
            if row.paired:
                whole = float(row.strict)
                by_outcome[row.gold.outcome] += Counts(row.credit, 1 - row.credit, 1 - row.credit)
                add(row.gold.quantity.span.start, Counts(row.credit, 1 - row.credit, 1 - row.credit), Counts(whole, 1 - whole, 1 - whole), Counts(1, 0, 0))
            elif row.pred is None:
                by_outcome[row.gold.outcome] += Counts(0, 0, 1)
                add(row.gold.quantity.span.start, Counts(0, 0, 1))
            else:
                by_outcome[row.pred.outcome] += Counts(0, 1, 0)
                placed = row.status not in (RecordStatus.UNGROUNDED, RecordStatus.SURPLUS)
                add(row.pred.quantity.span.start if placed else None, Counts(0, 1, 0))
                on_negatives += row.status is RecordStatus.SPURIOUS_ON_NEGATIVE
                if not placed:
                    unplaced_counts[Unplaced(row.status.value)] += 1
            error = _error(doc_id, row)
            if error is not None:
                errors.append(error)
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
    return TaskScore(TASK, tuple(rows), tuple(units), tuple(errors), alignments)
