"""`quantulum3`: casualty figures from the numbers quantulum3 0.10.0 finds.

Where it sits: stage 3, systems (`pip install '.[quantulum]'`); quantulum3 is imported
when the system is created. A third-party number extractor nobody here wrote, adapted by
a developer who never saw the articles or their gold, from the invented dev set and
general casualty-reporting practice only; the system is the hedged variant (A5), which
the dev set preferred (F1 0.878 against 0.561; both measured before the gold).

What: quantulum3 finds the numbers; this adapter decides which of them are casualty figures.
Why: to measure a third-party number extractor on the task. The number finding is
quantulum's alone (no extra number patterns); the outcome and victim decisions reuse the
cue rules of the rules baseline's casualties (`bench.systems.rules.casualties`, R4-R6, R9, R10 there), so the two systems differ in how
numbers are found and valued, not in how outcomes are judged.

Adapter rules (cited as A<n>):
 A1  quantulum3's unit classifier (a scikit-learn pickle) does not load under scikit-learn
     >= 1.9 ("No module named '_loss'"), so `quantulum3.classifier.USE_CLF = False` is set at
     import: quantulum then uses its own heuristic disambiguation. Checked on every dev-set
     sentence plus ten unit sentences against the classifier loaded in a side venv
     (scikit-learn 1.8.0 + stemming): identical spans, values and uncertainties; only the names
     of ambiguous non-count units differ (tons, pounds, acronyms misread as units), and those
     are dropped by A3 anyway.
 A2  Each sentence of the document is parsed on its own (`quantulum3.parser.parse`); its
     spans are shifted by the sentence start.
 A3  A quantity is a candidate count when its unit is `dimensionless` (or `dozen`: value x 12)
     and its value is a whole number >= 1 (drops lengths, durations, money, percentages,
     "quarter" = 0.25). A unit that quantulum read off an all-capitals word right after a
     digit or number word ("seven KAT" read as 7 katal) is a misread acronym: the quantity is
     kept as a dimensionless count, its span cut to the number.
 A4  Span: quantulum's span. Its range merge ("between A and B") looks for a lower-case
     "between" only and returns start -1 for "Between"; the start is then recovered as the
     case-insensitive "between" before the span end.
 A5  Value: no uncertainty -> exact [v, v]; an uncertainty from a range ("A to B", "A-B",
     "between A and B") -> range [v-u, v+u]; any other uncertainty ("5 +/- 2") -> approx
     [v-u, v+u], point v. quantulum has no hedges, so "at least 40" is read as exact 40 (its
     span "40" still overlaps the gold phrase: half credit). The variant `create_hedged` reads
     a conventions-table qualifier right before quantulum's span (at least, more than, about,
     up to ...) with `read_quantity` and widens the span over it; the default does not.
 A6  Outcome: the quantity becomes a figure when the rules' left cue (R4) or right cue
     (R5, with outcome nouns R6) gives it an outcome; the right-cue gap ends at the next
     candidate count of the sentence. The left cue is looked for before a qualifier that
     precedes the quantity ("killed as many as 85"), in both variants: the qualifier only
     changes value and span in the hedged one. Unit incidents when the counted noun is an
     event noun.
 A7  Victim category and span from the counted noun phrase (the rules' R9); in_headline
     by the rules' R10. Output sorted by offset; deterministic.

What quantulum cannot do (measured on the dev set, see the report): vague count words
(dozens, scores, thousands, several, many) are not quantities to it, and hedges are not part
of its quantities; bare plurals have no number at all.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Sequence

from bench.systems.base import DocumentPrediction
from bench.systems.rules.casualties import NOUN_CUES, Count, Sentence, is_headline, split_sentences, victim_category
from bench.tasks.casualties.conventions import QUALIFIERS, read_quantity
from bench.tasks.casualties.types import Bounds, Figure, Kind, Quantity, TextSpan, Unit
from bench.tasks.registry import TaskName


@lru_cache(maxsize=1)
def _parser() -> Any:
    """quantulum3's parser, its unit classifier off (A1), set before the first parse."""
    import quantulum3.classifier

    quantulum3.classifier.USE_CLF = False
    from quantulum3 import parser

    return parser

_RANGE_SURFACE = re.compile(r"\bbetween\b|\bto\b|\d\s*[-–]\s*\d|\band\b", re.IGNORECASE)
_NUMBER_WORD = re.compile(r"^(\d[\d,.]*|[a-z]+(?:-[a-z]+)?)\s+([A-Z]{2,})\b")


