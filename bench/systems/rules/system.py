"""`rules`: the model-free baseline for NER, casualty figures and attribution.

Where it sits: stage 3, systems. NER (capitalisation, a generic gazetteer, context cues):
the rules are listed in `bench.systems.rules.ner`; the gazetteer is
`bench/systems/rules/gazetteer.json`, loaded once (lazily, through importlib.resources)
the first time the system predicts. Casualty figures (count phrases, hedges, outcome
cues, false-alarm filters, victim categories): the rules are listed in
`bench.systems.rules.casualties`, written blind (1.3.0 on); `rules@1.2.0` keeps the
earlier rules of `casualties_annotator`, written by the annotator of the casualty annotations. Attribution
(quotes, cue lexicon, "according to", subject heuristic, nesting): the rules are listed
in `bench.systems.rules.attribution`.
"""

from __future__ import annotations

from typing import Sequence

from bench.systems.rules import attribution as rules_attribution
from bench.systems.rules.casualties import extract
from bench.systems.rules.casualties_annotator import extract as annotator_extract
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
    # 1.1.0: casualty figures; 1.2.0: attribution; 1.3.0: casualty rules written blind
    # (`casualties.py`); NER rules unchanged since 1.0.0, attribution since 1.2.0.
    version = "1.3.0 (casualty rules written blind)"
    tasks = frozenset({TaskName.NER, TaskName.CASUALTIES, TaskName.ATTRIBUTION})

    def __init__(self, annotator_casualties: bool = False) -> None:
        """`annotator_casualties`: the casualty rules of 1.2.0, written by the annotator of the casualty annotations
        (`casualties_annotator.py`), to reproduce that row (`rules@1.2.0`)."""
        self._gazetteer: Gazetteer | None = None
        self._casualties = annotator_extract if annotator_casualties else extract
        if annotator_casualties:
            self.version = "1.2.0 (casualty rules by their annotator)"

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
                TaskName.CASUALTIES: tuple(self._casualties(doc)),
                TaskName.ATTRIBUTION: tuple(rules_attribution.extract(doc)),
            }
            out.append(DocumentPrediction(doc.id, items))
        return out


def create() -> RulesSystem:
    return RulesSystem()


def create_1_2_0() -> RulesSystem:
    """The rules of 1.2.0: their casualty rules were written by the annotator of the casualty annotations."""
    return RulesSystem(annotator_casualties=True)
