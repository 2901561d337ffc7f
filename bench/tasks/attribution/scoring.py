"""Attribution scoring: placed relations in, typed metric rows out (GUIDELINES.md 3.6).

Alignment, per document: a one-to-one assignment (scipy's Hungarian solver, per group
of overlapping contents: `bench.tasks.assignment`) on content overlap, the F1 of the
two contents' word tokens (tokens with a letter or digit); a pair needs F1 >= 0.5, and
the assignment maximises total F1, breaking ties (nested relations share content) in
favour of the right source, then the right cue. Predictions are sorted into a canonical
order first, so input order never matters.

The headline `f1` counts an aligned pair as correct when its source is right
(`source_right`): who the source is, by the head rule of `sources.py`, whatever its
extent or type. Content, cue (exact and by head, `cues.py`), source type, nesting and
figure metrics are reported beside it.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, Document
from bench.tasks.assignment import Ties, assign
from bench.tasks.attribution.cues import cue_head_counts
from bench.tasks.attribution.sources import Judgement, alias_index, judge
from bench.tasks.attribution.types import FigureLink, Mode, Relation
from bench.tasks.score import Counts, MetricRow, TaskScore, UnitCounts, f1_from, precision_recall, ratio, sentence_units
from bench.tasks.ner.grounding import normalise

SCORER_VERSION = "1.1.0"
TASK = "attribution"
MIN_CONTENT_F1 = 0.5
UNIT_METRICS = (None, "content_strict_f1", "cue_f1", "cue_head_f1", "nesting_f1")  # per-sentence counts: the headline (None) and sub-metrics
_WORD = re.compile(r"\w")


@dataclass(frozen=True)
class DocumentInput:
    gold: tuple[Relation, ...]
    pred: tuple[Relation, ...]  # content placed; cue may lack offsets (ungrounded cue)
    ungrounded: tuple[Relation, ...] = ()
    figures: tuple[FigureLink, ...] = ()
    entity_names: Mapping[str, frozenset[str]] = field(default_factory=dict)  # entity id -> normalised mention texts


def words(document: Document, relation: Relation, starts: Sequence[int] | None = None) -> frozenset[tuple[int, int]]:
    """The word tokens (as offsets) of a relation's content; `starts`: the document's
    token starts, when the caller already has them."""
    tokens = document.tokens
    starts = [t.start for t in tokens] if starts is None else starts
    out = set()
    for span in relation.content:
        # Tokens are in text order: those inside the span start at or after its start.
        for k in range(bisect_left(starts, span.start), len(tokens)):
            t = tokens[k]
            if t.start >= span.end:
                break
            if t.end <= span.end and _WORD.search(t.text):
                out.add((t.start, t.end))
    return frozenset(out)


def _intervals(r: Relation) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in r.content]


def content_f1(gold: frozenset, pred: frozenset) -> float:
    overlap = len(gold & pred)
    return f1_from(ratio(overlap, len(pred)), ratio(overlap, len(gold)))


def source_name(text: str) -> str:
    """A mention text as aliases are stored: normalised, without a leading 'the'."""
    norm = normalise(text)
    return norm[4:] if norm.startswith("the ") else norm


_INDEX: dict[int, tuple[Mapping[str, frozenset[str]], dict]] = {}


def _aliases(entity_names: Mapping[str, frozenset[str]]) -> dict:
    """The alias index of `sources.py`, built once per gold's name table."""
    cached = _INDEX.get(id(entity_names))
    if cached is None or cached[0] is not entity_names:
        if len(_INDEX) > 8:
            _INDEX.clear()
        cached = _INDEX[id(entity_names)] = (entity_names, alias_index(entity_names))
    return cached[1]


def judge_source(gold: Relation, pred: Relation, entity_names: Mapping[str, frozenset[str]]) -> Judgement:
    """Is the predicted source the gold source, and which heads were compared (`sources.py`)."""
    g = gold.source
    return judge(pred.source.text, g.text, g.entity, g.head, _aliases(entity_names))


def source_right(gold: Relation, pred: Relation, entity_names: Mapping[str, frozenset[str]]) -> bool:
    return judge_source(gold, pred, entity_names).right


