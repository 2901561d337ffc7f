"""Attribution scoring: placed relations in, typed metric rows out (GUIDELINES.md 3.6).

The alignment (`alignment.py`) pairs relations on content and judges each pair's
source once; the headline `f1` counts a pair as correct when its source is right.
Content (PARC partial credit, and per mode on each mode's own alignment), cue (exact
and by head, `cues.py`), source type, nesting and figure metrics are reported beside
it. Every count is taken once, per relation, in `_sub_metric_counts`: the totals and
the per-sentence units for the bootstrap are sums of the same counts.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, Document
from bench.tasks.alignment import DocumentAlignment
from bench.tasks.attribution.alignment import Pair, RecordStatus, RelationRow, align, align_rows, canonical_key, source_right
from bench.tasks.attribution.cues import cue_head_counts
from bench.tasks.attribution.types import FigureLink, Mode, Relation
from bench.tasks.score import Counts, MetricRow, TaskScore, UnitCounts, f1_from, precision_recall, ratio, sentence_units

SCORER_VERSION = "1.1.0"
TASK = "attribution"
UNIT_METRICS = (None, "content_strict_f1", "cue_f1", "cue_head_f1", "nesting_f1")  # per-sentence counts: the headline (None) and sub-metrics
SUB_METRICS = ("content_strict_f1", "cue_f1", "cue_head_f1", "nesting_f1")


@dataclass(frozen=True)
class DocumentInput:
    gold: tuple[Relation, ...]
    pred: tuple[Relation, ...]  # content placed; cue may lack offsets (ungrounded cue)
    ungrounded: tuple[Relation, ...] = ()
    figures: tuple[FigureLink, ...] = ()
    entity_names: Mapping[str, frozenset[str]] = field(default_factory=dict)  # entity id -> normalised mention texts

    def rows(self, document: Document) -> tuple[RelationRow, ...]:
        return align_rows(document, self.gold, self.pred, self.entity_names, self.ungrounded)


def _depth(relation: Relation, by_id: Mapping[str, Relation]) -> int:
    depth, node, seen = 0, relation.parent, {relation.id}
    while node is not None and node in by_id and node not in seen:
        seen.add(node)
        depth, node = depth + 1, by_id[node].parent
    return depth


def _reporting(figure: FigureLink, relations: Sequence[Relation]) -> Relation | None:
    """The innermost relation whose content holds the figure (deepest, then shortest)."""
    by_id = {r.id: r for r in relations}
    holding = [r for r in relations if any(s.start <= figure.start and figure.end <= s.end for s in r.content)]
    if not holding:
        return None
    return min(holding, key=lambda r: (-_depth(r, by_id), sum(s.end - s.start for s in r.content), canonical_key(r)))


@dataclass
class _Partial:
    p_credit: float = 0.0
    r_credit: float = 0.0
    exact: int = 0
    n_pred: int = 0
    n_gold: int = 0

    def add(self, pairs: Sequence[RelationRow | Pair], n_pred: int, n_gold: int) -> None:
        self.p_credit += sum(ratio(p.overlap, p.pred_words) for p in pairs)
        self.r_credit += sum(ratio(p.overlap, p.gold_words) for p in pairs)
        self.exact += sum(1 for p in pairs if p.overlap == p.gold_words == p.pred_words)
        self.n_pred += n_pred
        self.n_gold += n_gold

    def rows(self, label: str | None) -> list[MetricRow]:
        common = dict(task=TASK, label=label, support=self.n_gold, predicted=self.n_pred)
        p, _ = precision_recall(self.p_credit, self.n_pred, self.n_gold)
        _, r = precision_recall(self.r_credit, self.n_pred, self.n_gold)
        strict = Counts(self.exact, self.n_pred - self.exact, self.n_gold - self.exact)
        return [
            MetricRow(metric="content_partial_precision", value=p, **common),
            MetricRow(metric="content_partial_recall", value=r, **common),
            MetricRow(metric="content_partial_f1", value=f1_from(p, r), **common),
            MetricRow(metric="content_strict_f1", value=strict.f1, tp=strict.tp, fp=strict.fp, fn=strict.fn, **common),
        ]


def _json(r: Relation) -> dict[str, Any]:
    return r.to_json()


def _sub_metric_counts(document: Document, item: DocumentInput, rows: Sequence[RelationRow]) -> list[tuple[str, Relation | None, Counts]]:
    """(metric, relation, counts) for content_strict_f1, cue_f1, cue_head_f1 and nesting_f1:
    each count sits at a relation (the sentence of its content; the gold one when a pair
    matches) or at None (ungrounded). The totals and the per-sentence units both sum them."""
    out: list[tuple[str, Relation | None, Counts]] = []
    pairs = [r for r in rows if r.paired]
    for p in pairs:
        exact = p.overlap == p.gold_words == p.pred_words
        out.append(("content_strict_f1", p.gold, Counts(int(exact), int(not exact), int(not exact))))
    out += [("content_strict_f1", r.gold, Counts(0, 0, 1)) for r in rows if r.status is RecordStatus.MISSED]
    out += [("content_strict_f1", r.pred, Counts(0, 1, 0)) for r in rows if r.status is RecordStatus.SPURIOUS]
    out += [(metric, None, Counts(0, 1, 0)) for _ in item.ungrounded for metric in ("content_strict_f1", "cue_f1")]
    gold_at: dict[tuple, list[Relation]] = {}
    pred_at: dict[tuple, list[Relation]] = {}
    for r in item.gold:
        gold_at.setdefault((r.cue.start, r.cue.end), []).append(r)
    for r in item.pred:
        if r.cue.start is None:
            out.append(("cue_f1", r, Counts(0, 1, 0)))
        else:
            pred_at.setdefault((r.cue.start, r.cue.end), []).append(r)
    for span in sorted(set(gold_at) | set(pred_at), key=str):
        g, p = gold_at.get(span, []), pred_at.get(span, [])
        hit = min(len(g), len(p))
        out += [("cue_f1", r, Counts(1, 0, 0)) for r in g[:hit]]
        out += [("cue_f1", r, Counts(0, 0, 1)) for r in g[hit:]]
        out += [("cue_f1", r, Counts(0, 1, 0)) for r in p[hit:]]
    out += [("cue_head_f1", r, c) for r, c in cue_head_counts(document, item.gold, sorted(item.pred, key=canonical_key))]
    out += [("cue_head_f1", None, Counts(0, 1, 0)) for _ in item.ungrounded]
    to_gold = {p.pred.id: p.gold.id for p in pairs}
    gold_by_id = {r.id: r for r in item.gold}
    gold_links = {(r.id, r.parent) for r in item.gold if r.parent is not None}
    found = set()
    for r in item.pred:
        if r.parent is None:
            continue
        link = (to_gold.get(r.id), to_gold.get(r.parent))
        if link in gold_links:
            found.add(link)
            out.append(("nesting_f1", gold_by_id[link[0]], Counts(1, 0, 0)))
        else:
            out.append(("nesting_f1", r, Counts(0, 1, 0)))
    out += [("nesting_f1", gold_by_id[child], Counts(0, 0, 1)) for child, parent in sorted(gold_links - found)]
    return out


def _error(doc_id: str, row: RelationRow) -> dict[str, Any] | None:
    """The row as the results' error list has it (None for a right pair)."""
    if row.status is RecordStatus.CORRECT:
        return None
    if row.status is RecordStatus.WRONG_SOURCE:
        why = row.judgement
        check = {"gold": why.gold, "compared": why.compared, "why": why.why}
        return {"doc_id": doc_id, "kind": "wrong_source", "gold": {"id": row.gold.id, **_json(row.gold)}, "pred": _json(row.pred), "source_check": check}
    gold = None if row.gold is None else {"id": row.gold.id, **_json(row.gold)}
    return {"doc_id": doc_id, "kind": row.status.value, "gold": gold, "pred": None if row.pred is None else _json(row.pred)}


