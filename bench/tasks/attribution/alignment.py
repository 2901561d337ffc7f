"""Attribution alignment: every relation of one document as a row (GUIDELINES.md 3.6).

Where it sits: stage 2, the attribution task (`bench/tasks/attribution/`). Per
document, a one-to-one assignment (scipy's Hungarian solver, per group of overlapping
contents: `bench.tasks.assignment`) on content overlap, the F1 of the two contents'
word tokens (tokens with a letter or digit); a pair needs F1 >= 0.5, and the
assignment maximises total F1, breaking ties (nested relations share content) in
favour of the right source, then the right cue. Predictions are sorted into a
canonical order first, so input order never matters.

A pair is right (who-said-what credit 1) when its source is right: who the source is,
by the head rule of `sources.py`, whatever its extent or type. The rows, in the order
the scorer counts them: aligned pairs (with the source judgement), missed gold
relations, spurious predictions, and predictions whose content found no place.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from enum import Enum
from typing import Mapping, Sequence

from bench.documents.corpus import Document
from bench.tasks.alignment import NOWHERE, Field, Layout, Part, Presentation, Shown, Status, Verdict, absent, plain, quoted
from bench.tasks.assignment import Ties, assign
from bench.tasks.attribution.sources import Judgement, alias_index, judge
from bench.tasks.attribution.types import Relation
from bench.tasks.casualties.types import TextSpan
from bench.tasks.grounding import normalise
from bench.tasks.score import f1_from, ratio

MIN_CONTENT_F1 = 0.5
_WORD = re.compile(r"\w")


class RecordStatus(str, Enum):
    """What became of one attribution relation (the scorer's error kinds, plus correct)."""

    CORRECT = "correct"  # aligned on content, the right source
    WRONG_SOURCE = "wrong_source"  # aligned on content, the source is wrong
    MISSED = "missed"
    SPURIOUS = "spurious"
    UNGROUNDED = "ungrounded"  # the content is not in the article


PRESENTATION = Presentation(
    title="Attribution",
    what="Attribution relations",
    layout=Layout.RECORDS,
    statuses=(
        Status("correct", "correct", Verdict.CORRECT),
        Status("wrong_source", "wrong source", Verdict.WRONG),
        Status("missed", "missed", Verdict.MISSED),
        Status("spurious", "spurious", Verdict.SPURIOUS),
        Status("ungrounded", "ungrounded", Verdict.UNPLACED),
    ),
    columns=("source (heads compared)", "content overlap", "cue"),
    empty="No attribution relations in the gold or the predictions of this article.",
)


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


@dataclass(frozen=True, slots=True)
class RelationRow:
    """One attribution item: an aligned pair (with its content overlap and the source
    judgement), a missed gold relation, a spurious or an ungrounded prediction."""

    status: RecordStatus
    gold: Relation | None
    pred: Relation | None
    credit: float = 0.0  # who-said-what: 1 when aligned with the right source
    overlap: int = 0  # content word tokens shared
    gold_words: int = 0
    pred_words: int = 0
    judgement: Judgement | None = None

    @property
    def paired(self) -> bool:
        return self.gold is not None and self.pred is not None

    @property
    def same_cue(self) -> bool:
        return self.paired and (self.gold.cue.start, self.gold.cue.end) == (self.pred.cue.start, self.pred.cue.end)

    @property
    def source_check(self) -> str:
        """The heads the scorer compared, and why the source counted right or wrong."""
        j = self.judgement
        return "" if j is None else f"gold {j.gold}; compared {j.compared}: {j.why}"

    @property
    def start(self) -> int:
        start = (self.gold or self.pred).content[0].start
        return NOWHERE if start is None else start

    def shown(self, presentation: Presentation) -> Shown:
        return Shown(presentation.status(self.status.value), self.credit, gold=self.gold_fields(), pred=self.pred_fields(), notes=self.notes())

    def gold_fields(self) -> tuple[Field, ...] | None:
        return relation_fields(self.gold)

    def pred_fields(self) -> tuple[Field, ...] | None:
        return relation_fields(self.pred)

    def notes(self) -> tuple[tuple[Part, ...], ...]:
        if not self.paired:
            return ((plain(self.source_check),), (plain(""),), (plain(""),))
        overlap = f"{self.overlap} shared words (gold {self.gold_words}, predicted {self.pred_words})"
        return ((plain(self.source_check),), (plain(overlap),), (plain("same cue" if self.same_cue else "other cue"),))


def align_rows(
    document: Document, gold: Sequence[Relation], pred: Sequence[Relation], entity_names: Mapping[str, frozenset[str]], ungrounded: Sequence[Relation] = ()
) -> tuple[RelationRow, ...]:
    """The rows of one document: pairs (each source judged once), missed, spurious, ungrounded."""
    pairs, missed, spurious = align(document, gold, pred, entity_names)
    rows = []
    for p in pairs:
        judgement = judge_source(p.gold, p.pred, entity_names)
        status = RecordStatus.CORRECT if judgement.right else RecordStatus.WRONG_SOURCE
        rows.append(RelationRow(status, p.gold, p.pred, float(judgement.right), p.overlap, p.gold_words, p.pred_words, judgement))
    rows += [RelationRow(RecordStatus.MISSED, g, None) for g in missed]
    rows += [RelationRow(RecordStatus.SPURIOUS, None, r) for r in spurious]
    rows += [RelationRow(RecordStatus.UNGROUNDED, None, r) for r in ungrounded]
    return tuple(rows)


def _span(span: TextSpan | None) -> tuple[Part, ...]:
    if span is None:
        return (absent(),)
    return (quoted(span.text, span.start, span.end),)


def relation_fields(relation: Relation | None) -> tuple[Field, ...] | None:
    """An attribution relation as a report lists it: source, cue, content, mode, nesting."""
    if relation is None:
        return None
    source = relation.source
    shown = _span(source.span) if source.span is not None else (absent("no source (agentless)"),)
    content: list[Part] = []
    for i, span in enumerate(relation.content):
        content += ([plain(" … ")] if i else []) + list(_span(span))
    return (
        Field("source", (*shown, plain(f" ({source.type.value})"))),
        Field("cue", _span(relation.cue)),
        Field("content", tuple(content)),
        Field("mode", (plain(relation.mode.value),)),
        Field("id", (plain(relation.id + (f", inside {relation.parent}" if relation.parent else "")),)),
    )
