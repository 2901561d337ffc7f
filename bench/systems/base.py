"""Stage 3 of the pipeline: the system interface every adapter implements.

A system has a name, a version, the tasks it supports, and one method,
`predict(documents)`, that takes a batch of documents and returns one
`DocumentPrediction` per document. The harness calls it batch by batch, so an
adapter can batch internally (a model, a server).

A system whose NER labels are not the gold's declares `label_maps`, mapping its labels
explicitly (see `bench.tasks.ner.labels.LabelMap`). A label with no mapping is an error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping, Protocol, Sequence, runtime_checkable

from bench.documents.corpus import Document
from bench.tasks.base import TaskName


@dataclass(frozen=True)
class DocumentPrediction:
    """A system's output for one document: task -> tuple of that task's prediction items.

    For NER the items are `bench.tasks.ner.types.PredictedMention`.
    """

    doc_id: str
    items: Mapping[TaskName, tuple[Any, ...]] = field(default_factory=dict)

    def for_task(self, task: TaskName) -> tuple[Any, ...]:
        return self.items.get(task, ())


@runtime_checkable
class System(Protocol):
    name: str
    version: str
    tasks: frozenset[TaskName]

    def predict(self, documents: Sequence[Document]) -> Sequence[DocumentPrediction]: ...


def label_maps_of(system: System) -> Mapping[TaskName, Any]:
    """A system's declared label maps; none declared means the gold's own labels."""
    return getattr(system, "label_maps", {}) or {}
