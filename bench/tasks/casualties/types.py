"""Casualty-figure data types: gold figures, non-casualty quantities, predictions.

Gold and predictions share one shape: a `Quantity` (the figure phrase and its
normalised bounds), an outcome, a unit, a victim, and optional perpetrator, location
and time spans. A predicted quantity may lack offsets (text only); the scorer grounds
it in the article (see `task.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any


class Kind(str, Enum):
    EXACT = "exact"
    LOWER_BOUND = "lower_bound"
    UPPER_BOUND = "upper_bound"
    RANGE = "range"
    APPROX = "approx"
    VAGUE = "vague"


class Outcome(str, Enum):
    KILLED = "killed"
    INJURED = "injured"
    KILLED_OR_INJURED = "killed_or_injured"
    KIDNAPPED = "kidnapped"
    ARRESTED = "arrested"
    MISSING = "missing"
    DISPLACED = "displaced"


class Unit(str, Enum):
    PERSONS = "persons"
    INCIDENTS = "incidents"


class VictimCategory(str, Enum):
    STATE_FORCES = "state_forces"
    ARMED_GROUP = "armed_group"
    CIVILIANS = "civilians"
    MIXED = "mixed"
    UNKNOWN = "unknown"


class NonCasualtyKind(str, Enum):
    CROWD_SIZE = "crowd_size"
    DATE = "date"
    DURATION = "duration"
    OTHER_COUNT = "other_count"


@dataclass(frozen=True, slots=True)
class TextSpan:
    """A span of the article; in predictions, offsets may be missing (text only)."""

    start: int | None
    end: int | None
    text: str | None
    entity: str | None = None  # NER entity id, when the span is a named entity
    window: tuple[int, int] | None = None  # text only: ground inside [start, end) of the article alone

    def to_json(self) -> dict[str, Any]:
        window = list(self.window) if self.window is not None else None
        out = {"start": self.start, "end": self.end, "text": self.text, "entity": self.entity, "window": window}
        return {k: v for k, v in out.items() if v is not None}


@dataclass(frozen=True, slots=True)
class Bounds:
    """The normalised value of a figure: [low, high], high None = unbounded."""

    kind: Kind
    low: int
    high: int | None
    point: int | None = None

    def overlaps(self, other: "Bounds") -> bool:
        return (self.high is None or other.low <= self.high) and (other.high is None or self.low <= other.high)

    def contains(self, value: int) -> bool:
        return self.low <= value and (self.high is None or value <= self.high)


@dataclass(frozen=True, slots=True)
class Quantity:
    span: TextSpan
    bounds: Bounds
    qualifier: str | None = None
    vague_term: str | None = None


@dataclass(frozen=True, slots=True)
class Figure:
    """One casualty-figure mention: gold record (with `id`) or prediction (`id` None)."""

    quantity: Quantity
    outcome: Outcome
    unit: Unit
    victim_category: VictimCategory
    victim: TextSpan | None = None
    perpetrator: TextSpan | None = None
    location: TextSpan | None = None
    time: TextSpan | None = None
    in_headline: bool | None = None
    id: str | None = None
    attribution: str | None = None
    victim_alternatives: tuple[VictimCategory, ...] = ()  # gold: every defensible category, when the text allows two or more

    @property
    def accepted_victims(self) -> frozenset[VictimCategory]:
        """The victim categories `victim_accuracy` accepts: the category, or the gold's defensible set."""
        return frozenset(self.victim_alternatives) | {self.victim_category}

    def to_json(self) -> dict[str, Any]:
        """The predictions-file form (also what `--save-predictions` writes)."""
        q = self.quantity
        quantity = {**q.span.to_json(), "kind": q.bounds.kind.value, "low": q.bounds.low, "high": q.bounds.high}
        for key, value in (("point", q.bounds.point), ("qualifier", q.qualifier), ("vague_term", q.vague_term)):
            if value is not None:
                quantity[key] = value
        victim = {"category": self.victim_category.value, **(self.victim.to_json() if self.victim else {})}
        out: dict[str, Any] = {"quantity": quantity, "outcome": self.outcome.value, "unit": self.unit.value, "victim": victim}
        for key in ("perpetrator", "location", "time"):
            span = getattr(self, key)
            if span is not None:
                out[key] = span.to_json()
        if self.in_headline is not None:
            out["in_headline"] = self.in_headline
        return out


@dataclass(frozen=True, slots=True)
class NonCasualty:
    id: str
    start: int
    end: int
    text: str
    kind: NonCasualtyKind


@dataclass(frozen=True)
class CasualtyGold:
    doc_id: str
    figures: tuple[Figure, ...]
    non_casualty: tuple[NonCasualty, ...]
