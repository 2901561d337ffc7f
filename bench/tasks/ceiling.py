"""A perfect model's answer for one window: what each task's LLM protocol says a gold item becomes.

Where it sits: stage 2, tasks, shared by every task's LLM protocol (`tasks/<task>/llm.py`,
`ideal_answer`). `bench ceiling` (`bench.harness.ceiling`) asks each task, window by
window, for the answer a perfect model would give under one prompt version's answer
format: every gold item the window owns, written as the format allows (only phrases
its `enum` offers, contents as its copy rule allows, within its bounds), and for each
item whether it is in the answer, exactly or approximately, and if not, why not. The
answer then goes through the same parser, window tagging, dedupe, grounding and scorer
as a model's. Which gold items a window owns, how each maps to an answer record and
which phrase is its best stand-in is the task's knowledge; this module holds the types
and the reasons every task shares, and the test of why a span is not a phrase.

Computing an ideal answer reads the gold by design: it measures the answer format, not
a model, and must never be used to tune prompts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping

from bench.documents.corpus import Document
from bench.documents.windows import Window
from bench.tasks.copying import is_word

# Reasons shared by the tasks (a task adds its own: lower-case names, agentless sources ...).
CROSSES_WINDOWS = "crosses windows"  # the item starts in this window's passage and ends after it
OUTSIDE_WINDOW = "outside the window"  # a part the answer needs lies outside the text the window shows
OVER_ITEM_BOUND = "over the window's item bound"
OVER_CHARACTERS = "longer than the character cap"
OVER_TOKENS = "phrase longer than the token limit"
CROSSES_SENTENCE = "phrase crosses a sentence"
PUNCTUATION_END = "phrase starts or ends with punctuation"
OFF_TOKENS = "not on token boundaries"
NOT_A_PHRASE = "not a phrase the enum offers"


@dataclass(frozen=True)
class IdealItem:
    """One gold item in a window's ideal answer: `given` (in the answer), and `reason`:
    why it is left out, or, when given, why only approximately (None: exactly)."""

    id: str
    given: bool
    reason: str | None = None

    @property
    def exact(self) -> bool:
        return self.given and self.reason is None


@dataclass(frozen=True)
class IdealAnswer:
    """A window's ideal answer (the JSON object a model would send) and the gold items it accounts for."""

    answer: Mapping[str, Any]
    items: tuple[IdealItem, ...]


def owns(window: Window, start: int) -> bool:
    """Whether an item starting at `start` is this window's to give (its passage holds the
    start; a start between two passages, which no token has, goes to neither)."""
    return window.start <= start < window.end


def phrase_problem(document: Document, start: int, end: int, max_tokens: int) -> str | None:
    """Why [start, end) is not a copy-rule phrase (`bench.tasks.copying.phrases`) of at most
    `max_tokens` tokens, or None when it is one (a task's own rule may still refuse it)."""
    if not document.is_token_aligned(start, end):
        return OFF_TOKENS
    if document.sentence_at(start).end < end:
        return CROSSES_SENTENCE
    tokens = [t for t in document.tokens if start <= t.start and t.end <= end]
    last, before = tokens[-1], tokens[-2] if len(tokens) > 1 else None
    initial = before is not None and last.text == "." and last.start == before.end and len(before.text) == 1 and is_word(before.text)
    if not is_word(tokens[0].text) or not (is_word(last.text) or initial):
        return PUNCTUATION_END
    if len(tokens) > max_tokens:
        return OVER_TOKENS
    return None


__all__ = [
    "CROSSES_SENTENCE", "CROSSES_WINDOWS", "IdealAnswer", "IdealItem", "NOT_A_PHRASE", "OFF_TOKENS", "OUTSIDE_WINDOW",
    "OVER_CHARACTERS", "OVER_ITEM_BOUND", "OVER_TOKENS", "PUNCTUATION_END", "owns", "phrase_problem",
]