def score(corpus: Corpus, inputs: Mapping[str, DocumentInput], *, with_figures: bool = False, keep_rows: bool = False) -> TaskScore:
    total = Counts()
    sub_totals: dict[str, Counts] = {metric: Counts() for metric in SUB_METRICS}
    type_pairs: Counter = Counter()  # (gold type, predicted type) over aligned pairs
    partial = _Partial()
    by_mode = {m: _Partial() for m in Mode}
    aligned = correct_sources = 0
    figures_total = figures_right = 0
    units: list[UnitCounts] = []
    errors: list[dict[str, Any]] = []
    alignments: dict[str, DocumentAlignment] = {}
    n_ungrounded = 0
    for doc_id, item in inputs.items():
        document = corpus[doc_id]
        rows = item.rows(document)
        if keep_rows:
            alignments[doc_id] = DocumentAlignment(doc_id, rows)
        pairs = [r for r in rows if r.paired]
        right = sum(1 for r in pairs if r.status is RecordStatus.CORRECT)
        type_pairs.update((p.gold.source.type.value, p.pred.source.type.value) for p in pairs)
        n_pred, n_gold = len(item.pred) + len(item.ungrounded), len(item.gold)
        total += Counts(right, n_pred - right, n_gold - right)
        aligned += len(pairs)
        correct_sources += right
        partial.add(pairs, n_pred, n_gold)
        for mode in Mode:  # each mode on its own alignment
            g = [r for r in item.gold if r.mode is mode]
            p = [r for r in item.pred if r.mode is mode]
            mode_pairs, _, _ = align(document, g, p, item.entity_names)
            by_mode[mode].add(mode_pairs, len(p) + sum(1 for r in item.ungrounded if r.mode is mode), len(g))
        gold_by_id = {r.id: r for r in item.gold}
        for figure in item.figures:
            figures_total += 1
            predicted = _reporting(figure, item.pred)
            if figure.attribution is None:
                figures_right += predicted is None
            elif predicted is not None:
                figures_right += source_right(gold_by_id[figure.attribution], predicted, item.entity_names)
        per_sentence: dict[tuple[str | None, int], Counts] = {}

        def add(relation: Relation | None, c: Counts, metric: str | None = None) -> None:
            key = -1 if relation is None else document.sentence_at(relation.content[0].start).index
            per_sentence[metric, key] = per_sentence.get((metric, key), Counts()) + c

        for metric, relation, c in _sub_metric_counts(document, item, rows):
            add(relation, c, metric)
            sub_totals[metric] += c
        for row in rows:
            if row.paired:
                ok = row.status is RecordStatus.CORRECT
                add(row.gold, Counts(int(ok), int(not ok), int(not ok)))
            elif row.status is RecordStatus.MISSED:
                add(row.gold, Counts(0, 0, 1))
            elif row.status is RecordStatus.SPURIOUS:
                add(row.pred, Counts(0, 1, 0))
            else:
                add(None, Counts(0, 1, 0))
                n_ungrounded += 1
            error = _error(doc_id, row)
            if error is not None:
                errors.append(error)
        units += sentence_units(TASK, doc_id, document.sentences, per_sentence, UNIT_METRICS)
    rows = total.rows(TASK, "f1")
    rows += partial.rows(None)
    for mode in Mode:
        rows += by_mode[mode].rows(mode.value)
    rows += sub_totals["cue_f1"].rows(TASK, "cue_f1")
    rows += sub_totals["cue_head_f1"].rows(TASK, "cue_head_f1")
    rows.append(MetricRow(task=TASK, metric="source_accuracy", value=ratio(correct_sources, aligned), support=aligned, tp=correct_sources, fn=aligned - correct_sources))
    same_type = sum(n for (g, p), n in type_pairs.items() if g == p)
    rows.append(MetricRow(task=TASK, metric="source_type_accuracy", value=ratio(same_type, aligned), support=aligned, tp=same_type, fn=aligned - same_type))
    for (g, p), n in sorted(type_pairs.items()):
        rows.append(MetricRow(task=TASK, metric="source_type_confusion", value=float(n), label=f"{g}->{p}"))
    rows += sub_totals["nesting_f1"].rows(TASK, "nesting_f1")
    if with_figures:
        rows.append(MetricRow(task=TASK, metric="figure_source_accuracy", value=ratio(figures_right, figures_total), support=figures_total, tp=figures_right, fn=figures_total - figures_right))
    rows.append(MetricRow(task=TASK, metric="ungrounded", value=float(n_ungrounded)))
    return TaskScore(TASK, tuple(rows), tuple(units), tuple(errors), alignments)
