"""The casualty-figure task object: what the harness, `bench validate` and `bench score` call.

Predictions are `Figure`s. Before scoring, each is checked (bounds: 0 <= low <= high;
offsets in range and matching their text), and a figure whose quantity has only text
is grounded in the article (or inside its `window` only, when it has one) by the NER
grounding policy, with its outcome in place of the label (`bench.tasks.grounding`). Failures name the file and line (or the
system and document) and the record.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, Document
from bench.errors import PredictionError
from bench.tasks.score import TaskScore
from bench.tasks.base import NoLabelMaps, Problem, ScoringContext, packaged_json
from bench.tasks.casualties import gold as casualty_gold
from bench.tasks.alignment import DocumentAlignment
from bench.tasks.casualties.alignment import PRESENTATION
from bench.tasks.casualties.export import CARD, TABLES
from bench.tasks.casualties.llm import PROTOCOL
from bench.tasks.casualties.metrics import CATALOGUE
from bench.tasks.casualties.variants import VARIANTS
from bench.tasks.casualties.scoring import SCORER_VERSION, DocumentInput, score
from bench.tasks.casualties.types import Bounds, CasualtyGold, Figure, Kind, Outcome, Quantity, TextSpan, Unit, VictimCategory
from bench.tasks.grounding import ground
from bench.tasks.ner.types import Span
from bench.tasks.spans import check_predicted_span, check_window, is_int


def _span(raw: Mapping[str, Any] | None) -> TextSpan | None:
    if raw is None:
        return None
    return TextSpan(raw.get("start"), raw.get("end"), raw.get("text"), raw.get("entity"))


def _window(raw: Any) -> tuple[int, int] | None:
    return None if raw is None else (raw[0], raw[1])


def figure_from_json(raw: Mapping[str, Any]) -> Figure:
    """One predictions-file record (already schema-checked) -> Figure."""
    q = raw["quantity"]
    victim = raw["victim"]
    return Figure(
        quantity=Quantity(
            TextSpan(q.get("start"), q.get("end"), q.get("text"), window=_window(q.get("window"))),
            Bounds(Kind(q["kind"]), q["low"], q["high"], q.get("point")),
            q.get("qualifier"),
            q.get("vague_term"),
        ),
        outcome=Outcome(raw["outcome"]),
        unit=Unit(raw["unit"]),
        victim_category=VictimCategory(victim["category"]),
        victim=_span({k: v for k, v in victim.items() if k != "category"} or None),
        perpetrator=_span(raw.get("perpetrator")),
        location=_span(raw.get("location")),
        time=_span(raw.get("time")),
        in_headline=raw.get("in_headline"),
    )


class CasualtyTask(NoLabelMaps):
    name = "casualties"
    predictions_key = "casualties"
    scorer_version = SCORER_VERSION
    headline = CATALOGUE.headline.name
    presentation = PRESENTATION
    catalogue = CATALOGUE
    llm = PROTOCOL  # how an LLM is asked for it (bench.tasks.llm)
    export = TABLES  # its tables in `bench export` (bench.tasks.exporting)
    card = CARD  # what the exported dataset card says about it (bench.tasks.exporting.TaskCard)
    variants = VARIANTS  # how its gold follows a variant's edits (bench.variants)

    def gold_schema(self) -> dict[str, Any]:
        return packaged_json(__package__, "gold.schema.json")

    def predictions_schema(self) -> dict[str, Any]:
        return packaged_json(__package__, "predictions.schema.json")

    def check_gold(self, root: Path, corpus: Corpus) -> list[Problem]:
        return casualty_gold.check_gold(root, corpus)

    def load_gold(self, root: Path, corpus: Corpus) -> dict[str, CasualtyGold]:
        return casualty_gold.load_gold(root, corpus)

    def gold_as_predictions(self, gold: CasualtyGold) -> tuple[Figure, ...]:
        return tuple(replace(f, id=None, attribution=None) for f in gold.figures)

    def parse_predictions(self, raw: Any, document: Document, where: str) -> tuple[Figure, ...]:
        out = []
        for i, item in enumerate(raw):
            figure = figure_from_json(item)
            check_figure(document, figure, f"{where}: casualties[{i}]")
            out.append(figure)
        return tuple(out)

    def score(self, corpus: Corpus, gold: Mapping[str, CasualtyGold], predictions: Mapping[str, Sequence[Figure]], context: ScoringContext = ScoringContext()) -> TaskScore:
        inputs = {
            doc_id: prepare(corpus[doc_id], doc_gold, predictions.get(doc_id, ()), context.place(doc_id))
            for doc_id, doc_gold in gold.items()
        }
        return score(corpus, inputs, context.keep_rows)

    def align(self, document: Document, gold: CasualtyGold, predictions: Sequence[Figure], context: ScoringContext = ScoringContext()) -> DocumentAlignment:
        return DocumentAlignment(document.id, prepare(document, gold, predictions, context.place(document.id)).rows())


def check_figure(document: Document, figure: Figure, place: str) -> None:
    """Raise PredictionError naming `place` for a figure that cannot be scored."""
    if not isinstance(figure, Figure):
        raise PredictionError(f"{place}: expected a casualties Figure, got {type(figure).__name__}")
    for enum, value, name in ((Outcome, figure.outcome, "outcome"), (Unit, figure.unit, "unit"), (VictimCategory, figure.victim_category, "victim category"), (Kind, figure.quantity.bounds.kind, "kind")):
        if not isinstance(value, enum):
            raise PredictionError(f"{place}: unknown {name} {value!r}; one of {', '.join(e.value for e in enum)}")
    b = figure.quantity.bounds
    if not is_int(b.low) or not (b.high is None or is_int(b.high)) or not (b.point is None or is_int(b.point)):
        raise PredictionError(f"{place}.quantity: low, high and point must be integers (high and point may be null), got low={b.low!r} high={b.high!r} point={b.point!r}")
    if b.low < 0 or (b.high is not None and b.high < 0) or (b.point is not None and b.point < 0):
        raise PredictionError(f"{place}.quantity: a count cannot be negative (low={b.low}, high={b.high}, point={b.point})")
    if b.high is not None and b.low > b.high:
        raise PredictionError(f"{place}.quantity: low {b.low} > high {b.high}")
    span = figure.quantity.span
    check_predicted_span(document, span.start, span.end, span.text, f"{place}.quantity")
    check_window(document, span.window, f"{place}.quantity")


def prepare(document: Document, gold: CasualtyGold, items: Sequence[Figure], where: str) -> DocumentInput:
    placed: list[Figure] = []
    text_only: list[Figure] = []
    for i, figure in enumerate(items):
        check_figure(document, figure, f"{where}: casualties[{i}]")
        (placed if figure.quantity.span.start is not None else text_only).append(figure)
    gold_spans = [Span(f.quantity.span.start, f.quantity.span.end, f.outcome.value) for f in gold.figures]
    taken = [Span(f.quantity.span.start, f.quantity.span.end, f.outcome.value) for f in placed]
    unplaced = []
    windows = [f.quantity.span.window for f in text_only]
    grounded = ground(document, [(f.quantity.span.text, f.outcome.value) for f in text_only], gold_spans, taken=taken, windows=windows)
    for figure, result in zip(text_only, grounded):
        if result.span is None:
            unplaced.append((figure, result.unplaced))
        else:
            span = TextSpan(result.span.start, result.span.end, document.text[result.span.start : result.span.end])
            placed.append(replace(figure, quantity=replace(figure.quantity, span=span)))
    return DocumentInput(tuple(gold.figures), tuple(placed), tuple(unplaced), tuple(gold.non_casualty))
