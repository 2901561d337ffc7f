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
from dataclasses import dataclass

from bench.documents.corpus import Document
from bench.tasks.attribution.types import Coverage, Mode, Relation, Source, SourceType
from bench.tasks.casualties.types import TextSpan

Span = tuple[int, int]
WORD = re.compile(r"\w+(?:[’'\-]\w+)*|[^\w\s]")
CUE_WORDS = (
    "said says say told tells reported claimed claims announced announces observed explained explains explaining "
    "identified identifying estimated estimates called calls call described describes describing show shows showed "
    "quoted quotes saying adding added adds stressed stresses stressing confirmed confirms confirming urged urges "
    "urging warned warns warning insisted insists believed believe believes consider considers considered indicated "
    "indicates indicating reaffirmed reaffirming noted notes noting stated wrote argued argues alleged alleges "
    "acknowledged asserted emphasised emphasized mentioned citing quoting"
).split()
CUE = re.compile(r"\baccording to\b|\b(?:" + "|".join(CUE_WORDS) + r")\b", re.IGNORECASE)
PASSIVE_CUES = {"reported", "believed", "said", "estimated", "alleged", "claimed", "described", "considered", "thought"}
PARTICIPLES = {w for w in CUE_WORDS if w.endswith("ing")}
CITING = {"citing", "quoting"}
BE = {"is", "are", "was", "were", "be", "been", "being"}
SKIP = BE | {"has", "have", "had", "also", "reportedly", "later", "earlier", "previously", "recently", "further",
             "again", "repeatedly", "publicly", "already", "yesterday", "today", "widely", "now", "still", "generally",
             "did", "does", "do", "then", "first", "once", "separately", "however"}
NEGATORS = {"not", "never", "would", "could", "might", "may", "should", "must", "cannot"}
DAYS = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "night", "morning", "evening"}
DETERMINERS = {"the", "a", "an", "this", "these", "those", "its", "their", "his", "her", "our", "my", "no", "to", "-"}
STOP = {"that", "but", "while", "because", "as", "when", "after", "before", "since", "if", "although", "though",
        "where", "whereas", "so", "than", "what", "whom", "whose", "whether", "and", "or"}
