"""How an LLM is asked for a task: the protocol each task's `llm.py` provides.

Where it sits: stage 2, tasks. A task's `LLMProtocol` holds everything an LLM system
needs to ask a model for that task and to read the answer: its prompt templates (one
per prompt version, in the task's `prompts/` folder), the answer format of each
version (`AnswerFormat`: the JSON Schema with its bounds and copy rule, and how an
answer becomes predictions-file records), how a window's items are tagged with the
window, and which records are duplicates; and, for `bench ceiling`, what a perfect
model would answer for a window (`ideal_answer`, `bench.tasks.ceiling`). The LLM
adapter (`bench.systems.llm`) and the harness integrations (Inspect AI,
lm-evaluation-harness) are generic over it.

Answer formats by prompt version (each task's `answer_format(version)`):
- 1.0.0: free-text fields, no bounds, duplicates kept;
- 1.1.0 on, *bounded*: a window's answer list holds at most `Bounds.max_items` records
  (scaled to the window's words) and each text field at most `Bounds.max_chars`
  characters, and duplicate records are removed before scoring;
- 1.2.0 on, *copy-constrained*: the short text fields may only hold a phrase of the
  window (`CopyRule`, `bench.tasks.copying`), sent as an `enum`;
- later versions may narrow a field further (a task's own rule).
The rules a version adds are part of its prompt identity (hashed with the template).

Schema size is part of the protocol too: an endpoint may cap an answer schema's `enum`
values (OpenAI: 1,000; `--max-enum`), and a copy-constrained window of a long article
offers more phrases than that. Each prompt version says what happens then
(`OVER_LIMIT`): 1.2.0 falls back to a parse-time copy check (the enum is left out of
the schema sent, and an answer item holding a phrase the enum would not have offered is
dropped when the answer is read); 1.3.0 splits the window (a document into its
paragraphs, a paragraph into its sentences) and, for a sentence still over, checks at
parse time. `REFUSE` stops the run instead (bench.systems.llm.schema_limits applies it).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from enum import Enum
from importlib import resources
from typing import Any, Callable, Mapping, Protocol, Sequence

from bench.documents.corpus import Document
from bench.documents.windows import Window
from bench.tasks.ceiling import IdealAnswer
from bench.tasks.copying import RULE, RunRule, clause_phrases, phrases
from bench.tasks.grounding import normalise, occurrences, within

class OverLimit(str, Enum):
    """What a prompt version does with a window whose answer schema is over the enum limit."""

    SPLIT = "split"  # into smaller windows (paragraphs, then sentences); a sentence still over: COPY_CHECK
    COPY_CHECK = "copy_check"  # the enum left out; items outside it dropped at parse time
    REFUSE = "refuse"  # the run stops with one line


# Versions without a copy rule (1.0.0, 1.1.0) send no phrase enums, so never reach the limit.
OVER_LIMIT: dict[str, OverLimit] = {"1.2.0": OverLimit.COPY_CHECK, "1.3.0": OverLimit.SPLIT}


def over_limit(version: str) -> OverLimit:
    """A prompt version's rule for an answer schema over the limit (a version this table does not name refuses)."""
    return OVER_LIMIT.get(version, OverLimit.REFUSE)


TEXT: dict[str, Any] = {"type": "string", "minLength": 1}
COUNT: dict[str, Any] = {"type": "integer", "minimum": 0}


def object_schema(properties: Mapping[str, Any]) -> dict[str, Any]:
    """A JSON object with exactly these properties, all required."""
    return {"type": "object", "properties": dict(properties), "required": list(properties), "additionalProperties": False}


def capped(schema: Mapping[str, Any], limit: int | None) -> dict[str, Any]:
    """A string field's schema with a `maxLength` (also inside an `anyOf`)."""
    if limit is None:
        return dict(schema)
    if schema.get("type") == "string":
        return {**schema, "maxLength": limit}
    if "anyOf" in schema:
        return {**schema, "anyOf": [capped(option, limit) for option in schema["anyOf"]]}
    return dict(schema)


