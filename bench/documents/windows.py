"""Prompt windows: how a document is cut into the passages an LLM is shown, one per prompt.

Where it sits: stage 1, documents. How a long article reaches a model is part of what
a benchmark measures, so it is a choice (`--window`), recorded with the prompt
identity:

- `document`: the whole article in one prompt per task (prompts 1.0.0 did only this);
- `paragraph`: one prompt per paragraph (a line of the article);
- `sentence`: one prompt per sentence, from the benchmark's own splitter
  (`bench.documents.tokenize`). A task whose items may run across a sentence boundary
  (attribution content) asks for `context`: each sentence then comes with the
  sentence before and after it in its paragraph, marked as context that is not to be
  extracted from, and its strings are grounded in that sentence and its context.

A window knows its span of the article (`start`, `end`) and where its strings are
grounded (`ground_start`, `ground_end`: wider when context is shown). The strings of
an answer stay text only, tagged with that span; the scorer grounds each inside its
window only, which gives it document offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only annotations: `bench --help` imports this module for WindowStrategy
    from bench.documents.corpus import Document


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
    part: int | None = None  # a part of window `index`, cut because its answer schema was over the limit

    @property
    def span(self) -> tuple[int, int]:
        return (self.ground_start, self.ground_end)

    def text(self, document: Document) -> str:
        return document.text[self.start : self.end]

    def prompt_text(self, document: Document) -> str:
        """What replaces a template's {{ARTICLE}}: the passage, with its context marked."""
        parts = []
        if self.before:
            parts.append(f"{CONTEXT_MARK} {self.before}")
        parts.append(self.text(document))
        if self.after:
            parts.append(f"{CONTEXT_MARK} {self.after}")
        return "\n".join(parts)

    def words(self, document: Document) -> int:
        """Whitespace-separated words of the passage (answer bounds scale with it)."""
        return len(self.text(document).split())

    def describe(self) -> dict[str, int]:
        out = {"index": self.index, "start": self.start, "end": self.end, "ground_start": self.ground_start, "ground_end": self.ground_end}
        if self.part is not None:  # only then: the cache keys of whole windows stay as they were
            out["part"] = self.part
        return out

    @property
    def label(self) -> str:
        """How a message names the window: its index, and its part when it is one."""
        return f"{self.index}" if self.part is None else f"{self.index} part {self.part}"


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


def make_windows(document: Document, strategy: WindowStrategy, context: bool = False) -> tuple[Window, ...]:
    """The windows of one document, in text order; `context`: sentence windows show
    their neighbouring sentences of the paragraph, marked."""
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
            if context:
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