def candidate_counts(sentence_text: str, offset: int) -> list[tuple[int, int, Bounds]]:
    """A2-A5: quantulum's whole dimensionless quantities of one sentence as (start, end, bounds)."""
    out = []
    for q in _parser().parse(sentence_text):
        start, end = q.span
        surface = q.surface
        if start < 0:  # A4
            start = sentence_text.lower().rfind("between", 0, end)
            if start < 0:
                continue
            surface = sentence_text[start:end]
        value = float(q.value)
        if q.unit.name == "dozen":
            value *= 12
        elif q.unit.name != "dimensionless":
            m = _NUMBER_WORD.match(surface)  # A3: "seven KAT" is a count, not 7 katal
            if m is None or m.group(1).lower() in ("a", "an"):
                continue
            end = start + len(m.group(1))
        u = float(q.uncertainty or 0)
        lo, hi = value - u, value + u
        if lo < 1 or lo != int(lo) or hi != int(hi):
            continue
        if not u:  # A5
            bounds = Bounds(Kind.EXACT, int(value), int(value), int(value))
        elif _RANGE_SURFACE.search(surface):
            bounds = Bounds(Kind.RANGE, int(lo), int(hi))
        else:
            bounds = Bounds(Kind.APPROX, int(lo), int(hi), round(value))
        out.append((offset + start, offset + end, bounds))
    return out


def hedge_start(text: str, start: int) -> int:
    """A5/A6: where a conventions-table qualifier right before `start` begins (`start` if none)."""
    before = text[max(0, start - 20) : start]
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        m = re.search(rf"\b{re.escape(q)}\s+$", before, flags=re.IGNORECASE)
        if m:
            return start - (len(before) - m.start())
    return start


def extract_figures(text: str, sentences: Sequence[tuple[int, int]] | None = None, hedged: bool = False) -> list[Figure]:
    figures = []
    for a, b in list(sentences) if sentences else split_sentences(text):
        s = Sentence(text, a, b)
        cands = []
        for start, end, bounds in candidate_counts(text[a:b], a):
            qualifier, cue_start = None, hedge_start(text, start)
            if hedged and cue_start < start and bounds.kind == Kind.EXACT and (rq := read_quantity(text[cue_start:end])) is not None:
                start, bounds, qualifier = cue_start, rq.bounds, rq.qualifier
            i = next((k for k, t in enumerate(s.toks) if t.end > cue_start), None)
            j = next((k for k, t in enumerate(s.toks) if t.start >= end), len(s.toks))
            if i is None or i >= j:
                continue
            cands.append((Count(i, j, bounds, qualifier, None, j), start, end))  # i: the hedge, if any (cue context only)
        headline = is_headline(text, a, b)
        for n, (c, start, end) in enumerate(cands):
            limit = cands[n + 1][0].i if n + 1 < len(cands) else len(s.toks)
            outcome, unit = s.left_cue(c), Unit.PERSONS  # A6
            if outcome is not None:
                unit = NOUN_CUES.get(s.word(c.noun_from), (outcome, Unit.PERSONS))[1]
            elif (rc := s.right_cue(c.noun_from, limit)) is not None:
                outcome, unit = rc
            if outcome is None:
                continue
            words, head = s.noun_phrase(c)  # A7
            victim = TextSpan(head.start, head.end, head.text) if head is not None else None
            q = Quantity(TextSpan(start, end, text[start:end]), c.bounds, c.qualifier, None)
            figures.append(Figure(q, outcome, unit, victim_category(words), victim=victim, in_headline=headline))
    return sorted(figures, key=lambda f: (f.quantity.span.start or 0, f.quantity.span.end or 0))


class QuantulumCasualties:
    name = "quantulum3"
    tasks = frozenset({TaskName.CASUALTIES})

    def __init__(self, hedged: bool = True) -> None:
        from importlib.metadata import version

        _parser()
        self.hedged = hedged
        self.version = f"1.0.0{'' if hedged else '-unhedged'} (quantulum3 {version('quantulum3')})"

    def predict(self, documents: Sequence[Any]) -> list[DocumentPrediction]:
        out = []
        for doc in documents:
            sents = [(s.start, s.end) for s in doc.sentences]
            out.append(DocumentPrediction(doc.id, {TaskName.CASUALTIES: tuple(extract_figures(doc.text, sents, self.hedged))}))
        return out


def create() -> QuantulumCasualties:
    return QuantulumCasualties()
