"""NER alignment: every span of one document, in one label view, as a row with its status.

Where it sits: stage 2, the NER task (`bench/tasks/ner/`). The strict matches come
first, then every other span classified by `matching.align_spans` (missed, spurious,
boundary, type, boundary and type), then the text-only predictions that found no place
(ungrounded, surplus). The scorer counts strict P/R/F1, the per-label and per-sentence
counts and the error list from these rows; the report draws them, spans on the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from bench.tasks.alignment import NOWHERE, Layout, Mark, Presentation, Shown, Status, Verdict
from bench.tasks.grounding import Unplaced
from bench.tasks.ner.matching import ErrorKind, Scheme, SchemeCounts, SpanAlignment, align_and_match, align_spans
from bench.tasks.ner.types import Span


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


PRESENTATION = Presentation(
    title="Named entities",
    what="NER",
    layout=Layout.TEXT,
    statuses=(
        Status("correct", "correct", Verdict.CORRECT),
        Status("missed", "missed", Verdict.MISSED, "a gold span with no prediction over it"),
        Status("spurious", "spurious", Verdict.SPURIOUS, "a prediction over no gold span"),
        Status("boundary", "boundary", Verdict.WRONG, "overlaps the gold span with the same label, other boundaries"),
        Status("type", "type", Verdict.WRONG, "the gold span with another label"),
        Status("boundary_and_type", "boundary+type", Verdict.WRONG, "overlaps the gold span, other boundaries and another label"),
        Status("ungrounded", "ungrounded", Verdict.UNPLACED, "a text-only prediction not found in the article"),
        Status("surplus", "surplus", Verdict.UNPLACED, "a text-only prediction repeated more often than the article has it"),
    ),
)


@dataclass(frozen=True, slots=True)
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
        return min(spans) if spans else NOWHERE

    @property
    def credit(self) -> float:
        return 1.0 if self.status is SpanStatus.CORRECT else 0.0

    def shown(self, presentation: Presentation) -> Shown:
        return Shown(presentation.status(self.status.value), self.credit, _mark(self.gold), _mark(self.pred), self.text, self.label)


def _mark(span: Span | None) -> Mark | None:
    return None if span is None else Mark(span.start, span.end, span.label)


_ERROR_STATUS = {
    ErrorKind.MISSED: SpanStatus.MISSED,
    ErrorKind.SPURIOUS: SpanStatus.SPURIOUS,
    ErrorKind.BOUNDARY: SpanStatus.BOUNDARY,
    ErrorKind.TYPE: SpanStatus.TYPE,
    ErrorKind.BOUNDARY_TYPE: SpanStatus.BOUNDARY_TYPE,
}


def align_rows(gold: Sequence[Span], pred: Sequence[Span], unplaced: Sequence[tuple[str, str, Unplaced]] = ()) -> tuple[MentionRow, ...]:
    """The rows of one document in one view: strict matches, classified errors (by
    position), then unplaced text-only predictions (text, label, why)."""
    return _rows(align_spans(gold, pred), unplaced)


def align_rows_and_schemes(gold: Sequence[Span], pred: Sequence[Span], unplaced: Sequence[tuple[str, str, Unplaced]] = ()) -> tuple[tuple[MentionRow, ...], dict[Scheme, SchemeCounts]]:
    """`align_rows` and the four schemes' counts (`matching.match_schemes`) of one
    document in one view, from one pass over its overlap groups (`matching.align_and_match`)."""
    alignment, schemes = align_and_match(gold, pred)
    return _rows(alignment, unplaced), schemes


def _rows(alignment: SpanAlignment, unplaced: Sequence[tuple[str, str, Unplaced]]) -> tuple[MentionRow, ...]:
    correct = SpanStatus.CORRECT
    rows = [MentionRow(correct, span, span) for span in alignment.correct]
    rows += [MentionRow(_ERROR_STATUS[e.kind], e.gold, e.pred) for e in alignment.errors]
    rows += [MentionRow(SpanStatus(why.value), None, None, text, label) for text, label, why in unplaced]
    return tuple(rows)
