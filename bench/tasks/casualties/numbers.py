"""Family `numbers`: every casualty figure's numeral is resampled.

Where it sits: stage 2, the casualty task, for the variants' `numbers` family
(`bench.variants`, through `variants.py`). `number_edits` turns the casualty gold of one
article into edits of its quantity spans and the quantities' new gold values, which
are recomputed by the conventions table (`bench/tasks/casualties/conventions.py`), so
they follow the same rules as every gold figure.

Rules:
- Digits stay digits, with the same number of digits and a different value ("over
  70" -> "over 43"); number words stay number words ("thirteen" -> "eight").
- Vague terms are swapped within groups that read the same in a sentence: "dozens",
  "tens", "hundreds", "thousands", "scores" ("Dozens of people"); "several", "many"
  ("Several troops"); "a lot", "lots" ("a lot of people"). The qualifier ("over", "at
  least") is kept.
- Within an article, figures written with the same phrase (case aside) get the same
  new phrase, so a headline figure and its lower-case copy and caption repeat stay
  consistent. Each keeps its own case style ("Dozens", "dozens").
- Ranges ("between 5 and 8") and phrases the table cannot read are left alone, and so
  are non-casualty numbers: the trap stays a trap.
"""

from __future__ import annotations

import random
import re
from typing import Any, Mapping

from bench.tasks.casualties.conventions import _TENS, _UNITS, read_quantity
from bench.tasks.casualties.types import Kind
from bench.documents.edits import Edit

VAGUE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("dozens", "tens", "hundreds", "thousands", "scores"),
    ("several", "many"),
    ("a lot", "lots"),
)
NUMBER_WORDS: tuple[str, ...] = tuple(_UNITS[2:]) + tuple(_TENS)
_DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")


def _styled(new: str, like: str) -> str:
    if like.isupper() and any(c.isalpha() for c in like):
        return new.upper()
    if like[:1].isupper():
        return new[:1].upper() + new[1:]
    return new


def resample_phrase(phrase: str, rng: random.Random) -> str:
    """A new figure phrase of the same shape, in lower case (styled by the caller)."""
    read = read_quantity(phrase)
    if read is None or read.bounds.kind is Kind.RANGE:
        return phrase.lower()
    folded = " ".join(phrase.lower().split())
    head = read.qualifier.lower() + " " if read.qualifier else ""
    rest = folded[len(head) :]
    if read.vague_term is not None:
        group = next((g for g in VAGUE_GROUPS if rest in g), None)
        if group is None:
            return folded
        return head + rng.choice([term for term in group if term != rest])
    digits = _DIGITS.fullmatch(rest)
    if digits is not None:
        old = int(rest.replace(",", ""))
        width = len(str(old))
        low, high = (2 if width == 1 else 10 ** (width - 1)), 10**width - 1
        new = rng.choice([n for n in range(low, high + 1) if n != old]) if width <= 4 else rng.randint(low, high)
        return head + (f"{new:,}" if "," in rest else str(new))
    if rest in NUMBER_WORDS:
        return head + rng.choice([w for w in NUMBER_WORDS if w != rest])
    return folded


def number_edits(figures: list[Mapping[str, Any]], text: str, rng: random.Random) -> tuple[list[Edit], dict[str, dict[str, Any]]]:
    """Edits of the figures' quantity spans, and each figure's new quantity gold (by id)."""
    chosen: dict[str, str] = {}
    edits: list[Edit] = []
    quantities: dict[str, dict[str, Any]] = {}
    for figure in sorted(figures, key=lambda f: (f["quantity"]["start"], f["id"])):
        q = figure["quantity"]
        phrase = text[q["start"] : q["end"]]
        key = " ".join(phrase.casefold().split())
        if key not in chosen:
            chosen[key] = resample_phrase(phrase, rng)
        new = _styled(chosen[key], phrase)
        if new == phrase:
            continue
        read = read_quantity(new)
        assert read is not None, new
        b = read.bounds
        edits.append(Edit(q["start"], q["end"], new))
        quantities[figure["id"]] = {
            "text": new, "kind": b.kind.value, "low": b.low, "high": b.high, "point": b.point,
            "qualifier": read.qualifier, "vague_term": read.vague_term,
        }
    return edits, quantities
