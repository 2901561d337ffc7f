"""NER data types: gold entities and mentions, and predicted mentions.

A predicted mention either has offsets (`start`, `end`, optional `text` that must
match) or only `text` (as LLMs give it), which the scorer grounds in the article
(see `grounding.py`), or only inside its `window` when it has one (the passage an
LLM was shown). After label mapping and grounding, every prediction is a
`Span` with a label in the scored view.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property


@dataclass(frozen=True, slots=True)
class Entity:
    id: str
    name: str
    label: str


@dataclass(frozen=True, slots=True)
class Mention:
    id: str
    start: int
    end: int
    text: str
    entity: str  # Entity.id


@dataclass(frozen=True)
class NerGold:
    doc_id: str
    entities: tuple[Entity, ...]
    mentions: tuple[Mention, ...]

    def label_of(self, mention: Mention) -> str:
        return self._labels[mention.entity]

    @cached_property
    def _labels(self) -> dict[str, str]:
        return {e.id: e.label for e in self.entities}

    def spans(self) -> tuple["Span", ...]:
        labels = self._labels
        return tuple(Span(m.start, m.end, labels[m.entity]) for m in self.mentions)


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A labelled character span [start, end): the unit every NER scorer compares."""

    start: int
    end: int
    label: str

    def overlaps(self, other: "Span") -> bool:
        return self.start < other.end and other.start < self.end


@dataclass(frozen=True, slots=True)
class PredictedMention:
    """One predicted mention as a system or a predictions file gives it."""

    label: str
    start: int | None = None
    end: int | None = None
    text: str | None = None
    window: tuple[int, int] | None = None  # text only: ground inside [start, end) of the article alone

    @property
    def has_offsets(self) -> bool:
        return self.start is not None