def canonical_key(r: Relation) -> tuple:
    return (tuple((s.start, s.end) for s in r.content), r.cue.start if r.cue.start is not None else -1, r.cue.text or "",
            r.source.text or "", r.source.type.value, r.mode.value, r.parent or "", r.id)


@dataclass(frozen=True)
class Pair:
    gold: Relation
    pred: Relation
    overlap: int
    gold_words: int
    pred_words: int


def align(
    document: Document, gold: Sequence[Relation], pred: Sequence[Relation], entity_names: Mapping[str, frozenset[str]] | None = None
) -> tuple[list[Pair], list[Relation], list[Relation]]:
    """Optimal pairs on content F1; ties (nested relations share content) go to the right
    source, then the right cue, by bonuses far below any real difference in F1."""
    pred = sorted(pred, key=canonical_key)
    if not gold or not pred:
        return [], list(gold), list(pred)
    starts = [t.start for t in document.tokens]
    gw = [words(document, r, starts) for r in gold]
    pw = [words(document, r, starts) for r in pred]

    def weight(rows: list[int], cols: list[int]) -> list[list[float]]:
        out = [[0.0] * len(cols) for _ in rows]
        for a, i in enumerate(rows):
            for b, j in enumerate(cols):
                f = content_f1(gw[i], pw[j])
                if f >= MIN_CONTENT_F1:
                    g, p = gold[i], pred[j]
                    right = entity_names is not None and source_right(g, p, entity_names)
                    same_cue = (g.cue.start, g.cue.end) == (p.cue.start, p.cue.end)
                    out[a][b] = f + 1e-6 * right + 1e-7 * same_cue
        return out

    # Remaining ties are broken far below the bonuses (see `bench.tasks.assignment`).
    ties = Ties([repr(canonical_key(r)) for r in gold], [repr(canonical_key(r)) for r in pred], resolution=1e-8)
    chosen = assign([_intervals(r) for r in gold], [_intervals(r) for r in pred], weight, ties)
    pairs = [Pair(gold[i], pred[j], len(gw[i] & pw[j]), len(gw[i]), len(pw[j])) for i, j in chosen]
    used_g, used_p = {i for i, _ in chosen}, {j for _, j in chosen}
    return pairs, [g for i, g in enumerate(gold) if i not in used_g], [p for j, p in enumerate(pred) if j not in used_p]


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

    def add(self, pairs: Sequence[Pair], n_pred: int, n_gold: int) -> None:
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


def _sub_metric_counts(
    document: Document, item: DocumentInput, pairs: Sequence[Pair], missed: Sequence[Relation], spurious: Sequence[Relation]
) -> list[tuple[str, Relation | None, Counts]]:
    """(metric, relation, counts) for content_strict_f1, cue_f1, cue_head_f1 and nesting_f1, for the
    per-sentence units: each count sits at a relation (the sentence of its content; the
    gold one when a pair matches) or at None (ungrounded). They add up to the totals."""
    out: list[tuple[str, Relation | None, Counts]] = []
    for p in pairs:
        exact = p.overlap == p.gold_words == p.pred_words
        out.append(("content_strict_f1", p.gold, Counts(int(exact), int(not exact), int(not exact))))
    out += [("content_strict_f1", g, Counts(0, 0, 1)) for g in missed]
    out += [("content_strict_f1", r, Counts(0, 1, 0)) for r in spurious]
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


