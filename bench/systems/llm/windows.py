"""Prompt windows: how an LLM system feeds an article to its model (part of stage 3).

How a long article reaches a model is part of what a benchmark measures, so it is a
choice (`--window`), recorded with the prompt identity:

- `document`: the whole article in one prompt per task (prompts 1.0.0 did only this);
- `paragraph`: one prompt per paragraph (a line of the article);
- `sentence`: one prompt per sentence, from the benchmark's own splitter
  (`bench.documents.tokenize`). Attribution content may run across a sentence
  boundary, so for attribution each sentence comes with the sentence before and
  after it in its paragraph, marked as context that is not to be extracted from; its
  strings are grounded in that sentence and its context.

The strings of an answer stay text only: each one is tagged with its window's span of
the article (`window` in the predictions file), and the scorer grounds it inside that
window only (at the occurrence the task's grounding policy picks there), which gives
it document offsets. A string that is not in its window is `ungrounded`, even if it
occurs elsewhere. Two windows that name "Assad" each ground at their own occurrence.

Records from the windows are merged per document: attribution ids are prefixed with
the window's number (`w3.a1`, its parent `w3.a2`), so they are unique in the
document. Duplicate records are removed before scoring and counted
(`duplicates_removed` in the results): a repeated NER or casualty record beyond the
number of times its string occurs in its window (a looping model), and an attribution
record that another window already gave with the same source, cue, content and mode
(neighbouring sentences share context).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from typing import Any, Sequence

from bench.documents.corpus import Document
from bench.tasks.base import TaskName
from bench.tasks.ner.grounding import normalise, occurrences, within


class WindowStrategy(str, Enum):
    DOCUMENT = "document"
    PARAGRAPH = "paragraph"
    SENTENCE = "sentence"


CONTEXT_MARK = "[context, do not extract from it]"


@dataclass(frozen=True)
class Window:
    """One prompt's share of an article: [start, end) to extract from, and [ground_start,
    ground_end) where its strings are grounded (wider when context is shown)."""

    index: int
    start: int
    end: int
    ground_start: int
    ground_end: int
    before: str = ""  # context shown before the passage, not to be extracted from
    after: str = ""

    @property
    def span(self) -> tuple[int, int]:
        return (self.ground_start, self.ground_end)

    def text(self, document: Document) -> str:
        return document.text[self.start : self.end]

    def prompt_text(self, document: Document) -> str:
        """What replaces the template's {{ARTICLE}}: the passage, with its context marked."""
        parts = []
        if self.before:
            parts.append(f"{CONTEXT_MARK} {self.before}")
        parts.append(self.text(document))
        if self.after:
            parts.append(f"{CONTEXT_MARK} {self.after}")
        return "\n".join(parts)

    def describe(self) -> dict[str, int]:
        return {"index": self.index, "start": self.start, "end": self.end, "ground_start": self.ground_start, "ground_end": self.ground_end}


def paragraphs(document: Document) -> list[tuple[int, int]]:
    """(first, last + 1) sentence indices of each paragraph: sentences never cross a line."""
    out: list[tuple[int, int]] = []
    sentences = document.sentences
    first = 0
    for i in range(1, len(sentences) + 1):
        if i == len(sentences) or "\n" in document.text[sentences[i - 1].end : sentences[i].start]:
            out.append((first, i))
            first = i
    return out


def make_windows(document: Document, strategy: WindowStrategy, task: TaskName) -> tuple[Window, ...]:
    """The windows of one document for one task, in text order."""
    text = document.text
    if strategy is WindowStrategy.DOCUMENT or not document.sentences:
        return (Window(0, 0, len(text), 0, len(text)),)
    sentences = document.sentences
    if strategy is WindowStrategy.PARAGRAPH:
        return tuple(
            Window(i, sentences[a].start, sentences[b - 1].end, sentences[a].start, sentences[b - 1].end)
            for i, (a, b) in enumerate(paragraphs(document))
        )
    windows: list[Window] = []
    for a, b in paragraphs(document):
        for k in range(a, b):
            s = sentences[k]
            if task is TaskName.ATTRIBUTION:
                prev = sentences[k - 1] if k > a else None
                nxt = sentences[k + 1] if k + 1 < b else None
                windows.append(
                    Window(
                        len(windows),
                        s.start,
                        s.end,
                        prev.start if prev else s.start,
                        nxt.end if nxt else s.end,
                        text[prev.start : prev.end] if prev else "",
                        text[nxt.start : nxt.end] if nxt else "",
                    )
                )
            else:
                windows.append(Window(len(windows), s.start, s.end, s.start, s.end))
    return tuple(windows)


