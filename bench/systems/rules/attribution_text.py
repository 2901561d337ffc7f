"""Shared text machinery of the attribution baselines: the cue lexicon, quotation-mark
pairing, span trimming, noun-phrase heuristics, source typing, nesting and the final
`Relation`s. `bench.systems.rules.attribution` lists the rules that use it; the spaCy
baseline (`bench.systems.spacy.attribution`) reuses it. Reads only the article text."""

from __future__ import annotations

import re
from dataclasses import dataclass

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
