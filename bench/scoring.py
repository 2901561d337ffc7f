"""Score your own entity spans: plain `(doc_id, start, end, label)` tuples in, counts out.

Where it sits: beside the pipeline, for people who have their own gold and predictions
and want this benchmark's NER scorer without its articles. It uses the same matching as
`bench eval` (`bench.tasks.ner.matching`): the four SemEval-2013 schemes (strict, exact,
partial, type) from an optimal one-to-one pairing of overlapping spans, and the same
error classes. No `Corpus`, article text or label view is needed, and nothing heavy is
imported until you score.

    from bench.scoring import score_spans
    result = score_spans(gold=[("d1", 0, 5, "PER")], pred=[("d1", 0, 5, "PER")])
    result.overall["strict"].f1        # 1.0
    result.per_label["PER"]["partial"]  # SchemeScore(correct=1, ...)

Counts add up: `overall` is the sum of `per_document`, and P/R/F1 come from the summed
counts, with partial credit kept (credit = correct + 0.5 * partial).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from bench.tasks.ner.matching import ErrorKind, Scheme, SchemeCounts, align_spans, match_schemes
from bench.tasks.ner.types import Span

__all__ = ["Scheme", "ErrorKind", "SchemeScore", "SpanError", "SpanScores", "score_spans"]

SpanTuple = tuple[str, int, int, str]  # (doc_id, start, end, label); [start, end) offsets


@dataclass(frozen=True, slots=True)
class SchemeScore:
    """Counts under one scheme, and the precision, recall and F1 they give.

    possible = gold spans, actual = predicted spans; credit = correct + 0.5 * partial
    (partial is 0 outside the partial scheme). Nothing to find and nothing predicted is 1.0.
    """

    correct: int
    incorrect: int
    partial: int
    missed: int
    spurious: int
    possible: int
    actual: int
    precision: float
    recall: float
    f1: float

    @classmethod
    def of(cls, c: SchemeCounts) -> "SchemeScore":
        return cls(c.correct, c.incorrect, c.partial, c.missed, c.spurious, c.possible, c.actual, c.precision, c.recall, c.f1)

    def to_json(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.__slots__}


@dataclass(frozen=True, slots=True)
class SpanError:
    """A gold or predicted span that is not a strict match, classified (see `ErrorKind`)."""

    doc_id: str
    kind: ErrorKind
    gold: SpanTuple | None
    pred: SpanTuple | None

    def to_json(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "kind": self.kind.value, "gold": self.gold and list(self.gold), "pred": self.pred and list(self.pred)}


ByScheme = Mapping[str, SchemeScore]  # keyed by the scheme's name: strict, exact, partial, type


@dataclass(frozen=True)
class SpanScores:
    """Every scheme, overall, per label and per document, and the error list.

    `per_label[L]` scores the gold and predicted spans labelled L alone, so there a
    prediction with another label is not `incorrect` but spurious for its own label.
    """

    overall: ByScheme
    per_label: Mapping[str, ByScheme]
    per_document: Mapping[str, ByScheme]
    errors: tuple[SpanError, ...]

    def to_json(self) -> dict[str, Any]:
        def table(by: ByScheme) -> dict[str, Any]:
            return {name: s.to_json() for name, s in by.items()}

        return {
            "overall": table(self.overall),
            "per_label": {label: table(by) for label, by in self.per_label.items()},
            "per_document": {doc: table(by) for doc, by in self.per_document.items()},
            "errors": [e.to_json() for e in self.errors],
        }


def _read(spans: Iterable[SpanTuple], which: str) -> dict[str, list[Span]]:
    """Spans grouped by document, each checked; a bad one raises ValueError naming it."""
    out: dict[str, list[Span]] = defaultdict(list)
    for n, item in enumerate(spans):
        try:
            doc_id, start, end, label = item
        except (TypeError, ValueError):
            raise ValueError(f"{which}[{n}]: expected (doc_id, start, end, label), got {item!r}") from None
        if not isinstance(doc_id, str) or not isinstance(label, str):
            raise ValueError(f"{which}[{n}]: doc_id and label must be strings, got {item!r}")
        if not all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end)) or not 0 <= start < end:
            raise ValueError(f"{which}[{n}]: start and end must be integers with 0 <= start < end, got {item!r}")
        out[doc_id].append(Span(start, end, label))
    return out


def _by_scheme(counts: Mapping[Scheme, SchemeCounts]) -> dict[str, SchemeScore]:
    return {scheme.value: SchemeScore.of(counts[scheme]) for scheme in Scheme}


def _tuple(doc_id: str, span: Span | None) -> SpanTuple | None:
    return None if span is None else (doc_id, span.start, span.end, span.label)


def score_spans(gold: Iterable[SpanTuple], pred: Iterable[SpanTuple], *, errors: bool = True) -> SpanScores:
    """Score predicted spans against gold spans under all four schemes.

    `gold` and `pred` are iterables of `(doc_id, start, end, label)` with integer offsets,
    0 <= start < end, in any order; identical predictions count separately. A document
    that only one side names counts too (all missed, or all spurious). `errors=False`
    skips the error list. Raises ValueError naming the first malformed tuple.
    """
    gold_docs, pred_docs = _read(gold, "gold"), _read(pred, "pred")
    zero = SchemeCounts()
    overall = {scheme: zero for scheme in Scheme}
    per_label: dict[str, dict[Scheme, SchemeCounts]] = {}
    per_document: dict[str, dict[str, SchemeScore]] = {}
    found: list[SpanError] = []
    for doc_id in sorted(set(gold_docs) | set(pred_docs)):
        g, p = gold_docs.get(doc_id, []), pred_docs.get(doc_id, [])
        counts = match_schemes(g, p)
        per_document[doc_id] = _by_scheme(counts)
        overall = {scheme: overall[scheme] + counts[scheme] for scheme in Scheme}
        for label in sorted({s.label for s in g} | {s.label for s in p}):
            by_label = match_schemes([s for s in g if s.label == label], [s for s in p if s.label == label])
            held = per_label.setdefault(label, {scheme: zero for scheme in Scheme})
            per_label[label] = {scheme: held[scheme] + by_label[scheme] for scheme in Scheme}
        if errors:
            found += [SpanError(doc_id, e.kind, _tuple(doc_id, e.gold), _tuple(doc_id, e.pred)) for e in align_spans(g, p).errors]
    return SpanScores(
        overall=_by_scheme(overall),
        per_label={label: _by_scheme(per_label[label]) for label in sorted(per_label)},
        per_document=per_document,
        errors=tuple(found),
    )
