"""Attribution data types: gold relations and predicted relations share one shape.

A relation has a source (a span or none, a type, an NER entity id or a head noun), a
cue span, one or more content spans, a mode, and an optional parent (nesting). In
predictions, spans may lack offsets (text only); the scorer grounds them (`task.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any

from bench.tasks.casualties.types import TextSpan


class SourceType(str, Enum):
    NAMED_PERSON = "named_person"
    NAMED_ORG = "named_org"
    MEDIA = "media"
    STATE_MEDIA = "state_media"
    MONITOR = "monitor"
    OFFICIAL = "official"
    UNNAMED_INDIVIDUAL = "unnamed_individual"
    UNNAMED_GROUP = "unnamed_group"
    DOCUMENT = "document"
    UNSPECIFIED = "unspecified"


class Mode(str, Enum):
    DIRECT = "direct"
    INDIRECT = "indirect"
    MIXED = "mixed"


class Coverage(str, Enum):
    FULL = "full"
    PARTIAL = "partial"


@dataclass(frozen=True, slots=True)
class Source:
    span: TextSpan | None  # None: the text names no source (agentless passive)
    type: SourceType
    entity: str | None = None  # NER entity id of a named source (gold)
    head: str | None = None  # head noun of an unnamed source (gold)

    @property
    def text(self) -> str | None:
        return None if self.span is None else self.span.text


@dataclass(frozen=True, slots=True)
class Relation:
    """One attribution relation: gold (ids from the gold file) or predicted (ids local to
    the document, used only to express `parent`)."""

    id: str
    source: Source
    cue: TextSpan
    content: tuple[TextSpan, ...]
    mode: Mode
    parent: str | None = None
    coverage: Coverage = Coverage.FULL
    figures: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The predictions-file form (also what `--save-predictions` writes)."""
        source: dict[str, Any] = {"type": self.source.type.value}
        if self.source.span is not None:
            source |= self.source.span.to_json()
        out: dict[str, Any] = {
            "id": self.id,
            "source": source,
            "cue": self.cue.to_json(),
            "content": [span.to_json() for span in self.content],
            "mode": self.mode.value,
        }
        if self.parent is not None:
            out["parent"] = self.parent
        return out


@dataclass(frozen=True, slots=True)
class FigureLink:
    """A gold casualty figure's quantity span and the gold relation that reports it."""

    id: str
    start: int
    end: int
    attribution: str | None
