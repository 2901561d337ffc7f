"""The NER task object: what the harness, `bench validate` and `bench score` call.

Predictions go through three steps before scoring, each failing loudly with the
file and line (or system and document) it came from:
1. the label map turns system labels into gold (or CoNLL) labels; an unmapped label
   is an error, a label mapped to None is ignored on purpose;
2. offset predictions are checked: in range, and `text`, when given, must match;
3. text-only predictions are grounded in the article (`grounding.py`), or inside
   their `window` only when they carry one.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, Document
from bench.errors import PredictionError
from bench.tasks.score import TaskScore
from bench.tasks.base import Problem, ScoringContext, packaged_json
from bench.tasks.ner import gold as ner_gold
from bench.tasks.grounding import ground
from bench.tasks.ner.labels import LabelMap, LabelView, accepting_hint, identity_map, load_label_map, named_label_maps, project
from bench.tasks.alignment import DocumentAlignment
from bench.tasks.ner.alignment import PRESENTATION, align_rows
from bench.tasks.ner.export import CARD, TABLES
from bench.tasks.ner.llm import PROTOCOL
from bench.tasks.ner.metrics import CATALOGUE
from bench.tasks.ner.variants import VARIANTS
from bench.tasks.ner.scoring import SCORER_VERSION, DocumentInput, score
from bench.tasks.ner.types import NerGold, PredictedMention, Span
from bench.tasks.spans import check_predicted_span, check_window


class NerTask:
    name = "ner"
    predictions_key = "ner"
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

    def label_map_schema(self) -> dict[str, Any] | None:
        return packaged_json(__package__, "label_map.schema.json")

    def read_label_map(self, raw: Any) -> LabelMap:
        return LabelMap.from_json(raw)

    def load_label_map(self, spec: str) -> LabelMap:
        return load_label_map(spec)

    def find_label_map(self, name: str) -> LabelMap | None:
        return next((m for key, m in named_label_maps().items() if name in (key, m.name)), None)

    def check_gold(self, root: Path, corpus: Corpus) -> list[Problem]:
        return ner_gold.check_gold(root, corpus)

    def load_gold(self, root: Path, corpus: Corpus) -> dict[str, NerGold]:
        return ner_gold.load_gold(root, corpus)

    def gold_as_predictions(self, gold: NerGold) -> tuple[PredictedMention, ...]:
        return tuple(PredictedMention(gold.label_of(m), m.start, m.end, m.text) for m in gold.mentions)

    def parse_predictions(self, raw: Any, document: Document, where: str) -> tuple[PredictedMention, ...]:
        """JSON items (already schema-checked) -> PredictedMention."""
        return tuple(PredictedMention(item["label"], item.get("start"), item.get("end"), item.get("text"), _window(item.get("window"))) for item in raw)

    def score(self, corpus: Corpus, gold: Mapping[str, NerGold], predictions: Mapping[str, Sequence[PredictedMention]], context: ScoringContext = ScoringContext()) -> TaskScore:
        label_map = context.label_maps.get(self.name) or identity_map()
        check_labels(gold, predictions, label_map, context.where)
        inputs = {}
        for doc_id, doc_gold in gold.items():
            inputs[doc_id] = prepare(corpus[doc_id], doc_gold, predictions.get(doc_id, ()), label_map, context.place(doc_id))
        return score(corpus, inputs, label_map.space, context.keep_rows)

    def align(self, document: Document, gold: NerGold, predictions: Sequence[PredictedMention], context: ScoringContext = ScoringContext()) -> DocumentAlignment:
        label_map = context.label_maps.get(self.name) or identity_map()
        check_labels({document.id: gold}, {document.id: predictions}, label_map, context.where)
        prepared = prepare(document, gold, predictions, label_map, context.place(document.id))
        view = label_map.space
        return DocumentAlignment(document.id, align_rows(prepared.gold, prepared.pred, prepared.unplaced), view.value, view.labels)


def check_labels(gold: Mapping[str, NerGold], predictions: Mapping[str, Sequence[PredictedMention]], label_map: LabelMap, where: Mapping[str, str]) -> None:
    """Every predicted label is in the map; the error names the built-in maps that know them all."""
    labels = {item.label for doc_id in gold for item in predictions.get(doc_id, ()) if isinstance(item.label, str)}
    if label_map.first_unknown(sorted(labels)) is None:
        return
    for doc_id in gold:
        for i, item in enumerate(predictions.get(doc_id, ())):
            if isinstance(item.label, str) and item.label not in label_map.mapping:
                place = f"{where.get(doc_id, f'document {doc_id}')}: ner[{i}]"
                known = ", ".join(sorted(label_map.mapping))
                raise PredictionError(
                    f"{place}: unknown NER label {item.label!r} (label map {label_map.name!r} knows: {known}){accepting_hint(labels)}"
                )


def _window(raw: Any) -> tuple[int, int] | None:
    return None if raw is None else (raw[0], raw[1])


def prepare(document: Document, gold: NerGold, items: Sequence[PredictedMention], label_map: LabelMap, where: str) -> DocumentInput:
    gold_spans = gold.spans()
    if label_map.space is LabelView.CONLL:
        gold_spans = tuple(Span(s.start, s.end, project(s.label, LabelView.CONLL)) for s in gold_spans)
    spans: list[Span] = []
    text_only: list[tuple[str, str]] = []
    windows: list[tuple[int, int] | None] = []
    for i, item in enumerate(items):
        place = f"{where}: ner[{i}]"
        if not isinstance(item.label, str):
            raise PredictionError(f"{place}: label must be a string, got {item.label!r}")
        label = label_map.apply(item.label, place)
        if item.start is not None or item.end is not None:
            check_predicted_span(document, item.start, item.end, item.text, place)
            if label is not None:
                spans.append(Span(item.start, item.end, label))
        elif isinstance(item.text, str) and item.text.strip():
            check_window(document, item.window, place)
            if label is not None:
                text_only.append((item.text, label))
                windows.append(item.window)
        else:
            raise PredictionError(f"{place}: a mention needs start and end, or a non-empty text")
    unplaced = []
    for grounded in ground(document, text_only, gold_spans, taken=tuple(spans), windows=windows):
        if grounded.span is None:
            unplaced.append((grounded.text, grounded.label, grounded.unplaced))
        else:
            spans.append(grounded.span)
    return DocumentInput(gold_spans, tuple(spans), tuple(unplaced))
