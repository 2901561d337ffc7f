"""The export's tables: plain rows (dicts) per configuration, the same for every format.

Every format (`hf`, `jsonl`, `conll`) writes these rows and nothing else, so the
formats cannot drift apart. The rows come from the gold files as published
(schema-checked by `bench.tasks.goldfiles.read_gold_files`), with every field kept.

Configurations (one table each; see `bench/export/__init__.py` for the full layout):
`documents`, one row per article (`doc_id`, the `text` every offset indexes into, its
`sha256` and the metadata of `seeds/articles.json`), then each task's own tables
(`bench.tasks.exporting`; the NER task's `ner`, one row per sentence, conll2003-shaped;
the casualty task's `casualties` and `non_casualty`; the attribution task's
`attribution`), in registry order.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

from bench.documents.corpus import Corpus
from bench.errors import DataError
from bench.tasks.base import Problem, Task
from bench.tasks.exporting import ExportTable
from bench.tasks.goldfiles import read_gold_files

Row = dict[str, Any]
DOCUMENTS = "documents"  # the articles: every offset of every other table indexes into their texts
SPLIT = "test"  # the only split: the benchmark is an evaluation set


@dataclass(frozen=True)
class Tables:
    """The rows of each configuration, in document order then text order."""

    rows: Mapping[str, list[Row]]
    documents: tuple[str, ...]  # doc ids, in the order rows follow


def task_tables() -> dict[str, tuple[Task, ExportTable]]:
    """Every task's export tables, by name, in registry order."""
    from bench.tasks.registry import all_tasks

    return {table.name: (task, table) for task in all_tasks() for table in getattr(task, "export", ())}


def configs_for(tasks: Iterable[str]) -> tuple[str, ...]:
    """`documents`, then the tables of `tasks` (task names); `documents` always comes along."""
    wanted = set(tasks)
    return (DOCUMENTS, *(name for name, (task, _) in task_tables().items() if task.name in wanted))


def _raw_gold(root: Path, task: str, corpus: Corpus) -> dict[str, dict]:
    problems: list[Problem] = []
    raw = {document.id: data for document, data, _ in read_gold_files(root, task, corpus, problems)}
    if problems:
        raise DataError(f"{problems[0]} (run `bench validate` for every problem)")
    return raw


def document_rows(corpus: Corpus) -> list[Row]:
    rows = []
    for document in corpus.values():
        meta = {k: v for k, v in asdict(document.meta).items() if k not in ("id", "sha256")}
        rows.append({"doc_id": document.id, "text": document.text, "sha256": document.sha256, **meta})
    return rows


def build_tables(corpus: Corpus, configs: Iterable[str]) -> Tables:
    """The rows of each configuration in `configs`, read from the gold under `corpus.root`."""
    tables = task_tables()
    gold: dict[str, dict[str, dict]] = {}
    rows: dict[str, list[Row]] = {}
    for config in configs:
        if config == DOCUMENTS:
            rows[config] = document_rows(corpus)
            continue
        task, table = tables[config]
        if task.name not in gold:
            gold[task.name] = _raw_gold(corpus.root, task.name, corpus)
        rows[config] = [row for doc_id, document in corpus.items() for row in table.rows(document, gold[task.name][doc_id])]
    return Tables(rows, tuple(corpus))
