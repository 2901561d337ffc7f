"""What a task exports: its tables of rows, the same for every export format.

Where it sits: stage 2, tasks. Each task lists its `ExportTable`s in its own
`export.py`: the table's name (a Hugging Face configuration, a JSON Lines file), how a
document's rows are made from its gold file as published, and the `datasets.Features`
of a row. A table of token rows with a tag sequence (`tags`) can also be written as
CoNLL columns. `bench.export` writes every task's tables and knows none of them. A
task's `TaskCard` is what the exported dataset card says about it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping

from bench.documents.corpus import Document

Row = dict[str, Any]


@dataclass(frozen=True)
class ExportTable:
    name: str  # "casualties": the configuration's name, `DIR/<name>.jsonl`, `DIR/<name>/`
    rows: Callable[[Document, dict[str, Any]], list[Row]]  # one document's rows, from its raw gold file
    features: Callable[[Any], Any]  # the `datasets` module -> this table's `datasets.Features`
    tags: tuple[str, ...] = ()  # token rows: the tag names of `tag_field`, in ClassLabel order (CoNLL-able)
    tag_field: str | None = None  # the field holding each row's tag sequence ("ner_tags")


def record_row(document: Document, record: dict[str, Any], anchor: int, note: bool = True) -> Row:
    """A gold record with `doc_id` and the index of the sentence holding `anchor` added;
    a record without a `note` gets `note: None` (with `note`), so a table's rows share keys."""
    fields = {k: v for k, v in record.items() if k != "id"}
    row = {"id": record["id"], "doc_id": document.id, "sentence": document.sentence_at(anchor).index, **fields}
    if note:
        row["note"] = record.get("note")
    else:
        row.pop("note", None)
    return row


def span_features(d: Any) -> dict[str, Any]:
    int32, string = d.Value("int32"), d.Value("string")
    return {"start": int32, "end": int32, "text": string}


def record_features(d: Any) -> dict[str, Any]:
    """The fields every record row starts with."""
    return {"id": d.Value("string"), "doc_id": d.Value("string"), "sentence": d.Value("int32")}


@dataclass(frozen=True)
class TaskCard:
    """What the exported dataset's card says about a task (`bench export --format hf` writes
    `README.md`; `bench.export.card` assembles it and knows no task).

    `title`: the card's heading for it; `summary`: what the task is, one paragraph;
    `task_categories` and `task_ids`: the Hugging Face Hub's tags; `labels`: each label
    set's name -> its labels, drawn from the task's own types; `annotation`: how its gold
    was made; `agreement`: the heading of its inter-annotator agreement section in
    `gold/README.md`, which the card quotes whole (never retyped); `limitations`: what a
    user should know before trusting a number."""

    title: str
    summary: str
    task_categories: tuple[str, ...]
    task_ids: tuple[str, ...]
    labels: Mapping[str, tuple[str, ...]]
    annotation: str
    agreement: str
    limitations: tuple[str, ...] = ()
