"""The task interface that the harness, `bench validate` and `bench score` use.

A task reads its gold (`gold/<task>/<doc_id>.json`), checks it, parses predictions
for its key in the predictions file, and scores predictions against gold into typed
metric rows. Adding a task means writing one class with these methods and listing it
in `bench.tasks.all_tasks`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence

from bench.documents.corpus import Corpus, Document


class TaskName(str, Enum):
    NER = "ner"
    CASUALTIES = "casualties"
    ATTRIBUTION = "attribution"

    def __str__(self) -> str:
        return self.value

    @property
    def predictions_key(self) -> str:
        """The task's key in a predictions-file line ("attributions" holds a list of relations)."""
        return "attributions" if self is TaskName.ATTRIBUTION else self.value


@dataclass(frozen=True)
class Problem:
    """One problem `bench validate` found: the file, the record, what is wrong."""

    file: str
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.message}"


class Task(Protocol):
    name: TaskName
    scorer_version: str
    headline: str  # the metric of the task's headline row
    schema_name: str  # JSON Schema of one gold file, in bench/schemas/

    def check_gold(self, root: Path, corpus: Corpus) -> list[Problem]:
        """Every problem in this task's gold under `root` (empty when valid)."""
        ...

    def load_gold(self, root: Path, corpus: Corpus) -> Mapping[str, Any]:
        """doc_id -> this task's gold for that document (assumes check_gold passed)."""
        ...

    def gold_as_predictions(self, gold: Any) -> tuple[Any, ...]:
        """The gold of one document in prediction form (what the oracle returns)."""
        ...

    def parse_predictions(self, raw: Any, document: Document, where: str) -> tuple[Any, ...]:
        """Turn the JSON value under this task's key into prediction items.

        Raises PredictionError naming `where` (file:line) and the problem."""
        ...

    def score(self, corpus: Corpus, gold: Mapping[str, Any], predictions: Mapping[str, Sequence[Any]], **options: Any) -> Any:
        """Score predictions (doc_id -> items) against gold; returns a TaskScore."""
        ...
