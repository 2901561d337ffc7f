"""The attribution task object: what the harness, `bench validate` and `bench score` call.

Predictions are `Relation`s. Before scoring, each document's relations are checked (ids
unique, parents that exist, no cycles, content present, offsets matching their text).
Text-only spans are grounded: content at its occurrences in the article (a gold content
span first, then the first in the text; content is never "used up", because nested
relations share content), the cue at the occurrence nearest the content and outside it. A span
with a `window` (the passage an LLM was shown) is grounded inside it only. A relation
whose content does not ground is a false positive, counted as `ungrounded`.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, Document
from bench.errors import PredictionError
from bench.tasks.score import TaskScore
from bench.tasks.attribution import gold as attribution_gold
from bench.tasks.attribution.gold import AttributionGold
from bench.tasks.alignment import DocumentAlignment
from bench.tasks.attribution.alignment import PRESENTATION
from bench.tasks.attribution.export import CARD, TABLES
from bench.tasks.attribution.llm import PROTOCOL
from bench.tasks.attribution.metrics import CATALOGUE
from bench.tasks.attribution.placing import ground_content, ground_cue
from bench.tasks.attribution.variants import VARIANTS
from bench.tasks.attribution.scoring import SCORER_VERSION, DocumentInput, score
from bench.tasks.attribution.types import Mode, Relation, Source, SourceType
from bench.tasks.base import NoLabelMaps, Problem, ScoringContext, packaged_json
from bench.tasks.registry import TaskName
from bench.tasks.casualties.types import TextSpan
from bench.tasks.spans import check_predicted_span, check_window


def _span(raw: Mapping[str, Any]) -> TextSpan:
    window = raw.get("window")
    return TextSpan(raw.get("start"), raw.get("end"), raw.get("text"), window=None if window is None else (window[0], window[1]))


def relation_from_json(raw: Mapping[str, Any]) -> Relation:
    """One predictions-file record (already schema-checked) -> Relation."""
    source = raw["source"]
    span = _span(source) if "text" in source or "start" in source else None
    return Relation(
        id=raw["id"],
        source=Source(span, SourceType(source["type"])),
        cue=_span(raw["cue"]),
        content=tuple(_span(c) for c in raw["content"]),
        mode=Mode(raw["mode"]),
        parent=raw.get("parent"),
    )


class AttributionTask(NoLabelMaps):
    name = "attribution"
    predictions_key = "attributions"
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
        return attribution_gold.check_gold(root, corpus)

    def load_gold(self, root: Path, corpus: Corpus) -> dict[str, AttributionGold]:
        return attribution_gold.load_gold(root, corpus)

    def gold_as_predictions(self, gold: AttributionGold) -> tuple[Relation, ...]:
        return tuple(replace(r, source=replace(r.source, entity=None, head=None), figures=()) for r in gold.relations)

    def parse_predictions(self, raw: Any, document: Document, where: str) -> tuple[Relation, ...]:
        relations = tuple(relation_from_json(item) for item in raw)
        check_relations(document, relations, where)
        return relations

    def score(self, corpus: Corpus, gold: Mapping[str, AttributionGold], predictions: Mapping[str, Sequence[Relation]], context: ScoringContext = ScoringContext()) -> TaskScore:
        inputs = {
            doc_id: prepare(corpus[doc_id], doc_gold, predictions.get(doc_id, ()), context.place(doc_id))
            for doc_id, doc_gold in gold.items()
        }
        return score(corpus, inputs, with_figures=TaskName.CASUALTIES in context.evaluated, keep_rows=context.keep_rows)

    def align(self, document: Document, gold: AttributionGold, predictions: Sequence[Relation], context: ScoringContext = ScoringContext()) -> DocumentAlignment:
        return DocumentAlignment(document.id, prepare(document, gold, predictions, context.place(document.id)).rows(document))


def _check_span(document: Document, span: TextSpan, place: str) -> None:
    check_predicted_span(document, span.start, span.end, span.text, place)
    check_window(document, span.window, place)


def check_relations(document: Document, relations: Sequence[Relation], where: str) -> None:
    """Raise PredictionError naming `where` and the record for relations that cannot be scored."""
    ids: dict[str, int] = {}
    for i, r in enumerate(relations):
        place = f"{where}: attributions[{i}]"
        if not isinstance(r, Relation):
            raise PredictionError(f"{place}: expected an attribution Relation, got {type(r).__name__}")
        for enum, value, name in ((SourceType, r.source.type, "source type"), (Mode, r.mode, "mode")):
            if not isinstance(value, enum):
                raise PredictionError(f"{place}: unknown {name} {value!r}; one of {', '.join(e.value for e in enum)}")
        if not isinstance(r.id, str) or not r.id:
            raise PredictionError(f"{place}: id must be a non-empty string")
        if r.id in ids:
            raise PredictionError(f"{place}: id {r.id!r} again (also attributions[{ids[r.id]}])")
        ids[r.id] = i
        if not r.content:
            raise PredictionError(f"{place}: content needs at least one span")
        for k, span in enumerate(r.content):
            _check_span(document, span, f"{place}.content[{k}]")
        _check_span(document, r.cue, f"{place}.cue")
        if r.source.span is not None:
            _check_span(document, r.source.span, f"{place}.source")
    by_id = {r.id: r for r in relations}
    for i, r in enumerate(relations):
        place = f"{where}: attributions[{i}]"
        if r.parent is None:
            continue
        if r.parent not in by_id:
            raise PredictionError(f"{place}.parent: {r.parent!r} is not the id of a relation in this document")
        seen, node = {r.id}, r.parent
        while node is not None:
            if node in seen:
                raise PredictionError(f"{place}.parent: parents form a cycle through {node!r}")
            seen.add(node)
            node = by_id[node].parent


def prepare(document: Document, gold: AttributionGold, items: Sequence[Relation], where: str) -> DocumentInput:
    check_relations(document, items, where)
    gold_spans = [s for r in gold.relations for s in r.content]
    placed, ungrounded = [], []
    for r in items:
        content = [c for c in (ground_content(document, s, gold_spans) for s in r.content) if c is not None]
        if not content:
            ungrounded.append(r)
            continue
        content.sort(key=lambda s: (s.start, s.end))
        source = r.source
        if source.span is not None and source.span.start is not None:  # offsets alone: the scorer compares the text
            source = replace(source, span=TextSpan(source.span.start, source.span.end, document.text[source.span.start : source.span.end]))
        placed.append(replace(r, source=source, content=tuple(content), cue=ground_cue(document, r.cue, content)))
    return DocumentInput(tuple(gold.relations), tuple(placed), tuple(ungrounded), gold.figures, gold.entity_names)
