"""How big an answer schema may be, and what a window over the limit becomes.

Where it sits: stage 3, the LLM adapter, between building a window's request
(`requests.py`) and sending it. A copy-constrained answer schema lists the phrases of
its window as an `enum`; endpoints cap that. OpenAI's structured outputs take at most
1,000 enum values in one schema, and at most 15,000 characters of values in an enum of
more than 250 (https://platform.openai.com/docs/guides/structured-outputs, "Supported
schemas"). `--max-enum N` sets the first cap; `openai:` endpoints get OpenAI's caps by
default, in-process llama.cpp (a grammar, no such cap) none.

A window over the limit is treated as its prompt version says (`bench.tasks.llm.OVER_LIMIT`):
- `split`: cut into its paragraphs, a paragraph into its sentences, each a window part
  (`Window.part`) with its own bound and enum, checked again; a sentence still over is
  copy-checked;
- `copy_check`: the schema is sent without its enum, and the answer's items are checked
  against it when the answer is read (`answers.copy_check`);
- `refuse`: the run stops with one line naming the document, window and sizes.
Each treatment other than `whole` prints one warning line, and is part of the request's
cache key and of the results (`schema_treatment` in the system block), so a cached
re-run reports the same.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import Any, Callable, Iterator

from bench.documents.corpus import Document
from bench.documents.windows import Window, paragraphs
from bench.errors import BenchError


class Treatment(str, Enum):
    WHOLE = "whole"  # sent as built
    SPLIT = "split"  # a part of a window that was over the limit
    COPY_CHECK = "copy_check"  # sent without its enum, checked at parse time


@dataclass(frozen=True)
class EnumLimit:
    """The most enum values one answer schema may hold, all enums together, and the most
    characters of values in one enum of more than `chars_over` values (None: no cap)."""

    max_values: int
    max_chars: int | None = None
    chars_over: int = 250

    def describe(self) -> dict[str, Any]:
        out: dict[str, Any] = {"max_enum": self.max_values}
        if self.max_chars is not None:
            out.update(max_enum_chars=self.max_chars, enum_chars_over=self.chars_over)
        return out

    def problem(self, schema: Any) -> str | None:
        """Why `schema` is over the limit, or None."""
        enums = list(_enums(schema))
        total = sum(len(values) for values in enums)
        if total > self.max_values:
            return f"{total:,} enum values, more than {self.max_values:,}"
        if self.max_chars is not None:
            for values in enums:
                chars = sum(len(str(v)) for v in values)
                if len(values) > self.chars_over and chars > self.max_chars:
                    return f"an enum of {len(values):,} values and {chars:,} characters, more than {self.max_chars:,} characters"
        return None


OPENAI = EnumLimit(1000, 15_000)  # the default for openai: endpoints


def limit_for(max_enum: int | None, default: EnumLimit | None) -> EnumLimit | None:
    """The limit a run applies: `--max-enum N` (0: none), else the backend's default."""
    if max_enum is None:
        return default
    if max_enum == 0:
        return None
    if default is not None and default.max_chars is not None:
        return EnumLimit(max_enum, default.max_chars, default.chars_over)
    return EnumLimit(max_enum)


def _enums(schema: Any) -> Iterator[list[Any]]:
    if isinstance(schema, dict):
        for key, value in schema.items():
            if key == "enum" and isinstance(value, list):
                yield value
            else:
                yield from _enums(value)
    elif isinstance(schema, list):
        for value in schema:
            yield from _enums(value)


def smaller(window: Window, document: Document) -> list[tuple[int, int]]:
    """The spans a window is split into: its paragraphs when it holds several, else its
    sentences when it holds several, else none (a window with context is never split:
    its passage is one sentence)."""
    if window.before or window.after:
        return []
    sentences = [s for s in document.sentences if window.start <= s.start and s.end <= window.end]
    inside = [(document.sentences[a].start, document.sentences[b - 1].end) for a, b in paragraphs(document)]
    inside = [(start, end) for start, end in inside if window.start <= start and end <= window.end]
    if len(inside) > 1:
        return inside
    if len(sentences) > 1:
        return [(s.start, s.end) for s in sentences]
    return []


@dataclass(frozen=True)
class Planned:
    window: Window
    treatment: Treatment


def plan(window: Window, document: Document, schema_of: Callable[[Window], Any], limit: EnumLimit, rule: str, where: str, warn: Callable[[str], None]) -> list[Planned]:
    """The windows a window is sent as under `limit` and the version's rule (an `OverLimit`
    value): itself when within it; else its parts, or itself copy-checked, or an error."""
    why = limit.problem(schema_of(window))
    if why is None:
        return [Planned(window, Treatment.WHOLE)]
    place = f"{where}, window {window.label} [{window.start}, {window.end})"
    if rule == "refuse":
        raise BenchError(f"{place}: the answer schema has {why} (--max-enum); this prompt version refuses it: use smaller --window or a larger --max-enum")
    if rule == "split":
        spans = smaller(window, document)
        if spans:
            pieces = [piece for start, end in spans for piece in _split(Window(window.index, start, end, start, end, part=0), document, schema_of, limit)]
            parts = [Planned(Window(window.index, w.start, w.end, w.start, w.end, part=k), Treatment.SPLIT if within else Treatment.COPY_CHECK)
                     for k, (w, within) in enumerate(pieces)]
            checked = sum(p.treatment is Treatment.COPY_CHECK for p in parts)
            warn(f"{place}: the answer schema has {why}; split into {len(parts)} parts" + (f" ({checked} still over, sent without the enum and checked when read)" if checked else ""))
            return parts
    warn(f"{place}: the answer schema has {why}; sent without the enum, its phrases checked when the answer is read")
    return [Planned(window, Treatment.COPY_CHECK)]


def _split(window: Window, document: Document, schema_of: Callable[[Window], Any], limit: EnumLimit) -> list[tuple[Window, bool]]:
    """(piece, within the limit): `window` when within it or not smaller; else its
    smaller spans, each split again."""
    if limit.problem(schema_of(window)) is None:
        return [(window, True)]
    spans = smaller(window, document)
    if not spans:
        return [(window, False)]
    return [piece for start, end in spans for piece in _split(Window(window.index, start, end, start, end, part=0), document, schema_of, limit)]