# Answer bounds: at most this many records per window, from its word count (and at least the floor).
# Gold density is about one NER mention per 9 words; the bound leaves generous room.
_PER_WORDS = {TaskName.NER: 3, TaskName.CASUALTIES: 12, TaskName.ATTRIBUTION: 12}
_FLOOR = {TaskName.NER: 4, TaskName.CASUALTIES: 2, TaskName.ATTRIBUTION: 2}


def bounds_rule(task: TaskName) -> dict[str, object]:
    from bench.systems.llm.answers import MAX_CHARS

    return {"words_per_item": _PER_WORDS[task], "floor": _FLOOR[task], "max_chars": MAX_CHARS[task]}


def max_items(task: TaskName, window: Window, document: Document) -> int:
    """`maxItems` of the window's answer schema: scaled to its length, so that a small
    model cannot loop until the token limit."""
    words = len(document.text[window.start : window.end].split())
    return max(_FLOOR[task], -(-words // _PER_WORDS[task]))


def localise(task: TaskName, items: Sequence[Any], window: Window, windowed: bool) -> list[Any]:
    """Tag a window's parsed items with the window's span (and prefix attribution ids)."""
    if not windowed:
        return list(items)
    span = window.span
    if task is TaskName.NER:
        return [replace(m, window=span) for m in items]
    if task is TaskName.CASUALTIES:
        return [replace(f, quantity=replace(f.quantity, span=replace(f.quantity.span, window=span))) for f in items]
    prefix = f"w{window.index}."
    return [
        replace(
            r,
            id=prefix + r.id,
            parent=None if r.parent is None else prefix + r.parent,
            cue=replace(r.cue, window=span),
            content=tuple(replace(c, window=span) for c in r.content),
        )
        for r in items
    ]


def _record_key(task: TaskName, item: Any) -> tuple:
    if task is TaskName.NER:
        return (normalise(item.text or ""), item.label, item.window)
    if task is TaskName.CASUALTIES:
        q = item.quantity
        return (normalise(q.span.text or ""), q.span.window, q.bounds, item.outcome, item.unit, item.victim_category)
    return (
        normalise(item.source.text or ""),
        item.source.type,
        normalise(item.cue.text or ""),
        tuple(normalise(c.text or "") for c in item.content),
        item.mode,
    )


def _string(task: TaskName, item: Any) -> str:
    return (item.text if task is TaskName.NER else item.quantity.span.text) or ""


def dedupe(task: TaskName, items: Sequence[Any], document: Document) -> tuple[list[Any], int]:
    """Drop duplicate records (see the module docstring); returns (kept, number removed)."""
    kept: list[Any] = []
    seen: dict[tuple, int] = {}
    removed_ids: dict[str, str] = {}  # attribution: a dropped id -> the id kept in its place
    for item in items:
        key = _record_key(task, item)
        count = seen.get(key, 0)
        if task is TaskName.ATTRIBUTION:
            if count:
                removed_ids[item.id] = next(k.id for k in kept if _record_key(task, k) == key)
                continue
        else:
            window = item.window if task is TaskName.NER else item.quantity.span.window
            allowed = max(1, len(within(occurrences(document, _string(task, item)), window)))
            if count >= allowed:
                seen[key] = count + 1
                continue
        seen[key] = count + 1
        kept.append(item)
    if removed_ids:  # a child of a dropped duplicate now points at the record kept
        kept = _break_cycles([replace(r, parent=removed_ids.get(r.parent, r.parent)) if r.parent else r for r in kept])
    return kept, len(items) - len(kept)


def _break_cycles(relations: list[Any]) -> list[Any]:
    """Re-pointed parents could close a loop across windows: such a link is dropped."""
    parents = {r.id: r.parent for r in relations}
    out = []
    for r in relations:
        seen, node = {r.id}, r.parent
        while node is not None and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node is not None:  # came back to a relation already seen: a cycle through r
            parents[r.id] = None
            r = replace(r, parent=None)
        out.append(r)
    return out
