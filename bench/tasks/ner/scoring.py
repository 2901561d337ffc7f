"""NER scoring: spans in, typed metric rows out.

For each label view (the gold's labels, and the CoNLL-2003 projection):
- `strict`: exact span and label, micro P/R/F1 from tp/fp/fn. Headline: `strict_f1`.
  It equals seqeval's strict IOB2 score on the BIO view (tested).
- `exact`, `partial`, `type`: the SemEval-2013 schemes as nervaluate documents them,
  with an optimal one-to-one matching (see `matching.py`), summed over documents with
  partial credit kept.
- per label: strict P/R/F1 with gold `support` and `predicted` count side by side.
- errors: missed, spurious, boundary, type, boundary_and_type.
- per-sentence strict counts (`units`) for the bootstrap.

Predictions arrive already label-mapped into `space`; text-only ones were grounded,
and those left without a span count as false positives (`ungrounded`, `surplus`).
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from typing import Mapping, Sequence

from bench.documents.corpus import Corpus
from bench.tasks.alignment import DocumentAlignment
from bench.tasks.score import Counts, MetricRow, TaskScore, UnitCounts
from bench.tasks.grounding import Unplaced
from bench.tasks.ner.labels import LabelView, project, views_for
from bench.tasks.ner.alignment import SpanStatus, align_rows_and_schemes
from bench.tasks.ner.matching import Scheme, SchemeCounts
from bench.tasks.ner.types import Span

SCORER_VERSION = "1.1.0"
TASK = "ner"


@dataclass(frozen=True)
class DocumentInput:
    """One document's gold and (mapped, grounded) predicted spans, in the gold label space
    or, for CoNLL-space systems, in the CoNLL space."""

    gold: tuple[Span, ...]
    pred: tuple[Span, ...]
    unplaced: tuple[tuple[str, str, Unplaced], ...] = ()  # (text, label, why) of spanless predictions


def strict_counts(gold: Sequence[Span], pred: Sequence[Span]) -> Counts:
    """Multiset intersection: a duplicate prediction is a false positive."""
    tp = sum((Counter(gold) & Counter(pred)).values())
    return Counts(tp, len(pred) - tp, len(gold) - tp)


def _in_view(spans: Sequence[Span], view: LabelView) -> tuple[Span, ...]:
    if view is LabelView.GOLD:
        return tuple(spans)
    shown = {label: project(label, view) for label in {s.label for s in spans}}
    return tuple(s if shown[s.label] == s.label else Span(s.start, s.end, shown[s.label]) for s in spans)  # an unchanged span is kept


def _scheme_rows(view: str, scheme: Scheme, c: SchemeCounts) -> list[MetricRow]:
    common = dict(task=TASK, view=view, support=c.possible, predicted=c.actual)
    credit = c.correct + 0.5 * c.partial
    return [
        MetricRow(metric=f"{scheme.value}_precision", value=c.precision, **common),
        MetricRow(metric=f"{scheme.value}_recall", value=c.recall, **common),
        MetricRow(metric=f"{scheme.value}_f1", value=c.f1, tp=credit, fp=c.actual - credit, fn=c.possible - credit, **common),
    ]


def score_view(corpus: Corpus, inputs: Mapping[str, DocumentInput], view: LabelView, space: LabelView, keep_rows: bool = False) -> TaskScore:
    rows: list[MetricRow] = []
    units: list[UnitCounts] = []
    errors: list[dict] = []
    alignments: dict[str, DocumentAlignment] = {}
    labels = view.labels
    tp_by, gold_by, pred_by = Counter(), Counter(), Counter()
    unplaced_by = Counter()  # label in the view -> spanless predictions
    schemes = {scheme: SchemeCounts(0, 0, 0, 0, 0) for scheme in Scheme}
    total = Counts()
    spanless = Counter()
    shown, correct = view.value, SpanStatus.CORRECT
    kinds = {status: status.value for status in SpanStatus}
    for doc_id, item in inputs.items():
        document = corpus[doc_id]
        gold = _in_view(item.gold, view) if space is LabelView.GOLD else item.gold
        pred = _in_view(item.pred, view) if space is LabelView.GOLD else item.pred
        extra_fp = len(item.unplaced)
        for _, label, why in item.unplaced:
            spanless[why] += 1
            unplaced_by[project(label, view) if space is LabelView.GOLD else label] += 1
        aligned, counted = align_rows_and_schemes(gold, pred, item.unplaced)
        if keep_rows:
            alignments[doc_id] = DocumentAlignment(doc_id, aligned, view.value, labels)
        # Per-sentence counts, the sentence found as `Document.sentence_at` finds it.
        ends, last = document.sentence_ends, len(document.sentences) - 1
        tp_in, gold_in, pred_in = [0] * (last + 1), [0] * (last + 1), [0] * (last + 1)
        text = document.text
        for row in aligned:
            g, p, status = row.gold, row.pred, row.status
            if status is correct:  # one span for both sides
                label = g.label
                tp_by[label] += 1
                gold_by[label] += 1
                pred_by[label] += 1
                k = bisect_right(ends, g.start)
                k = k if k < last else last
                tp_in[k] += 1
                gold_in[k] += 1
                pred_in[k] += 1
                continue
            if g is None and p is None:  # unplaced: counted above
                errors.append({"doc_id": doc_id, "view": shown, "kind": kinds[status], "gold": None, "pred": {"text": row.text, "label": row.label}})
                continue
            errors.append({"doc_id": doc_id, "view": shown, "kind": kinds[status], "gold": _span_json(text, g), "pred": _span_json(text, p)})
            if g is not None:
                gold_by[g.label] += 1
                k = bisect_right(ends, g.start)
                gold_in[k if k < last else last] += 1
            if p is not None:
                pred_by[p.label] += 1
                k = bisect_right(ends, p.start)
                pred_in[k if k < last else last] += 1
        tp = sum(tp_in)
        total = total + Counts(tp, len(pred) - tp + extra_fp, len(gold) - tp)
        for scheme, c in counted.items():
            schemes[scheme] = schemes[scheme] + SchemeCounts(c.correct, c.incorrect, c.partial, c.missed, c.spurious + extra_fp)
        units += [UnitCounts(TASK, shown, doc_id, i, t, q - t, r - t) for i, (t, q, r) in enumerate(zip(tp_in, pred_in, gold_in))]
        if extra_fp:
            units.append(UnitCounts(TASK, view.value, doc_id, -1, 0, extra_fp, 0))
    rows += total.rows(TASK, "strict_f1", view=view.value)
    for scheme in (Scheme.EXACT, Scheme.PARTIAL, Scheme.TYPE):
        rows += _scheme_rows(view.value, scheme, schemes[scheme])
    for label in labels:
        counts = Counts(tp_by[label], pred_by[label] - tp_by[label] + unplaced_by[label], gold_by[label] - tp_by[label])
        rows += counts.rows(TASK, "strict_f1", view=view.value, label=label)
    for why in Unplaced:
        rows.append(MetricRow(task=TASK, metric=why.value, value=float(spanless[why]), view=view.value))
    return TaskScore(TASK, tuple(rows), tuple(units), tuple(errors), alignments)


def _span_json(text: str, span: Span | None) -> dict | None:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": text[span.start : span.end], "label": span.label}


def score(corpus: Corpus, inputs: Mapping[str, DocumentInput], space: LabelView = LabelView.GOLD, keep_rows: bool = False) -> TaskScore:
    """Score in every view the predictions' label space allows, gold view first; with
    `keep_rows`, the alignment of the first view (the predictions' own label space)."""
    parts = [score_view(corpus, inputs, view, space, keep_rows and i == 0) for i, view in enumerate(views_for(space))]
    return TaskScore(
        TASK,
        tuple(row for part in parts for row in part.rows),
        tuple(unit for part in parts for unit in part.units),
        tuple(error for part in parts for error in part.errors),
        parts[0].alignments,
    )
