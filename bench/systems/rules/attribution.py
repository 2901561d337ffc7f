"""Model-free attribution extraction: quotes, a cue lexicon and a subject heuristic.

`extract(document)` returns `Relation`s with offsets; it reads only the article text.
The rules, in the order they apply:

 1. Quotes: quotation marks are paired per line: curly double (“ ”), straight double
    ("), and curly single (‘ ’) when ’ is not an apostrophe (not between two letters).
    A quote still open at the end of its line closes there.
 2. Cues: a lexicon of attribution words (said, told, reported, claimed, announced,
    explained, estimated, called, calls for, described, show(s), quoted, saying, adding,
    stressed, confirmed, urged, warned, insisted, believed, consider, ...), plus
    "according to", "citing" and "quoting". A cue is dropped after a determiner,
    "to", a hyphen ("so-called"), a negation or a modal, and "called"/"identifying"
    before a reflexive or a capitalised name (self-naming).
 3. "according to X": X runs to the next comma or the sentence end; the content is the
    rest of the clause around it (two spans when it sits mid-clause).
 4. Agentless passives ("has been reported", "is believed"): source None, type
    unspecified, unless "by X" follows; content the subject before the auxiliary plus
    what follows the cue ("it is believed that Y": just Y).
 5. Source left of the cue: the noun phrase before the cue, skipping auxiliaries and
    adverbs, jumping over a comma-bounded apposition, stopping at punctuation, quotes,
    cues and clause words. A relative pronoun subject (", who said") takes its
    antecedent; an object relative ("which X described as Y") becomes a content span.
    Participles after a comma (", adding that") reuse the sentence's last source.
 6. Speaker after the quote: when that noun phrase follows a closing quote, the content
    is the quote, plus a quote that resumes after the cue in the same sentence. Also
    the inverted form ("…, said the minister").
 7. Content otherwise: the complement after the cue (after "that", an addressee of
    "told", or "for" of "call(s) for") to the end of the sentence, a semicolon, a
    following participial cue (", adding"), or the closing mark of the quote holding
    the cue; a quote that starts in it is kept whole. Spans are trimmed to words.
 8. Continuing quotes: a quote opening the next sentence, with no cue of its own, is
    more content of the direct relation before it.
 9. Mode: direct when every content word is quoted, indirect when none is, else mixed.
10. Source type by keywords: state-run media -> state_media; newspaper/agency/media ->
    media; observatory/monitor/rights group -> monitor; ministry/officials/government ->
    official; video/statement/report -> document; capitalised names -> named_org or
    named_person; he/she -> unnamed_individual, they -> unnamed_group; otherwise a
    plural head -> unnamed_group, a singular one -> unnamed_individual.
11. Nesting: "X, (in part) citing Y, reported Z" gives Y -> Z nested in X (coverage
    partial after "in part"); otherwise a relation whose cue and source lie inside
    another's content is nested in the smallest such relation.
12. Ids r1, r2, ... in text order of each relation's first span.
"""

from __future__ import annotations

import re

from bench.systems.rules.attribution_text import (
    CLOSERS,
    CITING,
    CONTENT_END,
    CUE,
    PARTICIPLES,
    PASSIVE_CUES,
    THAT,
    WORD,
    Found,
    Quote,
    Span,
    build,
    clause_end,
    clause_start,
    complement,
    find_quotes,
    left_np,
    nest,
    quote_at,
    right_np,
    skip_cue,
    trim,
)
from bench.documents.corpus import Document
from bench.tasks.attribution.types import Relation, SourceType


# ---------------------------------------------------------------- main
def extract(document: Document) -> list[Relation]:
    text = document.text
    quotes = find_quotes(text)
    found: list[Found] = []
    for sentence in document.sentences:
        in_sentence: list[Found] = []
        for m in CUE.finditer(text, sentence.start, sentence.end):
            if skip_cue(text, m):
                continue
            rel = _relation(text, m, sentence.start, sentence.end, quotes, in_sentence)
            if rel is not None:
                in_sentence.append(rel)
        found += in_sentence
    _continue_quotes(text, document, quotes, found)
    nest(found)
    return build(text, found, quotes)


