"""Casualty-figure alignment: every figure of one document as a row (GUIDELINES.md 2.6).

Where it sits: stage 2, the casualty task (`bench/tasks/casualties/`). Per document,
a one-to-one assignment (scipy's Hungarian solver, per group of overlapping figures:
`bench.tasks.assignment`) between gold and predicted figures that may pair only when
their outcomes match and their quantity spans overlap. It maximises total credit
first and the number of pairs second. Predictions are sorted into a canonical order
first, so input order never matters.

Credit per aligned pair (scorer 1.1.0): 1 when kind, low, high, outcome and unit match
(the figure itself; spans overlap by alignment); 0.5 when not, but the intervals
overlap or the predicted point lies in the gold interval; else 0. The victim category
is not part of that credit (the scorer reports it apart).

The rows, in the order the scorer counts them: aligned pairs, missed gold figures,
spurious predictions (on an annotated non-casualty number or not), and text-only
predictions that found no place (ungrounded, surplus).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Sequence

from bench.tasks.alignment import NOWHERE, Field, Layout, Part, Presentation, Shown, Status, Verdict, absent, plain, quoted
from bench.tasks.assignment import Ties, assign
from bench.tasks.casualties.types import Figure, NonCasualty, TextSpan
from bench.tasks.grounding import Unplaced

HALF = 0.5


class RecordStatus(str, Enum):
    """What became of one casualty figure (the scorer's error kinds, plus correct)."""

    CORRECT = "correct"  # full credit
    PARTIAL_CREDIT = "partial_credit"  # aligned, half credit
    NO_CREDIT = "no_credit"  # aligned, no credit
    MISSED = "missed"
    SPURIOUS = "spurious"
    SPURIOUS_ON_NEGATIVE = "spurious_on_negative"  # on an annotated non-casualty number
    UNGROUNDED = "ungrounded"
    SURPLUS = "surplus"


PRESENTATION = Presentation(
    title="Casualty figures",
    what="Casualty figures",
    layout=Layout.RECORDS,
    statuses=(
        Status("correct", "correct", Verdict.CORRECT),
        Status("partial_credit", "partial credit", Verdict.PARTIAL),
        Status("no_credit", "no credit", Verdict.WRONG),
        Status("missed", "missed", Verdict.MISSED),
        Status("spurious", "spurious", Verdict.SPURIOUS),
        Status("spurious_on_negative", "spurious, on a non-casualty number", Verdict.SPURIOUS),
        Status("ungrounded", "ungrounded", Verdict.UNPLACED),
        Status("surplus", "surplus", Verdict.UNPLACED),
    ),
    columns=("note",),
    empty="No casualty figures in the gold or the predictions of this article.",
)


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


def on_negative(f: Figure, negatives: Sequence[NonCasualty]) -> NonCasualty | None:
    """The annotated non-casualty number a predicted figure overlaps, if any."""
    s = f.quantity.span
    return next((n for n in negatives if n.start < s.end and s.start < n.end), None)


@dataclass(frozen=True, slots=True)
class FigureRow:
    """One casualty item: an aligned pair (with its credit), a missed gold figure, a
    spurious prediction (with the non-casualty number it sits on), or an unplaced one."""

    status: RecordStatus
    gold: Figure | None
    pred: Figure | None
    credit: float = 0.0
    non_casualty: NonCasualty | None = None

    @property
    def paired(self) -> bool:
        return self.gold is not None and self.pred is not None

    @property
    def value_ok(self) -> bool:
        g, p = self.gold.quantity.bounds, self.pred.quantity.bounds
        return (g.kind, g.low, g.high) == (p.kind, p.low, p.high)

    @property
    def victim_ok(self) -> bool:
        """The predicted category is one the gold accepts (its category or a defensible alternative)."""
        return self.pred.victim_category in self.gold.accepted_victims

    @property
    def victim_exact(self) -> bool:
        return self.gold.victim_category is self.pred.victim_category

    @property
    def strict(self) -> bool:
        """Everything matches, the gold's own victim category included (`strict_f1`)."""
        return self.credit == 1.0 and self.victim_exact

    @property
    def unit_ok(self) -> bool:
        return self.gold.unit is self.pred.unit

    @property
    def mismatch(self) -> tuple[str, ...]:
        """What an aligned pair got wrong: value, unit, victim."""
        if not self.paired:
            return ()
        out = [] if self.value_ok else ["value"]
        out += [name for name, ok in (("unit", self.unit_ok), ("victim", self.victim_ok)) if not ok]
        if self.victim_ok and not self.victim_exact:
            out.append("victim (a defensible alternative)")
        return tuple(out)

    @property
    def start(self) -> int:
        start = (self.gold or self.pred).quantity.span.start
        return NOWHERE if start is None else start

    def shown(self, presentation: Presentation) -> Shown:
        return Shown(presentation.status(self.status.value), self.credit, gold=self.gold_fields(), pred=self.pred_fields(), notes=self.notes())

    def gold_fields(self) -> tuple[Field, ...] | None:
        return figure_fields(self.gold)

    def pred_fields(self) -> tuple[Field, ...] | None:
        return figure_fields(self.pred)

    def notes(self) -> tuple[tuple[Part, ...], ...]:
        if self.mismatch:
            return ((plain("differs in " + ", ".join(self.mismatch)),),)
        if self.non_casualty is not None:
            nc = self.non_casualty
            return ((plain("on the non-casualty number "), quoted(nc.text), plain(f" ({nc.kind.value})")),)
        return ((),)


def _pair_status(got: float) -> RecordStatus:
    return RecordStatus.CORRECT if got == 1 else RecordStatus.PARTIAL_CREDIT if got > 0 else RecordStatus.NO_CREDIT


@dataclass(frozen=True)
class Pair:
    gold: Figure
    pred: Figure
    credit: float


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


def align_rows(gold: Sequence[Figure], pred: Sequence[Figure], unplaced: Sequence[tuple[Figure, Unplaced]] = (), negatives: Sequence[NonCasualty] = ()) -> tuple[FigureRow, ...]:
    """The rows of one document: pairs, missed, spurious, then unplaced predictions."""
    pairs, missed, spurious = align(gold, pred)
    rows = [FigureRow(_pair_status(p.credit), p.gold, p.pred, p.credit) for p in pairs]
    rows += [FigureRow(RecordStatus.MISSED, g, None) for g in missed]
    for p in spurious:
        negative = on_negative(p, negatives)
        rows.append(FigureRow(RecordStatus.SPURIOUS if negative is None else RecordStatus.SPURIOUS_ON_NEGATIVE, None, p, non_casualty=negative))
    rows += [FigureRow(RecordStatus(why.value), None, f) for f, why in unplaced]
    return tuple(rows)


def _span(span: TextSpan | None) -> tuple[Part, ...]:
    """A span's text, and its offsets when it has them."""
    if span is None:
        return (absent(),)
    return (quoted(span.text, span.start, span.end),)


def figure_fields(figure: Figure | None) -> tuple[Field, ...] | None:
    """A casualty figure as a report lists it: quantity, value, outcome, unit, victims, and the rest it carries."""
    if figure is None:
        return None
    q, b = figure.quantity, figure.quantity.bounds
    value = f"{b.kind.value} {b.low}–{'∞' if b.high is None else b.high}" + (f" (point {b.point})" if b.point is not None else "")
    victim: tuple[Part, ...] = (plain(figure.victim_category.value),)
    if figure.victim and figure.victim.text:
        victim += (plain(" "), quoted(figure.victim.text))
    fields = [
        Field("quantity", _span(q.span)),
        Field("value", (plain(value),)),
        Field("outcome", (plain(figure.outcome.value),)),
        Field("unit", (plain(figure.unit.value),)),
        Field("victims", victim),
    ]
    for name, text in (("qualifier", q.qualifier), ("vague term", q.vague_term)):
        if text:
            fields.append(Field(name, (quoted(text),)))
    for name in ("perpetrator", "location", "time"):
        span: Any = getattr(figure, name)
        if span is not None and span.text:
            fields.append(Field(name, (quoted(span.text),)))
    if figure.id:
        fields.append(Field("id", (plain(figure.id),)))
    return tuple(fields)
