"""Character edits of an article, and the map that carries gold offsets through them.

Where it sits: stage 1, documents: a text and its offsets. A variant family
(`bench.variants`, and a task's own family such as casualty numbers) produces a list of
`Edit`s per article; `apply_edits` gives the new text and an `OffsetMap`, and the tree
builder maps every gold span with it.

Edits replace half-open ranges [start, end) of the original text and never overlap.
An offset outside every edit moves by the length change of the edits before it; an
edit's own start and end map to the new start and end of its replacement. A span
boundary strictly inside an edited range has no place in the new text, so mapping it
is an error: families edit whole tokens, and gold spans start and end on tokens, so
this never happens to a valid tree.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass


class EditError(ValueError):
    """Edits that overlap, or an offset that falls inside an edited range."""


@dataclass(frozen=True, slots=True)
class Edit:
    start: int
    end: int
    new: str

    @property
    def delta(self) -> int:
        return len(self.new) - (self.end - self.start)


@dataclass(frozen=True)
class OffsetMap:
    """Maps offsets of the original text to offsets of the edited text."""

    edits: tuple[Edit, ...]  # sorted, non-overlapping
    _ends: tuple[int, ...]
    _shift_after: tuple[int, ...]  # total delta of edits[0..i]

    def __call__(self, offset: int) -> int:
        i = bisect_right(self._ends, offset) - 1  # last edit ending at or before offset
        shift = self._shift_after[i] if i >= 0 else 0
        nxt = i + 1
        if nxt < len(self.edits):
            edit = self.edits[nxt]
            if edit.start < offset:
                raise EditError(f"offset {offset} falls inside the edit [{edit.start}, {edit.end}) -> {edit.new!r}")
        return offset + shift

    def span(self, start: int, end: int) -> tuple[int, int]:
        return self(start), self(end)


def apply_edits(text: str, edits: list[Edit] | tuple[Edit, ...]) -> tuple[str, OffsetMap]:
    """The edited text and the map of its offsets. Edits must not overlap."""
    ordered = tuple(sorted(edits, key=lambda e: (e.start, e.end)))
    parts: list[str] = []
    ends: list[int] = []
    shifts: list[int] = []
    at, shift = 0, 0
    for edit in ordered:
        if edit.start < at or not 0 <= edit.start <= edit.end <= len(text):
            raise EditError(f"edit [{edit.start}, {edit.end}) -> {edit.new!r} overlaps another or is out of range")
        parts.append(text[at : edit.start])
        parts.append(edit.new)
        at = edit.end
        shift += edit.delta
        ends.append(edit.end)
        shifts.append(shift)
    parts.append(text[at:])
    return "".join(parts), OffsetMap(ordered, tuple(ends), tuple(shifts))