def score(corpus: Corpus, inputs: Mapping[str, DocumentInput], *, with_figures: bool = False) -> TaskScore:
    total = cues = nesting = Counts()
    sub_totals: dict[str, Counts] = {}
    type_pairs: Counter = Counter()  # (gold type, predicted type) over aligned pairs
    partial = _Partial()
    by_mode = {m: _Partial() for m in Mode}
    aligned = correct_sources = 0
    figures_total = figures_right = 0
    units: list[UnitCounts] = []
    errors: list[dict[str, Any]] = []
    n_ungrounded = 0
    for doc_id, item in inputs.items():
        document = corpus[doc_id]
        pairs, missed, spurious = align(document, item.gold, item.pred, item.entity_names)
        judged = {id(p): judge_source(p.gold, p.pred, item.entity_names) for p in pairs}
        right = [p for p in pairs if judged[id(p)].right]
        type_pairs.update((p.gold.source.type.value, p.pred.source.type.value) for p in pairs)
        n_pred, n_gold = len(item.pred) + len(item.ungrounded), len(item.gold)
        total += Counts(len(right), n_pred - len(right), n_gold - len(right))
        aligned += len(pairs)
        correct_sources += len(right)
        partial.add(pairs, n_pred, n_gold)
        for mode in Mode:
            g = [r for r in item.gold if r.mode is mode]
            p = [r for r in item.pred if r.mode is mode]
            mode_pairs, _, _ = align(document, g, p, item.entity_names)
            by_mode[mode].add(mode_pairs, len(p) + sum(1 for r in item.ungrounded if r.mode is mode), len(g))
        gold_cues = Counter((r.cue.start, r.cue.end) for r in item.gold)
        pred_cues = Counter((r.cue.start, r.cue.end) for r in item.pred if r.cue.start is not None)
        hit = sum((gold_cues & pred_cues).values())
        cues += Counts(hit, n_pred - hit, n_gold - hit)
        to_gold = {p.pred.id: p.gold.id for p in pairs}
        gold_links = {(r.id, r.parent) for r in item.gold if r.parent is not None}
        pred_links = [(r.id, r.parent) for r in item.pred if r.parent is not None]
        linked = sum(1 for c, p in pred_links if (to_gold.get(c), to_gold.get(p)) in gold_links)
        nesting += Counts(linked, len(pred_links) - linked, len(gold_links) - linked)
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

        for metric, relation, c in _sub_metric_counts(document, item, pairs, missed, spurious):
            add(relation, c, metric)
            sub_totals[metric] = sub_totals.get(metric, Counts()) + c

        right_ids = {id(p) for p in right}
        for p in pairs:
            ok = id(p) in right_ids
            add(p.gold, Counts(int(ok), int(not ok), int(not ok)))
            if not ok:
                why = judged[id(p)]
                check = {"gold": why.gold, "compared": why.compared, "why": why.why}
                errors.append({"doc_id": doc_id, "kind": "wrong_source", "gold": {"id": p.gold.id, **_json(p.gold)}, "pred": _json(p.pred), "source_check": check})
        for g in missed:
            add(g, Counts(0, 0, 1))
            errors.append({"doc_id": doc_id, "kind": "missed", "gold": {"id": g.id, **_json(g)}, "pred": None})
        for r in spurious:
            add(r, Counts(0, 1, 0))
            errors.append({"doc_id": doc_id, "kind": "spurious", "gold": None, "pred": _json(r)})
        for r in item.ungrounded:
            add(None, Counts(0, 1, 0))
            n_ungrounded += 1
            errors.append({"doc_id": doc_id, "kind": "ungrounded", "gold": None, "pred": _json(r)})
        units += sentence_units(TASK, doc_id, document.sentences, per_sentence, UNIT_METRICS)
    rows = total.rows(TASK, "f1")
    rows += partial.rows(None)
    for mode in Mode:
        rows += by_mode[mode].rows(mode.value)
    rows += cues.rows(TASK, "cue_f1")
    rows += sub_totals.get("cue_head_f1", Counts()).rows(TASK, "cue_head_f1")
    rows.append(MetricRow(task=TASK, metric="source_accuracy", value=ratio(correct_sources, aligned), support=aligned, tp=correct_sources, fn=aligned - correct_sources))
    same_type = sum(n for (g, p), n in type_pairs.items() if g == p)
    rows.append(MetricRow(task=TASK, metric="source_type_accuracy", value=ratio(same_type, aligned), support=aligned, tp=same_type, fn=aligned - same_type))
    for (g, p), n in sorted(type_pairs.items()):
        rows.append(MetricRow(task=TASK, metric="source_type_confusion", value=float(n), label=f"{g}->{p}"))
    rows += nesting.rows(TASK, "nesting_f1")
    if with_figures:
        rows.append(MetricRow(task=TASK, metric="figure_source_accuracy", value=ratio(figures_right, figures_total), support=figures_total, tp=figures_right, fn=figures_total - figures_right))
    rows.append(MetricRow(task=TASK, metric="ungrounded", value=float(n_ungrounded)))
    return TaskScore(TASK, tuple(rows), tuple(units), tuple(errors))
