"""Model-free casualty-figure extraction: count phrases, outcome cues and context filters.

`extract(document)` returns `Figure`s with offsets. It reads only the article and the
conventions table (`bench.tasks.casualties.conventions`, GUIDELINES.md 2.2), never the
annotations.
The rules, in the order they apply, per sentence:

 1. Count phrases: an optional hedge (at least, over, more than, up to, about, nearly,
    ...) followed by a numeral ("16", "1,200"), a number word ("thirteen", "a dozen") or
    a vague count word (dozens, tens, hundreds, thousands, several, many, a lot). A
    numeral that is part of a date (a month name next to it, or a year 1900-2099) is
    never a count.
 2. Outcome cue after the phrase: within the next 12 words, before a clause break
    (";", ":", a dash) a cue word: killed, dead, died, dying, executed, slain, wounded,
    injured, hurt, kidnapped, abducted, arrested, detained, missing, displaced, or a cue
    noun right after "of" (kidnappings, killings, casualties, ...).
 3. Outcome cue before the phrase: a verb directly before it (lost, killed, kills,
    wounded, kidnapped, arrested, ...): "lost at least 13 members".
 4. Crowd filter: a phrase is dropped when a crowd or protest word (protest, rally,
    demonstration, streets, crowd, attracted, participating, gathered, poured) comes
    before the outcome cue, or right around the phrase.
 5. Unit: incidents when the counted noun is an event noun (kidnappings, killings,
    abductions, arrests, attacks, executions, incidents), else persons.
 6. Victim noun phrase: the words after the phrase (and "of") up to the verb, the cue or
    a clause break; category by keyword: security forces, troops, soldiers, army, police,
    officers -> state_forces; fighters, gunmen, militants, rebels, militia, insurgents ->
    armed_group; civilians, residents, children, women, villagers, citizens ->
    civilians; anything else -> unknown.
 7. Value: the conventions table; `in_headline` when the line has no final full stop.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bench.documents.corpus import Document
from bench.tasks.casualties.conventions import QUALIFIERS, VAGUE_BOUNDS, read_quantity
from bench.tasks.casualties.types import Figure, Outcome, Quantity, TextSpan, Unit, VictimCategory

_NUMBER_WORDS = (
    "a dozen|one hundred|a hundred|a thousand|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|"
    "two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
)
_VAGUE = "|".join(sorted((re.escape(v) for v in VAGUE_BOUNDS), key=len, reverse=True))
_QUAL = "|".join(sorted((re.escape(q) for q in QUALIFIERS if q != "some"), key=len, reverse=True))
PHRASE = re.compile(
    rf"\b(?:(?P<qual>{_QUAL})\s+)?(?P<count>\d{{1,3}}(?:,\d{{3}})+|\d+|(?:{_NUMBER_WORDS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?|{_VAGUE})\b",
    re.IGNORECASE,
)
MONTHS = re.compile(r"\b(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?$", re.IGNORECASE)

CUES_AFTER: dict[str, Outcome] = {
    "killed": Outcome.KILLED, "dead": Outcome.KILLED, "died": Outcome.KILLED, "dying": Outcome.KILLED, "die": Outcome.KILLED,
    "executed": Outcome.KILLED, "slain": Outcome.KILLED, "massacred": Outcome.KILLED,
    "wounded": Outcome.INJURED, "injured": Outcome.INJURED, "hurt": Outcome.INJURED,
    "kidnapped": Outcome.KIDNAPPED, "abducted": Outcome.KIDNAPPED,
    "arrested": Outcome.ARRESTED, "detained": Outcome.ARRESTED,
    "missing": Outcome.MISSING, "displaced": Outcome.DISPLACED,
}
EVENT_NOUNS: dict[str, Outcome] = {
    "kidnappings": Outcome.KIDNAPPED, "abductions": Outcome.KIDNAPPED, "killings": Outcome.KILLED, "executions": Outcome.KILLED,
    "deaths": Outcome.KILLED, "fatalities": Outcome.KILLED, "casualties": Outcome.KILLED_OR_INJURED, "injuries": Outcome.INJURED,
    "arrests": Outcome.ARRESTED,
}
PERSON_EVENT_NOUNS = {"deaths", "fatalities", "casualties", "injuries"}  # count people, not incidents
CUES_BEFORE: dict[str, Outcome] = {
    "lost": Outcome.KILLED, "killed": Outcome.KILLED, "kills": Outcome.KILLED, "kill": Outcome.KILLED, "killing": Outcome.KILLED,
    "executed": Outcome.KILLED, "wounded": Outcome.INJURED, "wounding": Outcome.INJURED, "injured": Outcome.INJURED, "injuring": Outcome.INJURED,
    "kidnapped": Outcome.KIDNAPPED, "abducted": Outcome.KIDNAPPED, "arrested": Outcome.ARRESTED, "detained": Outcome.ARRESTED,
    "displaced": Outcome.DISPLACED,
}
CROWD = re.compile(r"\b(protest\w*|rall(?:y|ies)|demonstrat\w*|streets?|crowds?|attracted|participat\w*|gathered|poured|marched)\b", re.IGNORECASE)
VERBS = {"were", "was", "are", "is", "have", "has", "had", "been", "be", "being", "reportedly", "also", "all"}
STATE = re.compile(r"\b(security|forces|troops|soldiers|army|police|policemen|officers|personnel|guards)\b", re.IGNORECASE)
ARMED = re.compile(r"\b(fighters|gunmen|militants|rebels|militia\w*|insurgents|jihadists)\b", re.IGNORECASE)
CIVIL = re.compile(r"\b(civilians|residents|children|women|villagers|citizens|worshippers|passengers)\b", re.IGNORECASE)
WORD = re.compile(r"[\w’'-]+|[;:–—,.]")
BREAKS = {";", ":", "–", "—"}


@dataclass(frozen=True)
class _Found:
    outcome: Outcome
    unit: Unit
    victim: tuple[int, int] | None


def _is_date(text: str, start: int, end: int, count: str) -> bool:
    if not count.isdigit():
        return False  # only numerals are parts of dates
    before = text[max(0, start - 12) : start].rstrip(" ,")
    after = text[end : end + 12]
    if MONTHS.search(before.split()[-1] if before.split() else "") or re.match(r"(?:st|nd|rd|th)?\s*,?\s*(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)", after, re.IGNORECASE):
        return True
    return count.isdigit() and len(count) == 4 and 1900 <= int(count) <= 2099


def _victim_category(words: str) -> VictimCategory:
    if ARMED.search(words):
        return VictimCategory.ARMED_GROUP
    if STATE.search(words):
        return VictimCategory.STATE_FORCES
    if CIVIL.search(words):
        return VictimCategory.CIVILIANS
    return VictimCategory.UNKNOWN


def _after(text: str, end: int, limit: int) -> _Found | None:
    """Rules 2, 4, 5, 6 on the words after a count phrase."""
    words = [(m.group(), m.start() + end, m.end() + end) for m in WORD.finditer(text[end:limit])][:12]
    victim_start = victim_end = None
    for i, (word, s, e) in enumerate(words):
        low = word.casefold()
        if low in BREAKS or CROWD.fullmatch(word):
            return None
        if i <= 1 and low in EVENT_NOUNS and (i == 0 or words[0][0].casefold() == "of"):
            unit = Unit.PERSONS if low in PERSON_EVENT_NOUNS else Unit.INCIDENTS
            return _Found(EVENT_NOUNS[low], unit, None)
        if low in CUES_AFTER:
            victim = (victim_start, victim_end) if victim_start is not None else None
            return _Found(CUES_AFTER[low], Unit.PERSONS, victim)
        if low in VERBS or low == ",":
            victim_end = victim_end if victim_start is not None else None
            continue
        if i == 0 and low == "of":
            continue
        if victim_start is None or victim_end == words[i - 1][2]:
            if victim_start is None:
                victim_start = s
            victim_end = e
    return None


def extract(document: Document) -> list[Figure]:
    text = document.text
    out: list[Figure] = []
    for sentence in document.sentences:
        chunk = text[sentence.start : sentence.end]
        line_end = text.find("\n", sentence.start)
        line = text[text.rfind("\n", 0, sentence.start) + 1 : len(text) if line_end < 0 else line_end].rstrip()
        in_headline = not line.endswith((".", "?", "!", "”", '"'))
        for m in PHRASE.finditer(chunk):
            start, end = sentence.start + m.start(), sentence.start + m.end()
            if _is_date(text, start, end, m.group("count")):
                continue
            if CROWD.search(text[max(sentence.start, start - 30) : start]):
                continue
            found = _after(text, end, sentence.end)
            if found is None:
                before = WORD.findall(text[sentence.start : start])
                if before and before[-1].casefold() in CUES_BEFORE:
                    victim = _after_noun(text, end, sentence.end)
                    found = _Found(CUES_BEFORE[before[-1].casefold()], Unit.PERSONS, victim)
            if found is None:
                continue
            read = read_quantity(m.group())
            if read is None:
                continue
            victim_span = None
            category = VictimCategory.UNKNOWN
            if found.victim is not None:
                vs, ve = found.victim
                victim_span = TextSpan(vs, ve, text[vs:ve])
                category = _victim_category(text[vs:ve])
            out.append(
                Figure(
                    quantity=Quantity(TextSpan(start, end, text[start:end]), read.bounds, read.qualifier, read.vague_term),
                    outcome=found.outcome,
                    unit=found.unit,
                    victim_category=category,
                    victim=victim_span,
                    in_headline=in_headline,
                )
            )
    return out


def _after_noun(text: str, end: int, limit: int) -> tuple[int, int] | None:
    """The noun phrase after a count whose cue came before it: up to a verb or clause break."""
    words = [(m.group(), m.start() + end, m.end() + end) for m in WORD.finditer(text[end:limit])][:8]
    stop = {"and", "in", "on", "at", "during", "after", "while", "from", "who", "which", "that"} | VERBS | BREAKS | {",", "."}
    span = None
    for i, (word, s, e) in enumerate(words):
        low = word.casefold()
        if low in stop and not (low == "of" and i > 0):
            break
        span = (span[0] if span else s, e)
    return span
