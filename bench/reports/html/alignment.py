"""Gold against prediction, item by item, as each scorer aligned them.

Nothing is re-implemented here: each task's own `prepare` (label map, offset checks,
grounding) turns the predictions into what its scorer sees, and the scorer's own
alignment pairs them: `align_spans` (NER, the same matching that lists the results'
errors), `casualties.scoring.align` and `attribution.scoring.align`. This module only
gives every item a status and keeps the credit it earned, for `bench report` to draw.

Where it sits: stage 5, reports, one module of the HTML page (`bench/reports/html/`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any, Sequence

from bench.tasks.registry import TaskName
from bench.tasks.ner.matching import ErrorKind
from bench.tasks.ner.types import Span

if TYPE_CHECKING:
    from bench.documents.corpus import Document
    from bench.reports.html.inputs import ReportInputs
    from bench.tasks.attribution.gold import AttributionGold
    from bench.tasks.attribution.types import Relation
    from bench.tasks.casualties.types import CasualtyGold, Figure, NonCasualty
    from bench.tasks.ner.types import NerGold
    from bench.tasks.ner.labels import LabelMap


class SpanStatus(str, Enum):
    """What became of one NER span (or pair of spans) under strict matching."""

    CORRECT = "correct"  # same span and label
    MISSED = "missed"  # gold span, nothing predicted over it
    SPURIOUS = "spurious"  # predicted span over no gold span
    BOUNDARY = "boundary"  # overlap, same label, other span
    TYPE = "type"  # same span, other label
    BOUNDARY_TYPE = "boundary_and_type"  # overlap, other span, other label
    UNGROUNDED = "ungrounded"  # text-only prediction not found in the article
    SURPLUS = "surplus"  # text-only prediction repeated more often than the article has it


class RecordStatus(str, Enum):
    """What became of one casualty figure or attribution relation (the scorers' error kinds, plus correct)."""

    CORRECT = "correct"  # full credit
    PARTIAL_CREDIT = "partial_credit"  # figures: aligned, half credit
    NO_CREDIT = "no_credit"  # figures: aligned, no credit
    WRONG_SOURCE = "wrong_source"  # relations: aligned on content, the source is wrong
    MISSED = "missed"
    SPURIOUS = "spurious"
    SPURIOUS_ON_NEGATIVE = "spurious_on_negative"  # figures: on an annotated non-casualty number
    UNGROUNDED = "ungrounded"
    SURPLUS = "surplus"


@dataclass(frozen=True)
class MentionRow:
    """One NER item: a gold span, a predicted span, or a pair, with its status.

    `text` and `label` are set only for a text-only prediction that found no place."""

    status: SpanStatus
    gold: Span | None
    pred: Span | None
    text: str | None = None
    label: str | None = None

    @property
    def start(self) -> int:
        spans = [s.start for s in (self.gold, self.pred) if s is not None]
        return min(spans) if spans else 1 << 62  # spanless rows go last


@dataclass(frozen=True)
class FigureRow:
    status: RecordStatus
    gold: Figure | None
    pred: Figure | None
    credit: float
    mismatch: tuple[str, ...] = ()  # value, unit, victim: what an aligned pair got wrong
    non_casualty: NonCasualty | None = None  # the annotated number a spurious figure sits on


@dataclass(frozen=True)
class RelationRow:
    status: RecordStatus
    gold: Relation | None
    pred: Relation | None
    credit: float  # who-said-what: 1 when aligned with the right source
    overlap: int = 0  # content word tokens shared
    gold_words: int = 0
    pred_words: int = 0
    same_cue: bool = False
    source_check: str = ""  # the heads the scorer compared, and why the source counted right or wrong


@dataclass(frozen=True)
class DocumentAlignment:
    """One article's items per task; a task the record did not score is None."""

    document: Document
    ner: tuple[MentionRow, ...] | None = None
    figures: tuple[FigureRow, ...] | None = None
    relations: tuple[RelationRow, ...] | None = None


_ERROR_STATUS = {
    ErrorKind.MISSED: SpanStatus.MISSED,
    ErrorKind.SPURIOUS: SpanStatus.SPURIOUS,
    ErrorKind.BOUNDARY: SpanStatus.BOUNDARY,
    ErrorKind.TYPE: SpanStatus.TYPE,
    ErrorKind.BOUNDARY_TYPE: SpanStatus.BOUNDARY_TYPE,
}


def ner_rows(document: Document, gold: NerGold, items: Sequence[Any], label_map: LabelMap, where: str) -> tuple[MentionRow, ...]:
    """Every NER span of a document in the label space the predictions were scored in."""
    from bench.tasks.ner.matching import align_spans
    from bench.tasks.ner.task import prepare

    prepared = prepare(document, gold, items, label_map, where)
    alignment = align_spans(prepared.gold, prepared.pred)
    rows = [MentionRow(SpanStatus.CORRECT, span, span) for span in alignment.correct]
    rows += [MentionRow(_ERROR_STATUS[e.kind], e.gold, e.pred) for e in alignment.errors]
    rows += [MentionRow(SpanStatus(why.value), None, None, text, label) for text, label, why in prepared.unplaced]
    return tuple(sorted(rows, key=lambda r: (r.start, r.gold is None)))


def _figure_start(row: FigureRow) -> int:
    figure = row.gold or row.pred
    start = figure.quantity.span.start
    return 1 << 62 if start is None else start


def figure_rows(document: Document, gold: CasualtyGold, items: Sequence[Any], where: str) -> tuple[FigureRow, ...]:
    """Every casualty figure of a document, aligned by the scorer's `align`."""
    from bench.tasks.casualties.scoring import align, on_negative
    from bench.tasks.casualties.task import prepare

    prepared = prepare(document, gold, items, where)
    pairs, missed, spurious = align(prepared.gold, prepared.pred)
    rows = []
    for p in pairs:
        status = RecordStatus.CORRECT if p.credit == 1 else RecordStatus.PARTIAL_CREDIT if p.credit > 0 else RecordStatus.NO_CREDIT
        rows.append(FigureRow(status, p.gold, p.pred, p.credit, tuple(p.mismatches())))
    rows += [FigureRow(RecordStatus.MISSED, g, None, 0.0) for g in missed]
    for f in spurious:
        negative = on_negative(f, prepared.negatives)
        status = RecordStatus.SPURIOUS if negative is None else RecordStatus.SPURIOUS_ON_NEGATIVE
        rows.append(FigureRow(status, None, f, 0.0, non_casualty=negative))
    rows += [FigureRow(RecordStatus(why.value), None, f, 0.0) for f, why in prepared.unplaced]
    return tuple(sorted(rows, key=lambda r: (_figure_start(r), r.gold is None)))


def _relation_start(row: RelationRow) -> int:
    relation = row.gold or row.pred
    start = relation.content[0].start
    return 1 << 62 if start is None else start


def relation_rows(document: Document, gold: AttributionGold, items: Sequence[Any], where: str) -> tuple[RelationRow, ...]:
    """Every attribution relation of a document, aligned by the scorer's `align`."""
    from bench.tasks.attribution.scoring import align, judge_source
    from bench.tasks.attribution.task import prepare

    prepared = prepare(document, gold, items, where)
    names = prepared.entity_names
    pairs, missed, spurious = align(document, prepared.gold, prepared.pred, names)
    rows = []
    for p in pairs:
        judgement = judge_source(p.gold, p.pred, names)
        right = judgement.right
        same_cue = (p.gold.cue.start, p.gold.cue.end) == (p.pred.cue.start, p.pred.cue.end)
        status = RecordStatus.CORRECT if right else RecordStatus.WRONG_SOURCE
        check = f"gold {judgement.gold}; compared {judgement.compared}: {judgement.why}"
        rows.append(RelationRow(status, p.gold, p.pred, float(right), p.overlap, p.gold_words, p.pred_words, same_cue, check))
    rows += [RelationRow(RecordStatus.MISSED, g, None, 0.0) for g in missed]
    rows += [RelationRow(RecordStatus.SPURIOUS, None, r, 0.0) for r in spurious]
    rows += [RelationRow(RecordStatus.UNGROUNDED, None, r, 0.0) for r in prepared.ungrounded]
    return tuple(sorted(rows, key=lambda r: (_relation_start(r), r.gold is None)))


def align_documents(inputs: ReportInputs) -> tuple[DocumentAlignment, ...]:
    """Per article, the aligned items of every task in the record."""
    scored = {t.name for t in inputs.tasks}
    out = []
    for doc_id, document in inputs.corpus.items():
        prediction = inputs.predictions.predictions.get(doc_id)
        where = inputs.predictions.where.get(doc_id, f"document {doc_id}")
        items = {task: () if prediction is None else prediction.for_task(task) for task in scored}
        gold = {task: inputs.gold[task][doc_id] for task in scored}
        ner = figures = relations = None
        if TaskName.NER in scored:
            from bench.tasks.ner.labels import identity_map

            ner = ner_rows(document, gold[TaskName.NER], items[TaskName.NER], inputs.label_maps.get(TaskName.NER) or identity_map(), where)
        if TaskName.CASUALTIES in scored:
            figures = figure_rows(document, gold[TaskName.CASUALTIES], items[TaskName.CASUALTIES], where)
        if TaskName.ATTRIBUTION in scored:
            relations = relation_rows(document, gold[TaskName.ATTRIBUTION], items[TaskName.ATTRIBUTION], where)
        out.append(DocumentAlignment(document, ner, figures, relations))
    return tuple(out)