@dataclass(frozen=True)
class Bounds:
    """A bounded answer (prompts 1.1.0 on): at most one record per `words_per_item` words of
    the window (at least `floor`), and at most `max_chars` characters in each text field."""

    words_per_item: int
    floor: int
    max_chars: Mapping[str, int]

    def max_items(self, window: Window, document: Document) -> int:
        return max(self.floor, -(-window.words(document) // self.words_per_item))

    def describe(self) -> dict[str, Any]:
        return {"words_per_item": self.words_per_item, "floor": self.floor, "max_chars": dict(self.max_chars)}


@dataclass(frozen=True)
class CopyRule:
    """Which text fields are copy-constrained (prompts 1.2.0 on) and how.

    `max_tokens`: field -> the most tokens of a phrase it may hold; `accept`: field -> a
    narrower rule on the token run (with `starts`, where a run may begin); `clauses`: the
    fields that hold a sentence prefix or suffix instead; `notes`: the names of those
    rules in the prompt hash."""

    max_tokens: Mapping[str, int]
    accept: Mapping[str, RunRule] = field(default_factory=dict)
    starts: Mapping[str, Callable] = field(default_factory=dict)
    clauses: tuple[str, ...] = ()
    notes: Mapping[str, str] = field(default_factory=dict)

    def describe(self) -> dict[str, Any]:
        return {"rule": RULE, "max_tokens": dict(self.max_tokens), **self.notes}

    def choices(self, document: Document, start: int, end: int, max_chars: Mapping[str, int]) -> dict[str, list[str]]:
        """field -> the phrases of [start, end) it may hold (no longer than its character cap)."""
        out = {name: phrases(document, start, end, limit, self.accept.get(name), self.starts.get(name)) for name, limit in self.max_tokens.items()}
        for name in self.clauses:
            out[name] = clause_phrases(document, start, end)
        return {name: [p for p in found if len(p) <= max_chars[name]] for name, found in out.items()}


@dataclass(frozen=True)
class ListFormat:
    """An answer that is one list of records under `key` (`{"figures": [...]}`).

    `item`: field -> the field's JSON Schema; `to_record`: one answer record -> one
    predictions-file record; `bounds` None: unbounded (1.0.0); `copy` None: free text."""

    key: str
    item: Mapping[str, Any]
    to_record: Callable[[dict[str, Any]], dict[str, Any]]
    bounds: Bounds | None = None
    copy: CopyRule | None = None

    def schema(self, max_items: int | None = None, choices: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
        """The answer's JSON Schema; with `max_items`, bounded (and capped); with `choices`,
        those fields hold only one of their phrases, and a field with none allows no record."""
        if max_items is None or self.bounds is None:
            return object_schema({self.key: {"type": "array", "items": object_schema(self.item)}})
        properties = {name: capped(schema, self.bounds.max_chars.get(name)) for name, schema in self.item.items()}
        for name, found in (choices or {}).items():
            if not found:
                max_items = 0
            properties[name] = {"enum": list(found)} if found else TEXT
        return object_schema({self.key: {"type": "array", "items": object_schema(properties), "maxItems": max_items}})

    def records(self, answer: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [self.to_record(item) for item in answer[self.key]]

    def answer(self, items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """The answer object that holds these answer items (a ceiling's ideal answer)."""
        return {self.key: [dict(item) for item in items]}


class AnswerFormat(Protocol):
    """How a task's answer looks under one prompt version."""

    bounds: Bounds | None  # None: unbounded answers, duplicates kept
    copy: CopyRule | None  # None: free-text fields

    def schema(self, max_items: int | None = None, choices: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]: ...

    def records(self, answer: Mapping[str, Any]) -> list[dict[str, Any]]: ...

    def answer(self, items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """The answer object holding these items, each as the format's list items are
        (a by-label format takes `{"text", "label"}` and files each under its label)."""
        ...


def rules(fmt: AnswerFormat) -> list[dict[str, Any]]:
    """What a format asks for besides its schema, in the order the prompt hash takes them."""
    out = [] if fmt.bounds is None else [fmt.bounds.describe()]
    return out + ([] if fmt.copy is None else [fmt.copy.describe()])


def choices(fmt: AnswerFormat, window: Window, document: Document) -> dict[str, list[str]] | None:
    """The phrases each copy-constrained field of a window's answer may hold, or None."""
    if fmt.copy is None or fmt.bounds is None:
        return None
    return fmt.copy.choices(document, window.ground_start, window.ground_end, fmt.bounds.max_chars)


def identity_hash_text(fmt: AnswerFormat) -> str:
    """The schema and rules of a format as the prompt hash reads them."""
    return json.dumps(fmt.schema(), sort_keys=True) + "".join("\0" + json.dumps(rule, sort_keys=True) for rule in rules(fmt))


class LLMProtocol(Protocol):
    """Everything an LLM system needs for one task (see the module docstring)."""

    task: str
    versions: tuple[str, ...]  # its prompt versions, oldest first
    context: bool  # sentence windows show their neighbouring sentences (items may cross a sentence)

    def template(self, version: str) -> str:
        """The packaged template text of a version (`prompts/<version>.txt` in the task's folder)."""
        ...

    def answer_format(self, version: str) -> AnswerFormat: ...

    def localise(self, items: Sequence[Any], window: Window) -> list[Any]:
        """A window's parsed items, tagged with the window's span (and made unique per document)."""
        ...

    def dedupe(self, items: Sequence[Any], document: Document) -> tuple[list[Any], int]:
        """Drop duplicate records of one document's merged windows; (kept, number removed)."""
        ...

    # Optional: a task without it has no row in `bench ceiling` (bench.tasks.ceiling).
    def ideal_answer(self, gold: Any, document: Document, window: Window, fmt: AnswerFormat) -> IdealAnswer:
        """What a perfect model answers for `window` in format `fmt`: the gold items the window
        owns, each as the format allows, and why any is left out or given approximately."""
        ...


def packaged_template(package: str, version: str) -> str:
    return resources.files(package).joinpath("prompts", f"{version}.txt").read_text(encoding="utf-8")


def dedupe_by_occurrences(items: Sequence[Any], key: Callable[[Any], tuple], string: Callable[[Any], str], window: Callable[[Any], Any], document: Document) -> tuple[list[Any], int]:
    """Keep a repeated record only as often as its string occurs in its window (a looping
    model repeats; a name that is there twice may be given twice)."""
    kept: list[Any] = []
    seen: dict[tuple, int] = {}
    for item in items:
        k = key(item)
        count = seen.get(k, 0)
        allowed = max(1, len(within(occurrences(document, string(item)), window(item))))
        seen[k] = count + 1
        if count < allowed:
            kept.append(item)
    return kept, len(items) - len(kept)


__all__ = [
    "COUNT", "TEXT", "AnswerFormat", "Bounds", "CopyRule", "LLMProtocol", "ListFormat", "capped", "choices",
    "dedupe_by_occurrences", "identity_hash_text", "normalise", "object_schema", "packaged_template", "rules",
]
