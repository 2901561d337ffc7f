"""Two reference systems: `oracle` returns the gold (it must score 1.0 everywhere),
`empty` returns nothing (recall 0). They bound every other system."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from bench.documents.corpus import Document
from bench.systems.base import DocumentPrediction
from bench.tasks.base import Task


class OracleSystem:
    name = "oracle"
    version = "1.0.0"

    def __init__(self, tasks: Sequence[Task], gold: Mapping[str, Mapping[str, Any]]) -> None:
        self._tasks = {task.name: task for task in tasks}
        self._gold = gold
        self.tasks = frozenset(self._tasks)

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        return [
            DocumentPrediction(
                doc.id,
                {name: task.gold_as_predictions(self._gold[name][doc.id]) for name, task in self._tasks.items()},
            )
            for doc in documents
        ]


class EmptySystem:
    name = "empty"
    version = "1.0.0"

    def __init__(self, tasks: Sequence[Task]) -> None:
        self.tasks = frozenset(task.name for task in tasks)

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        return [DocumentPrediction(doc.id, {name: () for name in self.tasks}) for doc in documents]