def _relation(text: str, m: re.Match, s_start: int, s_end: int, quotes: list[Quote], prior: list[Found]) -> Found | None:
    cue: Span = (m.start(), m.end())
    word = m.group().lower()
    holder = quote_at(quotes, cue[0])
    lo = max(s_start, holder.open + 1) if holder else s_start
    hi = min(s_end, holder.close) if holder else s_end
    for q in quotes:  # a quote begun in this sentence carries the clause past a sentence break
        if holder is None and lo <= q.open < hi < q.close:
            hi = q.close
    if word == "according to":  # rule 3
        source = right_np(text, cue[1], hi)
        if source is None:
            return None
        spans = [trim(text, clause_start(text, lo, cue[0]), cue[0]), trim(text, source[1], clause_end(text, source[1], hi, quotes))]
        spans = [s for s in spans if s]
        return Found(cue, source, spans) if spans else None
    if word in CITING:  # rule 11: content and parent come from the host relation
        source = right_np(text, cue[1], hi)
        return Found(cue, source, [], kind="citing") if source else None
    before = text[lo:cue[0]]
    if word in PASSIVE_CUES and re.search(r"\b(?:is|are|was|were|be|been|being)(?:\s+\w+ly|\s+also|\s+now|\s+still)?\s+$", before, re.IGNORECASE):
        return _passive(text, cue, lo, hi, quotes)
    if word in PARTICIPLES and before.rstrip().endswith(","):  # ", adding that ..."
        if not prior or prior[-1].source is None or quote_at(quotes, prior[-1].cue[0]) != holder:
            return None
        cue2, content = complement(text, cue, hi, quotes)
        return Found(cue2, prior[-1].source, [content]) if content else None
    if word in PARTICIPLES and not re.search(r"\b(?:is|are|was|were|been|being)\s+$", before, re.IGNORECASE) \
            and not re.match(r"\s+that\b|[\s,:]*[“\"‘]", text[cue[1]:hi]):
        return None  # "warning systems": a participle cue needs "that" or a quote
    left = left_np(text, lo, cue[0])
    if left.stop == "negated":
        return None
    if left.span is None:  # rule 6, inverted: "…, said the minister"
        return _inverted(text, cue, lo, hi, quotes) if before.rstrip().endswith(tuple(",”’\"")) else None
    closing = text[lo:left.span[0]].rstrip(" ,")
    if closing and closing[-1] in CLOSERS:  # rule 6: speaker after the quote
        q = next((q for q in quotes if q.close == lo + len(closing) - 1), None)
        if q is not None and (inner := trim(text, *q.inner)):
            spans = [inner]
            resumed = re.match(r"[^“\".;]{0,80}?,\s*[“\"]", text[cue[1]:hi])
            if resumed and (q2 := next((q2 for q2 in quotes if q2.open == cue[1] + resumed.end() - 1), None)):
                spans += [s for s in [trim(text, *q2.inner)] if s]
            return Found(cue, left.span, spans, kind="quote")
    rest = text[cue[1]:hi]
    if CONTENT_END.match(rest.lstrip()):  # "…, the agency reported, citing X"
        rest = rest[:len(rest) - len(rest.lstrip())]
    if left.stop == "comma" and (rest.lstrip().startswith(",") or (len(rest.split()) <= 4 and not re.search(r"\bthat\b|[“\"‘:]", rest))):
        comma = lo + len(closing)  # "…, the ministry said." / "X, experts said, Y"
        spans = [trim(text, clause_start(text, lo, comma), comma)]
        if rest.lstrip().startswith(","):
            after = cue[1] + rest.index(",") + 1
            spans.append(trim(text, after, clause_end(text, after, hi, quotes)))
        spans = [x for x in spans if x]
        return Found(cue, left.span, spans) if spans else None
    cue, content = complement(text, cue, hi, quotes)
    if content is None:
        return None
    if left.in_relative and (cut := re.search(r",[”’\"]?\s", text[content[0]:content[1]])):
        content = trim(text, content[0], content[0] + cut.start())  # the relative clause ends at a comma
    if content is None:
        return None
    spans = [left.relative, content] if left.relative else [content]
    return Found(cue, left.span, spans)


def _passive(text: str, cue: Span, lo: int, hi: int, quotes: list[Quote]) -> Found:
    """Rule 4: agentless (or "by X") passives."""
    source = None
    pos = cue[1]
    if by := re.match(r"\s+by\s+", text[pos:hi]):
        source = right_np(text, pos + by.end(), hi)
        if source:
            pos = source[1]
    if that := THAT.match(text, pos, hi):
        spans = [trim(text, that.end(), clause_end(text, that.end(), hi, quotes))]
    else:
        aux = re.search(r"(?:\b(?:has|have|had)\s+)?(?:\b(?:\w+ly|also|now|still)\s+)?\b(?:is|are|was|were|be|been|being)\b[\w\s]*$", text[lo:cue[0]], re.IGNORECASE)
        aux_start = lo + aux.start() if aux else cue[0]
        subject = left_np(text, lo, aux_start).span
        if subject and text[subject[0]:subject[1]].lower() == "it":
            subject = None  # expletive "it is believed"
        prev = list(WORD.finditer(text, lo, aux_start))
        if subject is None and prev and prev[-1].group().lower() in ("what", "which", "who"):
            subject = prev[-1].span()  # "what is believed to have been ..."
        end = clause_end(text, pos, hi, quotes)
        if rel := re.search(r",\s*(?:which|who)\b", text[pos:end]):
            end = pos + rel.start()
        spans = [subject, trim(text, pos, end)]
    found = Found(cue, source, [s for s in spans if s])
    if source is None:
        found.stype = SourceType.UNSPECIFIED
    return found


def _inverted(text: str, cue: Span, lo: int, hi: int, quotes: list[Quote]) -> Found | None:
    """"…,” said the minister" / "…, said the minister"."""
    source = right_np(text, cue[1], hi, max_words=8)
    if source is None or CUE.search(text, source[0], source[1]):
        return None
    before = text[lo:cue[0]].rstrip(" ,")
    q = next((q for q in quotes if before and q.close == lo + len(before) - 1), None)
    if q is not None:
        content = trim(text, *q.inner)
    else:
        content = trim(text, clause_start(text, lo, lo + len(before)), lo + len(before))
    return Found(cue, source, [content], kind="quote" if q else "plain") if content else None


def _continue_quotes(text: str, document: Document, quotes: list[Quote], found: list[Found]) -> None:
    """Rule 8."""
    for rel in found:
        if rel.kind != "quote" or not rel.content:
            continue
        while True:
            here = document.sentence_at(max(rel.cue[1], rel.content[-1][1]) - 1)
            if here.index + 1 >= len(document.sentences):
                break
            nxt = document.sentences[here.index + 1]
            q = next((q for q in quotes if q.open == nxt.start), None)
            if q is None or q.close + 1 < rel.content[-1][1] or any(
                not (q.open < r.cue[0] < q.close) and any(s < q.close and e > q.open for s, e in r.content) for r in found):
                break
            tail = document.sentence_at(q.close) if q.close < len(text) else nxt
            if CUE.search(text, q.close, max(tail.end, q.close)) or not (inner := trim(text, *q.inner)):
                break
            rel.content.append(inner)
