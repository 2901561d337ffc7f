"""Stage 3 of the pipeline: the system interface every adapter implements.

A system has a name, a version, the tasks it supports, and one method,
`predict(documents)`, that takes a batch of documents and returns one
`DocumentPrediction` per document. The harness calls it batch by batch, so an
adapter can batch internally (a model, a server).

Tasks are named by their names (`"ner"`; `bench.tasks.TaskName.NER` is the same
string). A system whose labels for a task are not the gold's declares `label_maps`
(task name -> that task's label map, e.g. `bench.tasks.ner.labels.LabelMap`), mapping
its labels explicitly. A label with no mapping is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence, TypeVar, runtime_checkable

from bench.documents.corpus import Document
from bench.progress import Progress


class FailureKind(str, Enum):
    """Why a model's answer for one (document, task) could not be used."""

    NO_JSON = "no_json"  # no JSON object in the answer at all
    INVALID_JSON = "invalid_json"  # something like JSON, but it does not parse
    TRUNCATED = "truncated"  # the answer hit the token limit before the JSON closed
    SCHEMA = "schema"  # valid JSON that breaks the task's answer schema
    INVALID_RECORD = "invalid_record"  # schema-valid, but the task rejects a record (a cycle, a bad parent)
    TOO_LARGE = "too_large"  # longer than any answer is allowed to be (bench.systems.llm.answers.MAX_ANSWER_CHARS)


@dataclass(frozen=True, slots=True)
class ParseFailure:
    """One answer the harness could not use. It is counted in the `parse_failures` row of its
    task, never turned silently into an empty answer (the document gets no predictions for
    that task, and the row says so)."""

    kind: FailureKind
    message: str

    def to_json(self) -> dict[str, str]:
        return {"kind": self.kind.value, "message": self.message}


@dataclass(frozen=True)
class DocumentPrediction:
    """A system's output for one document: task name -> tuple of that task's prediction items
    (each task's own item type, e.g. `bench.tasks.ner.types.PredictedMention`). `failures` lists, per
    task, the answers that could not be parsed, and `answers` says how many answers there
    were (LLM systems: one per window; a task not listed had one answer for the document).
    """

    doc_id: str
    items: Mapping[str, tuple[Any, ...]] = field(default_factory=dict)
    failures: Mapping[str, tuple[ParseFailure, ...]] = field(default_factory=dict)
    answers: Mapping[str, int] = field(default_factory=dict)

    def for_task(self, task: str) -> tuple[Any, ...]:
        return self.items.get(task, ())


@runtime_checkable
class System(Protocol):
    name: str
    version: str
    tasks: frozenset[str]  # task names

    def predict(self, documents: Sequence[Document]) -> Sequence[DocumentPrediction]: ...


def parses_answers(system: object) -> bool:
    """Whether a system parses free-form model answers (and so reports `parse_failures`)."""
    return bool(getattr(system, "parses_answers", False))


def label_maps_of(system: System) -> Mapping[str, Any]:
    """A system's declared label maps; none declared means the gold's own labels."""
    return getattr(system, "label_maps", {}) or {}


O = TypeVar("O")


@dataclass(frozen=True)
class SystemContext:
    """What a built-in factory may use: the data root, the tasks being run, the run's
    progress display, and the user's options, one object per kind of adapter
    (`HFOptions` for `hf:`, `LLMOptions` for the LLM systems): each adapter takes its own
    with `options_for`, and gets that class's defaults when none was given."""

    root: Path
    tasks: tuple[Any, ...]
    options: tuple[Any, ...] = ()
    progress: Progress = field(default_factory=Progress)

    def options_for(self, kind: type[O]) -> O:
        return next((o for o in self.options if isinstance(o, kind)), None) or kind()
