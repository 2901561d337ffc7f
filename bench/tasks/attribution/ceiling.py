"""The attribution ceiling: what a perfect model answers for one window (`bench.tasks.ceiling`).

Where it sits: stage 2, the attribution task; its LLM protocol's `ideal_answer` (llm.py)
calls `ideal_answer` here. A window owns the gold relations whose cue starts in its
passage (the prompt says to list no relation whose cue is only in the context). Each
is written as one answer record:

- content: one string, so a content of two spans, or one that runs past the text the
  window shows, or (prompts 1.3.0) over more than one sentence, can only be given in
  part. The ideal content is the candidate whose words, where the scorer grounds it,
  have the best F1 with the gold content's words: in free text any run from the first
  word of a gold span to the last word of one (or the longest prefix of a span that
  fits the character cap), in 1.3.0 any sentence prefix or suffix the enum offers. A
  relation whose best F1 is under the scorer's 0.5 cannot align and is left out.
- source: the gold source's words; where the enum (prompts 1.2.0 on) does not offer
  them, the longest offered phrase inside them that the scorer's head rule judges
  right, else any offered phrase it judges right (longest first), else it is left out.
  An agentless gold relation (no source in the text) cannot be given: the answer's
  source must be a non-empty string, and the scorer counts any source as wrong there.
- cue: the gold cue, or the longest offered phrase inside it; source type and mode as
  the gold has them; parent the local id of the parent relation when this window gives
  it too (nesting is not part of the headline).

A relation given with a content or source short of the gold's is `given` with its
reason (the content's reason first); who-said-what credit needs only a content F1 of
0.5 and the right source, so such a relation may still count in full.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Document
from bench.documents.tokenize import Token
from bench.documents.windows import Window
from bench.tasks.attribution.alignment import MIN_CONTENT_F1, content_f1, judge_source
from bench.tasks.attribution.gold import AttributionGold
from bench.tasks.attribution.placing import ground_content
from bench.tasks.attribution.types import Relation, Source
from bench.tasks.casualties.types import TextSpan
from bench.tasks.ceiling import NOT_A_PHRASE, OUTSIDE_WINDOW, OVER_CHARACTERS, OVER_ITEM_BOUND, IdealAnswer, IdealItem, owns, phrase_problem
from bench.tasks.copying import is_word
from bench.tasks.llm import AnswerFormat, choices

AGENTLESS = "agentless source (the answer needs one)"
SOURCE_OUTSIDE = "source outside the window"
MULTI_SENTENCE = "multi-sentence content"
MID_SENTENCE = "content neither a sentence's start nor its end"
DISCONTINUOUS = "discontinuous content"
CONTENT_OUTSIDE = "content outside the window"
CONTENT_TOO_LONG = "content longer than the character cap"


def ideal_answer(gold: AttributionGold, document: Document, window: Window, fmt: AnswerFormat) -> IdealAnswer:
    offered = choices(fmt, window, document)
    bound = fmt.bounds.max_items(window, document) if fmt.bounds is not None else None
    caps: Mapping[str, int] = fmt.bounds.max_chars if fmt.bounds is not None else {}
    gold_spans = [s for r in gold.relations for s in r.content]
    records: list[tuple[Relation, dict[str, Any]]] = []
    items: list[IdealItem] = []
    for relation in sorted((r for r in gold.relations if owns(window, r.cue.start)), key=lambda r: (r.cue.start, r.id)):
        if relation.source.span is None:
            items.append(IdealItem(relation.id, False, AGENTLESS))
            continue
        content, content_reason = _content(relation, document, window, fmt, caps.get("content"), gold_spans)
        if content is None:
            items.append(IdealItem(relation.id, False, content_reason))
            continue
        source, source_reason = _source(relation, document, window, fmt, None if offered is None else offered["source"], caps.get("source"), gold.entity_names)
        if source is None:
            items.append(IdealItem(relation.id, False, source_reason))
            continue
        if bound is not None and len(records) >= bound:
            items.append(IdealItem(relation.id, False, OVER_ITEM_BOUND))
            continue
        cue = _cue(relation, None if offered is None else offered["cue"], caps.get("cue"))
        records.append((relation, {"source": source, "source_type": relation.source.type.value, "cue": cue, "content": content, "mode": relation.mode.value}))
        items.append(IdealItem(relation.id, True, content_reason or source_reason))
    local = {relation.id: f"a{k}" for k, (relation, _) in enumerate(records, 1)}
    answer = [{"id": local[r.id], **record, "parent": local.get(r.parent) if r.parent else None} for r, record in records]
    return IdealAnswer(fmt.answer(answer), tuple(items))


def _words(document: Document, start: int, end: int) -> list[Token]:
    return [t for t in document.tokens if start <= t.start and t.end <= end and is_word(t.text)]


def _content(relation: Relation, document: Document, window: Window, fmt: AnswerFormat, cap: int | None, gold_spans: Sequence[TextSpan]) -> tuple[str | None, str | None]:
    """The best content string for the window, and why it is short of the gold's (or left out)."""
    lo, hi = window.ground_start, window.ground_end
    wanted = frozenset((t.start, t.end) for s in relation.content for t in _words(document, s.start, s.end))
    clauses = fmt.copy is not None and "content" in fmt.copy.clauses
    runs = _clause_runs(document, lo, hi, wanted) if clauses else _free_runs(document, relation, lo, hi, cap)
    offered = set(choices(fmt, window, document)["content"]) if clauses else None
    scored = []
    for first, last in runs:
        text = document.text[first.start : last.end]
        if (cap is not None and len(text) > cap) or (offered is not None and text not in offered):
            continue
        placed = ground_content(document, TextSpan(None, None, text, window=window.span), gold_spans)
        if placed is None:
            continue
        got = frozenset((t.start, t.end) for t in _words(document, placed.start, placed.end))
        scored.append((-content_f1(wanted, got), len(text), first.start, text))
    best = min(scored, default=None)
    f1 = 0.0 if best is None else -best[0]
    if f1 >= 1.0:
        return best[3], None
    reason = _content_reason(relation, document, lo, hi, clauses, cap)
    return (best[3] if f1 >= MIN_CONTENT_F1 else None), reason


