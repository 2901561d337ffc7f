"""The normalisation conventions of casualty figures (GUIDELINES.md 2.2), as code.

`read_quantity("over 70")` gives kind, low, high and point from a figure phrase: the
gold checks recompute every gold record's bounds with it, and systems may use it to
normalise their own figure strings. The vague-word bounds are this benchmark's own,
versioned conventions (CONVENTIONS_VERSION).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from fractions import Fraction
from math import floor

from bench.tasks.casualties.types import Bounds, Kind

CONVENTIONS_VERSION = "1.0.0"

# vague word -> (low, high); high None = unbounded
VAGUE_BOUNDS: dict[str, tuple[int, int | None]] = {
    "dozens": (24, 99),
    "tens": (20, 99),
    "hundreds": (200, 999),
    "thousands": (2000, 9999),
    "several": (3, 9),
    "a lot": (2, None),
    "lots": (2, None),
    "many": (2, None),
    "scores": (2, None),
}
BARE_PLURAL = (2, None)

LOWER_INCLUSIVE = ("at least", "no fewer than", "no less than", "a minimum of")
LOWER_EXCLUSIVE = ("over", "more than")
UPPER = ("up to", "as many as")
ABOUT = ("about", "around", "some", "approximately", "roughly")
NEARLY = ("nearly", "almost")
QUALIFIERS = LOWER_INCLUSIVE + LOWER_EXCLUSIVE + UPPER + ABOUT + NEARLY

_UNITS = "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}
_WORDS: dict[str, int] = {w: i for i, w in enumerate(_UNITS)} | _TENS | {"a dozen": 12, "dozen": 12, "a hundred": 100, "one hundred": 100, "a thousand": 1000}


def parse_number(text: str) -> int | None:
    """'13', '1,200', 'thirteen', 'twenty-five', 'a dozen' -> int; anything else -> None."""
    t = " ".join(text.casefold().split())
    if re.fullmatch(r"\d{1,3}(,\d{3})+|\d+", t):
        return int(t.replace(",", ""))
    if t in _WORDS:
        return _WORDS[t]
    m = re.fullmatch(r"(twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[- ](one|two|three|four|five|six|seven|eight|nine)", t)
    if m:
        return _TENS[m.group(1)] + _WORDS[m.group(2)]
    return None


def _half_up(value: Fraction) -> int:
    return floor(value + Fraction(1, 2))


def bounds_for(qualifier: str | None, number: int | None = None, vague_term: str | None = None, number2: int | None = None) -> Bounds:
    """Bounds from the parts of a figure phrase, by the conventions table."""
    q = " ".join(qualifier.casefold().split()) if qualifier else None
    if vague_term is not None or number is None:
        low, high = VAGUE_BOUNDS.get(" ".join(vague_term.casefold().split()), BARE_PLURAL) if vague_term else BARE_PLURAL
        return Bounds(Kind.VAGUE, low, high)
    if number2 is not None:
        return Bounds(Kind.RANGE, min(number, number2), max(number, number2))
    if q is None:
        return Bounds(Kind.EXACT, number, number, number)
    if q in LOWER_INCLUSIVE:
        return Bounds(Kind.LOWER_BOUND, number, None)
    if q in LOWER_EXCLUSIVE:
        return Bounds(Kind.LOWER_BOUND, number + 1, None)
    if q in UPPER:
        return Bounds(Kind.UPPER_BOUND, 1, number)
    if q in ABOUT:
        return Bounds(Kind.APPROX, _half_up(Fraction(9, 10) * number), _half_up(Fraction(11, 10) * number), number)
    if q in NEARLY:
        return Bounds(Kind.APPROX, _half_up(Fraction(9, 10) * number), number - 1, number)
    raise ValueError(f"unknown qualifier {qualifier!r}; known: {', '.join(QUALIFIERS)}")


@dataclass(frozen=True)
class ReadQuantity:
    bounds: Bounds
    qualifier: str | None  # as written
    vague_term: str | None  # as written


_NUM = r"\d{1,3}(?:,\d{3})+|\d+|[A-Za-z]+(?:[- ][A-Za-z]+)?"


def read_quantity(text: str) -> ReadQuantity | None:
    """Read a whole figure phrase ("over 70", "At least 16", "Dozens", "between 5 and 8").

    Returns None when the phrase is not one the table covers."""
    phrase = " ".join(text.split())
    folded = phrase.casefold()
    whole = parse_number(phrase)
    if whole is not None:
        return ReadQuantity(bounds_for(None, whole), None, None)
    m = re.fullmatch(rf"between ({_NUM}) and ({_NUM})|({_NUM}) ?(?:-|–|to) ?({_NUM})", phrase, flags=re.IGNORECASE)
    if m:
        a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
        na, nb = parse_number(a), parse_number(b)
        if na is not None and nb is not None:
            return ReadQuantity(bounds_for(None, na, None, nb), phrase[:7] if m.group(1) else None, None)
    qualifier = None
    rest = phrase
    for q in sorted(QUALIFIERS, key=len, reverse=True):
        if folded.startswith(q + " "):
            qualifier, rest = phrase[: len(q)], phrase[len(q) + 1 :]
            break
    if rest.casefold() in VAGUE_BOUNDS:
        return ReadQuantity(bounds_for(qualifier, None, rest), qualifier, rest)
    number = parse_number(rest)
    if number is None:
        return None
    return ReadQuantity(bounds_for(qualifier, number), qualifier, None)
