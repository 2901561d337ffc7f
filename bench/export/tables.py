"""The export's tables: plain rows (dicts) per configuration, the same for every format.

Every format (`hf`, `jsonl`, `conll`) writes these rows and nothing else, so the
formats cannot drift apart. The rows come from the gold files as published
(schema-checked by `bench.tasks.goldfiles.read_gold_files`), with every field kept.

Configurations (one table each; see `bench/export/__init__.py` for the full layout):

- `documents`: one row per article: `doc_id`, the `text` every offset indexes into,
  its `sha256` and the metadata of `seeds/articles.json`;
- `ner`: one row per sentence of the benchmark's own splitter, conll2003-shaped;
- `casualties`: one row per gold casualty figure, in the gold's own nested shape;
- `non_casualty`: one row per annotated non-casualty number;
- `attribution`: one row per gold relation, in the gold's own nested shape.

Every record row adds `doc_id` and `sentence` (the index of the sentence holding the
figure's quantity, the number, or the relation's cue) to the gold fields; a gold record
without a `note` gets `note: None`, so all rows of a table have the same keys.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import Enum
from pathlib import Path
from typing import Any, Iterable, Mapping

from bench.documents.corpus import Corpus, Document
from bench.errors import DataError
from bench.tasks.base import Problem
from bench.tasks.registry import TaskName
from bench.tasks.goldfiles import read_gold_files
from bench.tasks.ner.bio import to_bio
from bench.tasks.ner.labels import NerLabel
from bench.tasks.ner.types import Span

Row = dict[str, Any]


class Config(str, Enum):
    """A table of the export: a Hugging Face configuration, a JSONL file."""

    DOCUMENTS = "documents"
    NER = "ner"
    CASUALTIES = "casualties"
    NON_CASUALTY = "non_casualty"
    ATTRIBUTION = "attribution"

    def __str__(self) -> str:
        return self.value


# Which tables a task brings; `documents` always comes along, since offsets index into its texts.
TASK_CONFIGS: Mapping[TaskName, tuple[Config, ...]] = {
    TaskName.NER: (Config.NER,),
    TaskName.CASUALTIES: (Config.CASUALTIES, Config.NON_CASUALTY),
    TaskName.ATTRIBUTION: (Config.ATTRIBUTION,),
}

# The ClassLabel names of `ner_tags`, fixed: "O", then B-/I- per gold label in the order of `NerLabel`.
NER_TAG_NAMES: tuple[str, ...] = ("O", *(f"{prefix}-{label.value}" for label in NerLabel for prefix in ("B", "I")))

SPLIT = "test"  # the only split: the benchmark is an evaluation set


@dataclass(frozen=True)
class Tables:
    """The rows of each configuration, in document order then text order."""

    rows: Mapping[Config, list[Row]]
    documents: tuple[str, ...]  # doc ids, in the order rows follow


def configs_for(tasks: Iterable[TaskName]) -> tuple[Config, ...]:
    wanted = set(tasks)
    return (Config.DOCUMENTS, *(c for task, configs in TASK_CONFIGS.items() if task in wanted for c in configs))


def _raw_gold(root: Path, task: TaskName, corpus: Corpus) -> dict[str, dict]:
    problems: list[Problem] = []
    raw = {document.id: data for document, data, _ in read_gold_files(root, task.value, corpus, problems)}
    if problems:
        raise DataError(f"{problems[0]} (run `bench validate` for every problem)")
    return raw


def document_rows(corpus: Corpus) -> list[Row]:
    rows = []
    for document in corpus.values():
        meta = {k: v for k, v in asdict(document.meta).items() if k not in ("id", "sha256")}
        rows.append({"doc_id": document.id, "text": document.text, "sha256": document.sha256, **meta})
    return rows


def ner_rows(document: Document, raw: dict) -> list[Row]:
    """One row per sentence: tokens, token offsets, IOB2 tags, and the sentence's gold mentions."""
    labels = {e["id"]: e["label"] for e in raw["entities"]}
    spans = [Span(m["start"], m["end"], labels[m["entity"]]) for m in raw["mentions"]]
    try:
        tags = to_bio(document, spans)
    except ValueError as exc:  # the checked gold is flat, token-aligned and inside sentences
        raise DataError(f"gold/ner/{document.id}.json: {exc} (run `bench validate`)") from None
    rows = []
    for sentence, sentence_tags in zip(document.sentences, tags):
        tokens = document.tokens[sentence.token_start : sentence.token_end]
        mentions = [
            {"id": m["id"], "start": m["start"], "end": m["end"], "text": m["text"], "label": labels[m["entity"]], "entity": m["entity"]}
            for m in raw["mentions"]
            if sentence.start <= m["start"] < sentence.end
        ]
        rows.append(
            {
                "id": f"{document.id}-s{sentence.index:03d}",
                "doc_id": document.id,
                "sentence": sentence.index,
                "start": sentence.start,
                "end": sentence.end,
                "text": document.text[sentence.start : sentence.end],
                "tokens": [t.text for t in tokens],
                "token_starts": [t.start for t in tokens],
                "token_ends": [t.end for t in tokens],
                "ner_tags": sentence_tags,
                "mentions": mentions,
            }
        )
    return rows


def _record_row(document: Document, record: dict, anchor: int) -> Row:
    """A gold record with `doc_id` and the index of the sentence holding `anchor` added."""
    fields = {k: v for k, v in record.items() if k != "id"}
    return {"id": record["id"], "doc_id": document.id, "sentence": document.sentence_at(anchor).index, **fields, "note": record.get("note")}


def casualty_rows(document: Document, raw: dict) -> list[Row]:
    return [_record_row(document, fig, fig["quantity"]["start"]) for fig in raw["figures"]]


def non_casualty_rows(document: Document, raw: dict) -> list[Row]:
    rows = []
    for number in raw["non_casualty"]:
        row = _record_row(document, number, number["start"])
        del row["note"]  # the gold has no notes on non-casualty numbers
        rows.append(row)
    return rows


def attribution_rows(document: Document, raw: dict) -> list[Row]:
    return [_record_row(document, relation, relation["cue"]["start"]) for relation in raw["relations"]]


_BUILDERS = {
    Config.NER: (TaskName.NER, ner_rows),
    Config.CASUALTIES: (TaskName.CASUALTIES, casualty_rows),
    Config.NON_CASUALTY: (TaskName.CASUALTIES, non_casualty_rows),
    Config.ATTRIBUTION: (TaskName.ATTRIBUTION, attribution_rows),
}


def build_tables(corpus: Corpus, configs: Iterable[Config]) -> Tables:
    """The rows of each configuration in `configs`, read from the gold under `corpus.root`."""
    gold: dict[TaskName, dict[str, dict]] = {}
    rows: dict[Config, list[Row]] = {}
    for config in configs:
        if config is Config.DOCUMENTS:
            rows[config] = document_rows(corpus)
            continue
        task, build = _BUILDERS[config]
        if task not in gold:
            gold[task] = _raw_gold(corpus.root, task, corpus)
        rows[config] = [row for doc_id, document in corpus.items() for row in build(document, gold[task][doc_id])]
    return Tables(rows, tuple(corpus))