def _free_runs(document: Document, relation: Relation, lo: int, hi: int, cap: int | None) -> list[tuple[Token, Token]]:
    """Runs from the first word of a gold span to the last word of the same or a later one
    (inside the shown text), and each span's longest prefix within the character cap."""
    spans = [w for w in (_words(document, max(s.start, lo), min(s.end, hi)) for s in sorted(relation.content, key=lambda s: s.start)) if w]
    runs = [(a[0], b[-1]) for i, a in enumerate(spans) for b in spans[i:]]
    if cap is not None:
        for words in spans:
            fitting = [t for t in words if t.end - words[0].start <= cap]
            if fitting:
                runs.append((words[0], fitting[-1]))
    return runs


def _clause_runs(document: Document, lo: int, hi: int, wanted: frozenset) -> list[tuple[Token, Token]]:
    """Every sentence prefix and suffix inside [lo, hi) of the sentences that hold a gold content word."""
    runs = []
    for sentence in document.sentences:
        if sentence.start >= hi or sentence.end <= lo:
            continue
        words = _words(document, max(sentence.start, lo), min(sentence.end, hi))
        if not any((t.start, t.end) in wanted for t in words):
            continue
        runs += [(words[0], t) for t in words] + [(t, words[-1]) for t in words]
    return runs


def _content_reason(relation: Relation, document: Document, lo: int, hi: int, clauses: bool, cap: int | None) -> str:
    spans = relation.content
    if any(s.start < lo or s.end > hi for s in spans):
        return CONTENT_OUTSIDE
    sentences = {document.sentence_at(t.start).index for s in spans for t in _words(document, s.start, s.end)}
    if clauses and len(sentences) > 1:
        return MULTI_SENTENCE
    if len(spans) > 1:
        return DISCONTINUOUS
    if cap is not None and spans[0].end - spans[0].start > cap:
        return CONTENT_TOO_LONG
    return MID_SENTENCE if clauses else NOT_A_PHRASE


def _source(relation: Relation, document: Document, window: Window, fmt: AnswerFormat, offered: Sequence[str] | None, cap: int | None, names: Mapping[str, frozenset[str]]) -> tuple[str | None, str | None]:
    """The best source phrase, and why it is not the gold's words (or why there is none):
    `source outside the window`, or `source ` and the reason it is not an offered phrase."""
    span = relation.source.span
    text = span.text or ""
    if offered is None:
        return (text, None) if cap is None or len(text) <= cap else (None, OVER_CHARACTERS)
    if text in offered:
        return text, None
    if not (window.ground_start <= span.start and span.end <= window.ground_end):
        reason = SOURCE_OUTSIDE
    else:
        reason = "source " + (phrase_problem(document, span.start, span.end, fmt.copy.max_tokens["source"]) or NOT_A_PHRASE)

    def right(phrase: str) -> bool:
        return judge_source(relation, replace(relation, source=Source(TextSpan(None, None, phrase), relation.source.type)), names).right

    inside = sorted((p for p in offered if p in text), key=lambda p: (-len(p), p))
    found = next((p for p in inside if right(p)), None)
    if found is None:
        found = next((p for p in sorted(offered, key=lambda p: (-len(p), p)) if p not in inside and right(p)), None)
    return found, reason


def _cue(relation: Relation, offered: Sequence[str] | None, cap: int | None) -> str:
    text = relation.cue.text or ""
    if offered is None:
        return text[:cap] if cap is not None else text
    if text in offered:
        return text
    inside = sorted((p for p in offered if p in text), key=lambda p: (-len(p), p))
    return inside[0] if inside else offered[0]
