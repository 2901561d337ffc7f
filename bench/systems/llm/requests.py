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
from typing import Any, Callable, Sequence

from bench.documents.corpus import Document
from bench.documents.windows import Window, WindowStrategy, make_windows
from bench.systems.base import ParseFailure
from bench.systems.llm.answers import parse_answer
from bench.systems.llm.prompts import Prompt
from bench.systems.llm.schema_limits import EnumLimit, Treatment, plan
from bench.tasks.base import Task
from bench.tasks.llm import choices, over_limit


@dataclass(frozen=True)
class Request:
    """One prompt: a window of a document, what the model is sent, and its answer's bound."""

    task: str
    doc_id: str
    window: Window
    max_items: int | None  # the answer schema's maxItems (None: unbounded prompts)
    treatment: Treatment = Treatment.WHOLE  # how the schema limit shaped it (bench.systems.llm.schema_limits)

    @property
    def schema_name(self) -> str:
        """The name the answer schema is sent under (`json_schema.name`)."""
        return f"{self.task}_answer"

    def messages(self, prompt: Prompt, document: Document) -> list[dict[str, str]]:
        return prompt.messages(self.window.prompt_text(document))

    def schema(self, prompt: Prompt, document: Document) -> dict[str, Any]:
        """The answer schema sent for this window: bounded, with the phrases each
        copy-constrained field may hold (left out when the window is copy-checked)."""
        if self.treatment is Treatment.COPY_CHECK:
            return prompt.format.schema(self.max_items, None)
        return self.constrained_schema(prompt, document)

    def constrained_schema(self, prompt: Prompt, document: Document) -> dict[str, Any]:
        """The schema with every enum: what a copy-checked answer is read against."""
        phrases = choices(prompt.format, self.window, document) if self.max_items is not None else None
        return prompt.format.schema(self.max_items, phrases)


def windows(task: Task, document: Document, strategy: WindowStrategy) -> tuple[Window, ...]:
    return make_windows(document, strategy, context=task.llm.context)


def requests(task: Task, prompt: Prompt, document: Document, strategy: WindowStrategy, limit: EnumLimit | None = None,
             warn: Callable[[str], None] | None = None) -> list[Request]:
    """The prompts of one task for one document, one per window, in text order; under an
    enum `limit`, a window over it as the prompt version says (split, copy-checked or
    refused; each one warning line through `warn`)."""
    bounds = prompt.format.bounds

    def request(w: Window, treatment: Treatment = Treatment.WHOLE) -> Request:
        return Request(str(task.name), document.id, w, bounds.max_items(w, document) if bounds is not None else None, treatment)

    whole = [request(w) for w in windows(task, document, strategy)]
    if limit is None or prompt.format.copy is None or bounds is None:
        return whole
    out: list[Request] = []
    where = f"{task.name}, document {document.id}, prompts {prompt.version}"
    for r in whole:
        planned = plan(r.window, document, lambda w: request(w).constrained_schema(prompt, document), limit, over_limit(prompt.version).value, where, warn or _stderr)
        out += [request(p.window, p.treatment) for p in planned]
    return out


def _stderr(line: str) -> None:
    import sys

    from bench.errors import printable

    print(f"bench: warning: {printable(line)}", file=sys.stderr)


@dataclass(frozen=True)
class Merged:
    """One task's predictions for one document from its windows' answers."""

    items: tuple[Any, ...]
    failures: tuple[ParseFailure, ...]
    answers: int  # one per window
    duplicates_removed: int
    copy_dropped: int = 0  # items of copy-checked windows outside their enum


def place(spec: str, document: Document, task: Task) -> str:
    """Where a document's answers for a task come from, as a parse failure's message names it."""
    return f"system {spec!r}, document {document.id}, {task.name} answer"


def merge(task: Task, prompt: Prompt, document: Document, strategy: WindowStrategy, answered: Sequence[tuple[Request, str, bool]], where: str) -> Merged:
    """Parse each window's answer (text, truncated: it hit the token limit), tag its items
    with the window, and remove duplicates across the windows (bounded prompts only)."""
    windowed = strategy is not WindowStrategy.DOCUMENT
    items: list[Any] = []
    failures: list[ParseFailure] = []
    dropped = 0
    for request, text, truncated in answered:
        window = request.window
        windowed_here = windowed or window.part is not None
        place = where + (f", {strategy.value} window {window.label} [{window.start}, {window.end})" if windowed_here else "")
        check = request.constrained_schema(prompt, document) if request.treatment is Treatment.COPY_CHECK else None
        parsed = parse_answer(task, prompt.format, text, document, place, truncated, request.max_items, check)
        dropped += parsed.dropped
        if parsed.failure:
            failure = parsed.failure
            if windowed_here:
                failure = ParseFailure(failure.kind, f"{strategy.value} window {window.label} [{window.start}, {window.end}): {failure.message}")
            failures.append(failure)
        items.extend(task.llm.localise(parsed.items, window) if windowed_here else parsed.items)
    kept, removed = task.llm.dedupe(items, document) if prompt.bounded else (items, 0)
    return Merged(tuple(kept), tuple(failures), len(answered), removed, dropped)
