"""The task interface that the harness, `bench validate`, `bench score` and the reports use.

Where it sits: stage 2, tasks. A task is the one place that knows its gold, how its
predictions are read, how they pair with the gold, which metrics it reports and how an
LLM is asked for it. It reads its gold (`gold/<task>/<doc_id>.json`), checks it,
parses predictions for its key in the predictions file, aligns each document's
predictions with the gold (`align`: one row per item) and scores them into typed
metric rows (`score`). Adding a task means writing one folder with a class that has
these methods and listing it in `bench.tasks.registry.TASKS`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, Mapping, Protocol, Sequence

from bench.documents.corpus import Corpus, Document
from bench.tasks.alignment import DocumentAlignment, Presentation
from bench.tasks.metrics import Catalogue
from bench.tasks.score import TaskScore


@dataclass(frozen=True)
class Problem:
    """One problem `bench validate` found: the file, the record, what is wrong."""

    file: str
    record: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}: {self.record}" if self.record else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True)
class ScoringContext:
    """What a scorer is told besides gold and predictions.

    `where`: doc_id -> the place its predictions came from ("file:line", or the system
    and document), for error lines; `evaluated`: the names of the tasks scored in this
    run (a task may report a metric that needs another one's gold); `label_maps`: task
    name -> the label map the system declared for that task (a task without one
    scores the gold's own labels); `keep_rows`: return the rows the scorer counted."""

    where: Mapping[str, str] = field(default_factory=dict)
    evaluated: frozenset[str] = frozenset()
    label_maps: Mapping[str, Any] = field(default_factory=dict)
    keep_rows: bool = False  # keep each document's alignment in the TaskScore (the report draws it)

    def place(self, doc_id: str) -> str:
        return self.where.get(doc_id, f"document {doc_id}")


class Task(Protocol):
    name: str  # "ner": the gold folder, the results' task key
    predictions_key: str  # the task's key in a predictions-file line ("attributions" holds a list of relations)
    scorer_version: str
    headline: str  # the metric of the task's headline row

    def gold_schema(self) -> dict[str, Any]:
        """The JSON Schema of one gold file of this task."""
        ...

    def predictions_schema(self) -> dict[str, Any]:
        """The JSON Schema of the value under `predictions_key` in a predictions-file line."""
        ...

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

    presentation: Presentation  # how a report shows the rows of `align`
    catalogue: Catalogue  # every metric `score` writes, and how tables show them

    def align(self, document: Document, gold: Any, predictions: Sequence[Any], context: ScoringContext = ScoringContext()) -> DocumentAlignment:
        """One document's rows: every gold and predicted item, paired as the scorer pairs them."""
        ...

    def score(self, corpus: Corpus, gold: Mapping[str, Any], predictions: Mapping[str, Sequence[Any]], context: ScoringContext = ScoringContext()) -> TaskScore:
        """Score predictions (doc_id -> items) against gold, counting from the alignment
        (kept in the TaskScore with `context.keep_rows`)."""
        ...

    # Label maps: a task whose systems may predict labels of their own (NER) reads maps
    # from a system's labels into its own; the others inherit `NoLabelMaps`.
    def label_map_schema(self) -> dict[str, Any] | None:
        """The JSON Schema of a label map in a predictions line, or None: the task has none."""
        ...

    def read_label_map(self, raw: Any) -> Any:
        """A label map as a predictions line records it; ValueError when malformed."""
        ...

    def load_label_map(self, spec: str) -> Any:
        """A label map named on the command line (a built-in name or a JSON file)."""
        ...

    def find_label_map(self, name: str) -> Any | None:
        """The built-in label map a results record names, or None."""
        ...


class NoLabelMaps:
    """For a task whose predictions use the gold's own labels only."""

    def label_map_schema(self) -> None:
        return None

    def read_label_map(self, raw: Any) -> Any:
        raise ValueError(f"the {self.name} task has no label maps")  # type: ignore[attr-defined]

    def load_label_map(self, spec: str) -> Any:
        from bench.errors import BenchError

        raise BenchError(f"the {self.name} task has no label maps (--label-map {spec!r})")  # type: ignore[attr-defined]

    def find_label_map(self, name: str) -> None:
        return None


def packaged_json(package: str, name: str) -> dict[str, Any]:
    """A JSON file shipped in a task's folder (its schemas), read with importlib.resources."""
    return json.loads(resources.files(package).joinpath(name).read_text(encoding="utf-8"))


__all__ = ["NoLabelMaps", "Problem", "ScoringContext", "Task", "packaged_json"]


def __getattr__(name: str) -> Any:
    """`TaskName` stays importable from here, as it was before the task registry held it."""
    if name == "TaskName":
        from bench.tasks.registry import TaskName

        return TaskName
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
