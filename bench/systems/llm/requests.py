"""One task's prompts for one document, and their answers merged into its predictions.

Where it sits: stage 3, the LLM adapter, generic over the task's LLM protocol
(`bench.tasks.llm`). `requests` cuts a document into windows and builds, per window,
the messages and the answer schema (bounded, copy-constrained) the model is sent;
`merge` parses each window's answer, tags its items with the window and removes
duplicate records across the document's windows. `LLMSystem` (system.py) sends the
requests to a backend; an Inspect AI or lm-evaluation-harness task sends the same
requests through its own harness and hands the answers back to `merge`, so every route
gives the same predictions for the same answers.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from bench.documents.corpus import Document
from bench.documents.windows import Window, WindowStrategy, make_windows
from bench.systems.base import ParseFailure
from bench.systems.llm.answers import parse_answer
from bench.systems.llm.prompts import Prompt
from bench.tasks.base import Task
from bench.tasks.llm import choices


@dataclass(frozen=True)
class Request:
    """One prompt: a window of a document, what the model is sent, and its answer's bound."""

    task: str
    doc_id: str
    window: Window
    max_items: int | None  # the answer schema's maxItems (None: unbounded prompts)

    @property
    def schema_name(self) -> str:
        """The name the answer schema is sent under (`json_schema.name`)."""
        return f"{self.task}_answer"

    def messages(self, prompt: Prompt, document: Document) -> list[dict[str, str]]:
        return prompt.messages(self.window.prompt_text(document))

    def schema(self, prompt: Prompt, document: Document) -> dict[str, Any]:
        """The answer schema sent for this window: bounded, with the phrases each copy-constrained field may hold."""
        phrases = choices(prompt.format, self.window, document) if self.max_items is not None else None
        return prompt.format.schema(self.max_items, phrases)


def windows(task: Task, document: Document, strategy: WindowStrategy) -> tuple[Window, ...]:
    return make_windows(document, strategy, context=task.llm.context)


def requests(task: Task, prompt: Prompt, document: Document, strategy: WindowStrategy) -> list[Request]:
    """The prompts of one task for one document, one per window, in text order."""
    bounds = prompt.format.bounds
    return [Request(str(task.name), document.id, w, bounds.max_items(w, document) if bounds is not None else None) for w in windows(task, document, strategy)]


@dataclass(frozen=True)
class Merged:
    """One task's predictions for one document from its windows' answers."""

    items: tuple[Any, ...]
    failures: tuple[ParseFailure, ...]
    answers: int  # one per window
    duplicates_removed: int


def place(spec: str, document: Document, task: Task) -> str:
    """Where a document's answers for a task come from, as a parse failure's message names it."""
    return f"system {spec!r}, document {document.id}, {task.name} answer"


def merge(task: Task, prompt: Prompt, document: Document, strategy: WindowStrategy, answered: Sequence[tuple[Request, str, bool]], where: str) -> Merged:
    """Parse each window's answer (text, truncated: it hit the token limit), tag its items
    with the window, and remove duplicates across the windows (bounded prompts only)."""
    windowed = strategy is not WindowStrategy.DOCUMENT
    items: list[Any] = []
    failures: list[ParseFailure] = []
    for request, text, truncated in answered:
        window = request.window
        place = where + (f", {strategy.value} window {window.index} [{window.start}, {window.end})" if windowed else "")
        parsed = parse_answer(task, prompt.format, text, document, place, truncated, request.max_items)
        if parsed.failure:
            failure = parsed.failure
            if windowed:
                failure = ParseFailure(failure.kind, f"{strategy.value} window {window.index} [{window.start}, {window.end}): {failure.message}")
            failures.append(failure)
        items.extend(task.llm.localise(parsed.items, window) if windowed else parsed.items)
    kept, removed = task.llm.dedupe(items, document) if prompt.bounded else (items, 0)
    return Merged(tuple(kept), tuple(failures), len(answered), removed)