OPENERS, CLOSERS = "“‘\"", "”’\""
CONTENT_END = re.compile(  # ";", ", the agency said", ", but ...", ", adding ..."
    r";|,[”’\"]?\s+(?!which|who|that)(?=(?:[\w’\'-]+\s+){1,8}"
    r"(?:said|says|reported|told|added|explained|wrote|noted|confirmed|stressed|claimed|warned)\b)"
    r"|,[”’\"]?\s*(?:but|while|whereas|although|though|according to|" + "|".join(sorted(PARTICIPLES)) + r")\b",
    re.IGNORECASE,
)
THAT = re.compile(r"\s*(?:(?:on|in|at|during|late|earlier|last|this|yesterday|today|from|to)\b[^,.;“”\"]{0,60}?\s)?that\b", re.IGNORECASE)
TOLD_THAT = re.compile(r"[^,.;:“”\"]{0,60}?\bthat\b|[^.;“”\"]{0,60}?[,:]\s*(?=[“\"‘])", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Quote:
    open: int  # index of the opening mark
    close: int  # index of the closing mark (or the line end)

    @property
    def inner(self) -> Span:
        return self.open + 1, self.close


@dataclass
class Found:
    """A relation under construction (offsets only)."""

    cue: Span
    source: Span | None
    content: list[Span]
    kind: str = "plain"  # plain | quote | citing
    parent: int | None = None  # index into the list of found relations
    stype: SourceType | None = None  # a fixed type (passives), else guessed


# ---------------------------------------------------------------- quotes and spans
def find_quotes(text: str) -> list[Quote]:
    """Rule 1: pair quotation marks line by line."""
    quotes: list[Quote] = []
    line_start = 0
    for line in text.split("\n"):
        pending: dict[str, int] = {}
        for i, ch in enumerate(line):
            pos = line_start + i
            prev, nxt = line[i - 1] if i else " ", line[i + 1] if i + 1 < len(line) else " "
            if ch == "“":
                pending["d"] = pos
            elif ch == "”" and "d" in pending:
                quotes.append(Quote(pending.pop("d"), pos))
            elif ch == '"':
                if "s" in pending:
                    quotes.append(Quote(pending.pop("s"), pos))
                elif not nxt.isspace():
                    pending["s"] = pos
            elif ch == "‘" and not prev.isalnum():
                pending["q"] = pos
            elif ch == "’" and "q" in pending and not (prev.isalpha() and nxt.isalpha()):
                quotes.append(Quote(pending.pop("q"), pos))
        quotes += [Quote(p, line_start + len(line)) for p in pending.values()]
        line_start += len(line) + 1
    return sorted(quotes, key=lambda q: q.open)


def quote_at(quotes: list[Quote], pos: int) -> Quote | None:
    """The innermost quote whose inside holds `pos`."""
    inside = [q for q in quotes if q.open < pos < q.close]
    return max(inside, key=lambda q: q.open) if inside else None


def trim(text: str, start: int, end: int) -> Span | None:
    """Shrink to the first and last word character ("(HTS)" keeps its bracket)."""
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and not text[end - 1].isalnum():
        if text[end - 1] == ")" and text.count("(", start, end) >= text.count(")", start, end):
            break
        end -= 1
    return (start, end) if end > start else None


def mode_of(spans: list[Span], quotes: list[Quote], text: str) -> Mode:
    """Rule 9: share of content words inside a quote."""
    flags = [quote_at(quotes, s + m.start()) is not None
             for s, e in spans for m in re.finditer(r"\w+", text[s:e])]
    if flags and all(flags):
        return Mode.DIRECT
    return Mode.MIXED if any(flags) else Mode.INDIRECT


# ---------------------------------------------------------------- source types
STATE_MEDIA = re.compile(r"\bstate[- ](?:run|owned|media|television|tv|news|agency|broadcaster)\b", re.IGNORECASE)
MEDIA = re.compile(r"\b(newspapers?|papers?|agency|agencies|media|outlets?|broadcasters?|channels?|networks?|television|tv|radio|daily|press|news)\b", re.IGNORECASE)
MONITOR = re.compile(r"\b(observatory|monitors?|monitoring|watchdogs?|rights|ngos?)\b", re.IGNORECASE)
OFFICIAL = re.compile(r"\b(ministry|ministries|minister|officials?|government|authorities|spokes(?:man|woman|person)|governor|mayor|police|army|military|regime|presidency|administration|department|embassy|prosecutors?)\b", re.IGNORECASE)
DOCUMENT = re.compile(r"\b(videos?|footage|statements?|reports?|documents?|images?|photos?|photographs?|recordings?|data|figures|study|survey|letter|posts?|communiqu[eé]s?|tweets?|messages?|clips?|records|census|bulletin|update)\b", re.IGNORECASE)
ORG_WORDS = re.compile(r"\b(council|forces|group|party|front|organi[sz]ation|committee|union|army|brigades?|movement|network|institute|cent(?:er|re)|agency|office|association|foundation|authority|commission|university|coalition|alliance|international|nations|bank|company|corporation|watch|court|fund|hospital)\b", re.IGNORECASE)
CHUNK_END = re.compile(r"\s+(?:in|from|of|on|at|with|for|close|affiliated|near|inside|within|who|which|that|among)\b|,", re.IGNORECASE)
PRONOUNS = {"he": SourceType.UNNAMED_INDIVIDUAL, "she": SourceType.UNNAMED_INDIVIDUAL, "i": SourceType.UNNAMED_INDIVIDUAL,
            "they": SourceType.UNNAMED_GROUP, "we": SourceType.UNNAMED_GROUP, "it": SourceType.UNSPECIFIED}


def head_chunk(source: str) -> str:
    """The source words before a preposition or relative clause, last conjunct only."""
    chunk = CHUNK_END.split(source, maxsplit=1)[0]
    chunk = re.split(r"\s+and\s+", chunk)[-1]
    words = chunk.split()
    for i in range(1, len(words)):  # "Videos shared ...", "Videos emerging ..."
        if re.fullmatch(r"[a-z]+(?:ed|ing)", words[i]) and re.fullmatch(r"\w+s", words[i - 1]) and not words[i - 1].endswith("ss"):
            return " ".join(words[:i])
    return chunk


def head_of(source: str) -> str:
    words = re.findall(r"\w+(?:[’'\-]\w+)*", head_chunk(source))
    return words[-1] if words else source


def guess_type(source: str | None) -> SourceType:
    """Rule 10."""
    if not source:
        return SourceType.UNSPECIFIED
    chunk = head_chunk(source)
    if STATE_MEDIA.search(source):
        return SourceType.STATE_MEDIA
    for pattern, kind in ((DOCUMENT, SourceType.DOCUMENT), (MONITOR, SourceType.MONITOR), (MEDIA, SourceType.MEDIA), (OFFICIAL, SourceType.OFFICIAL)):
        if pattern.search(head_of(source)):
            return kind
    for pattern, kind in ((MONITOR, SourceType.MONITOR), (MEDIA, SourceType.MEDIA), (OFFICIAL, SourceType.OFFICIAL), (DOCUMENT, SourceType.DOCUMENT)):
        if pattern.search(chunk):
            return kind
    words = chunk.split()
    caps = [w for w in words if w[:1].isupper() and w.lower() not in ("the", "a", "an")]
    if any(len(w) >= 2 and w.isupper() for w in caps) or (caps and words[0].lower() == "the"):
        return SourceType.NAMED_ORG
    if len(caps) >= 2:
        return SourceType.NAMED_ORG if ORG_WORDS.search(chunk) else SourceType.NAMED_PERSON
    if OFFICIAL.search(source):  # "sources in the ministry"
        return SourceType.OFFICIAL
    if source.lower() in PRONOUNS:
        return PRONOUNS[source.lower()]
    head = head_of(source)
    if len(words) == 1 and caps and not head.endswith("s"):
        return SourceType.NAMED_PERSON
    plural = head.lower().endswith("s") and not head.lower().endswith("ss") or head.lower() in {"people", "police"}
    return SourceType.UNNAMED_GROUP if plural else SourceType.UNNAMED_INDIVIDUAL


# ---------------------------------------------------------------- noun phrases
@dataclass
class Left:
    span: Span | None
    stop: str = ""  # what ended the walk: "quote" (a closing mark), "comma", "negated", ...
    relative: Span | None = None  # an object relative pronoun right before the source
    in_relative: bool = False  # the cue sits in a relative clause ("who said", "which X described")


def left_np(text: str, lo: int, pos: int) -> Left:
    """Rule 5: the noun phrase ending before `pos`, not before `lo`."""
    toks = [(m.group(), m.start(), m.end()) for m in WORD.finditer(text, lo, pos)]
    i = len(toks) - 1
    while i >= 0:  # auxiliaries, adverbs, "on Friday"
        low = toks[i][0].lower()
        if low in NEGATORS or low.endswith(("n't", "n’t")):
            return Left(None, "negated")
        if low in DAYS and i > 0 and toks[i - 1][0].lower() == "on":
            i -= 2
        elif low in SKIP:
            i -= 1
        else:
            break
    if i >= 0 and toks[i][0] == ",":  # apposition / ", citing X," between subject and cue
        j = i - 1
        while j >= 0 and toks[j][0] not in {",", ".", ";", ":"} | set(OPENERS + CLOSERS) and i - j < 16:
            j -= 1
        if j < 0 or toks[j][0] != ",":
            return Left(None, "comma")
        i = j - 1
    chosen: list[int] = []
    relative = None
    in_relative = False
    while i >= 0 and len(chosen) < 15:
        word, s, e = toks[i]
        low = word.lower()
        if low in ("who", "which"):
            if not chosen:  # relative subject: take the antecedent
                i -= 2 if i > 0 and toks[i - 1][0] == "," else 1
                in_relative = True
                continue
            if i > 0 and WORD.fullmatch(toks[i - 1][0]) and toks[i - 1][0][0].isalnum():
                chosen.append(i)
                i -= 1
                continue
            relative = (s, e)
            break
        if word in ("(", ")", "&") or (word[0].isalnum() and low not in STOP and low not in CUE_WORDS):
            chosen.append(i)
            i -= 1
            continue
        if low == "and" and chosen and i > 0 and toks[i - 1][0][:1].isupper():
            chosen.append(i)  # "Amnesty and HRW said"
            i -= 1
            continue
        break
    stop = toks[i][0] if i >= 0 else ""
    while chosen and toks[chosen[-1]][0].lower() in {"and", "but", "so", "meanwhile", "(", ")", "by", "to", "from", "with", "for", "of", "in", "on", "at"}:
        chosen.pop()
    if not chosen:
        return Left(None, stop)
    span = trim(text, toks[chosen[-1]][1], toks[chosen[0]][2])
    kind = "quote" if stop in CLOSERS else ("comma" if stop == "," else stop)
    return Left(span, kind, relative, in_relative or relative is not None)


def right_np(text: str, pos: int, hi: int, max_words: int = 12) -> Span | None:
    """The noun phrase after "according to", "citing" or "by": to a comma or clause end."""
    m = re.match(r"[^,;:.“”\"()]*(?:\([^()]*\)[^,;:.“”\"()]*)*", text[pos:hi])
    chunk = m.group() if m else ""
    chunk = re.split(r"\s+(?:that|as saying|saying|who|which|and said)\b", chunk)[0]
    span = trim(text, pos, pos + len(chunk))
    if span is None or len(text[span[0]:span[1]].split()) > max_words:
        return None
    return span


# ---------------------------------------------------------------- content
def clause_start(text: str, lo: int, end: int) -> int:
    """Where the clause before `end` starts: after a semicolon or a dateline ("PORTVILLE — ")."""
    start = lo + text[lo:end].rfind(";") + 1
    dateline = re.match(r"\s*[A-Z][A-Z.,'’ -]*(?:\([^()]{1,30}\))?\s*[—–-]\s", text[start:end])
    return start + dateline.end() if dateline else start


def clause_end(text: str, start: int, hi: int, quotes: list[Quote]) -> int:
    """Rule 7: end at ";" or ", adding", outside quotes; a quote opened inside is kept whole."""
    end = hi
    for m in CONTENT_END.finditer(text, start, hi):
        inside = quote_at(quotes, m.end() - 1)  # ",” but" ends a quote first
        if inside is None or inside == quote_at(quotes, start):
            end = m.start()
            break
    for q in quotes:
        if start <= q.open < end < q.close:
            end = q.close
    return end


def complement(text: str, cue: Span, hi: int, quotes: list[Quote]) -> tuple[Span, Span | None]:
    """The cue (with "for" of "call for") and its complement after it."""
    word = text[cue[0]:cue[1]].lower()
    pos = cue[1]
    if word.startswith("call") and (m := re.match(r"\s+for\b", text[pos:hi])):
        cue = (cue[0], pos + m.end())
        pos = cue[1]
    if word in ("told", "tells"):
        m = TOLD_THAT.match(text, pos, hi)
        if m is None:
            return cue, None
        pos = m.end()
    elif m := THAT.match(text, pos, hi):
        pos = m.end()
    end = clause_end(text, pos, hi, quotes)
    return cue, trim(text, pos, end)


def skip_cue(text: str, m: re.Match) -> bool:
    """Rule 2's filters: noun/adjective uses and self-naming."""
    before = WORD.findall(text[max(0, m.start() - 40):m.start()])
    prev = before[-1].lower() if before else ""
    if prev in DETERMINERS:
        return True
    after = text[m.end():m.end() + 40]
    if re.match(r"\s+(?:itself|themselves|himself|herself)\b", after):
        return True
    if m.group().lower() in ("called", "calls", "call", "identified") and prev not in SKIP:
        return bool(re.match(r"\s+(?:the\s+)?[“‘\"]?[A-Z]", after))
    return m.group().lower() == "claimed" and after.lstrip().lower().startswith("the lives")


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


def nest(found: list[Found]) -> None:
    """Rule 11."""
    for i, rel in enumerate(found):
        if rel.kind != "citing":
            continue
        hosts = [j for j, h in enumerate(found) if h.kind != "citing" and h.content and abs(h.cue[0] - rel.cue[0]) < 300]
        if not hosts:
            continue
        j = min(hosts, key=lambda j: abs(found[j].cue[0] - rel.cue[0]))
        rel.content, rel.parent = list(found[j].content), j
    for i, rel in enumerate(found):
        if rel.parent is not None:
            continue
        inside = lambda span, h: span is None or any(s <= span[0] and span[1] <= e for s, e in h.content)
        parents = [j for j, h in enumerate(found)
                   if j != i and inside(rel.cue, h) and inside(rel.source, h) and i not in _ancestors(found, j)]
        if parents:
            rel.parent = min(parents, key=lambda j: sum(e - s for s, e in found[j].content))


def _ancestors(found: list[Found], j: int) -> set[int]:
    seen: set[int] = set()
    while found[j].parent is not None and found[j].parent not in seen:
        j = found[j].parent
        seen.add(j)
    return seen


def build(text: str, found: list[Found], quotes: list[Quote]) -> list[Relation]:
    """Rule 12: ids in text order, and the final `Relation`s."""
    kept = [f for f in found if f.content]
    order = sorted(range(len(kept)), key=lambda k: min([kept[k].cue[0]] + [s for s, _ in kept[k].content] + ([kept[k].source[0]] if kept[k].source else [])))
    ids = {id(kept[k]): f"r{n + 1}" for n, k in enumerate(order)}
    out: list[Relation] = []
    for k in order:
        f = kept[k]
        span = TextSpan(f.source[0], f.source[1], text[f.source[0]:f.source[1]]) if f.source else None
        stype = f.stype or guess_type(span.text if span else None)
        named = stype in (SourceType.NAMED_PERSON, SourceType.NAMED_ORG, SourceType.STATE_MEDIA)
        head = head_of(span.text) if span and not named else None
        coverage = Coverage.FULL
        if f.kind == "citing" and re.search(r"\b(?:in part|partly|partially)\s*$", text[max(0, f.cue[0] - 20):f.cue[0]]):
            coverage = Coverage.PARTIAL
        parent = found[f.parent] if f.parent is not None else None
        spans = sorted(set(f.content))
        out.append(Relation(
            id=ids[id(f)],
            source=Source(span, stype, head=head),
            cue=TextSpan(f.cue[0], f.cue[1], text[f.cue[0]:f.cue[1]]),
            content=tuple(TextSpan(s, e, text[s:e]) for s, e in spans),
            mode=mode_of(spans, quotes, text),
            parent=ids.get(id(parent)) if parent is not None else None,
            coverage=coverage,
        ))
    return out
