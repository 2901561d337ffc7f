"""`rules`: the model-free baseline for NER and casualty figures.

NER (capitalisation, a generic gazetteer, context cues): the rules are listed in
`bench.systems.rules.ner`; the gazetteer is `bench/systems/rules/gazetteer.json`, loaded once (lazily,
through importlib.resources) the first time the system predicts.
Casualty figures (count phrases, outcome cues, crowd filter, victim heuristic): the
rules are listed in `bench.systems.rules.casualties`. Attribution (quotes, cue lexicon,
"according to", subject heuristic, nesting): the rules are listed in
`bench.systems.rules.attribution`.
"""

from __future__ import annotations

from typing import Sequence

from bench.systems.rules import attribution as rules_attribution
from bench.systems.rules.casualties import extract
from bench.systems.rules.ner import Gazetteer, load_gazetteer, tag
from bench.documents.corpus import Document
from bench.systems.base import DocumentPrediction
from bench.tasks.registry import TaskName
from bench.tasks.ner.types import PredictedMention


class RulesSystem:
    """Deterministic rule-based NER and casualty-figure extraction.

    `version` names the rules and the gazetteer: any change to either (a rule, a cue
    word, a gazetteer entry) bumps it, so results from different rule sets never mix.
    """

    name = "rules"
    version = "1.2.0"  # 1.1.0: casualty figures; 1.2.0: attribution; NER rules unchanged since 1.0.0
    tasks = frozenset({TaskName.NER, TaskName.CASUALTIES, TaskName.ATTRIBUTION})

    def __init__(self) -> None:
        self._gazetteer: Gazetteer | None = None

    @property
    def gazetteer(self) -> Gazetteer:
        if self._gazetteer is None:
            self._gazetteer = load_gazetteer()
        return self._gazetteer

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        out = []
        for doc in documents:
            mentions = tuple(
                PredictedMention(label, start, end, doc.text[start:end])
                for start, end, label in tag(doc.text, self.gazetteer)
            )
            items = {
                TaskName.NER: mentions,
                TaskName.CASUALTIES: tuple(extract(doc)),
                TaskName.ATTRIBUTION: tuple(rules_attribution.extract(doc)),
            }
            out.append(DocumentPrediction(doc.id, items))
        return out


def create() -> RulesSystem:
    return RulesSystem()
