"""NER gold: checks for `bench validate`, and loading into `NerGold`.

Checks beyond the JSON Schema: unique ids (entities per file, mentions across all
files), mention -> entity references, offsets in range, span text equal to the
article's text, token alignment, one sentence per mention, no overlapping or
duplicate mentions, text order, and one name and label per entity id across
documents.
"""

from __future__ import annotations

from pathlib import Path

from bench.documents.corpus import Corpus, Document
from bench.tasks.base import Problem
from bench.tasks.goldfiles import check_version, read_gold_files
from bench.tasks.ner.types import Entity, Mention, NerGold

TASK = "ner"


def _check_file(document: Document, raw: dict, shown: str, problems: list[Problem]) -> None:
    text = document.text
    entity_ids: set[str] = set()
    for i, entity in enumerate(raw["entities"]):
        if entity["id"] in entity_ids:
            problems.append(Problem(shown, f"entities[{i}] (id {entity['id']})", "duplicate entity id"))
        entity_ids.add(entity["id"])
    used: set[str] = set()
    previous: tuple[int, int, str] | None = None
    for i, m in enumerate(raw["mentions"]):
        where = f"mentions[{i}] (id {m['id']})"
        start, end = m["start"], m["end"]
        if m["entity"] not in entity_ids:
            problems.append(Problem(shown, where, f"entity {m['entity']!r} is not an entity record in this file"))
        used.add(m["entity"])
        if not start < end <= len(text):
            problems.append(Problem(shown, where, f"offsets [{start}, {end}) out of range for a text of {len(text)} code points"))
            continue
        if text[start:end] != m["text"]:
            problems.append(Problem(shown, where, f"text {m['text']!r} does not match the article at [{start}, {end}), which reads {text[start:end]!r}"))
            continue
        if not document.is_token_aligned(start, end):
            problems.append(Problem(shown, where, f"span [{start}, {end}) {m['text']!r} does not start and end on token boundaries"))
        sentence = document.sentence_at(start)
        if end > sentence.end:
            problems.append(Problem(shown, where, f"span [{start}, {end}) crosses the sentence boundary at {sentence.end}"))
        if previous is not None:
            if (start, end) == previous[:2]:
                problems.append(Problem(shown, where, f"duplicate span [{start}, {end}) (also {previous[2]})"))
            elif start < previous[1]:
                kind = "overlaps" if start >= previous[0] else "comes before"
                problems.append(Problem(shown, where, f"span [{start}, {end}) {kind} the previous mention {previous[2]} [{previous[0]}, {previous[1]}); mentions are flat and in text order"))
        previous = (start, end, m["id"])
    for entity_id in sorted(entity_ids - used):
        problems.append(Problem(shown, f"entity {entity_id}", "no mention in this file points to it"))


def check_gold(root: Path, corpus: Corpus) -> list[Problem]:
    problems: list[Problem] = []
    versions: set[str] = set()
    mention_ids: dict[str, str] = {}
    entities: dict[str, tuple[str, str, str]] = {}  # id -> (name, label, file)
    for document, raw, shown in read_gold_files(root, TASK, corpus, problems):
        versions.add(raw["gold_version"])
        _check_file(document, raw, shown, problems)
        for i, m in enumerate(raw["mentions"]):
            if m["id"] in mention_ids:
                problems.append(Problem(shown, f"mentions[{i}] (id {m['id']})", f"duplicate mention id (also in {mention_ids[m['id']]})"))
            mention_ids[m["id"]] = shown
        for i, e in enumerate(raw["entities"]):
            seen = entities.setdefault(e["id"], (e["name"], e["label"], shown))
            if seen[:2] != (e["name"], e["label"]):
                problems.append(Problem(shown, f"entities[{i}] (id {e['id']})", f"is {e['name']!r} {e['label']}, but {seen[2]} has {seen[0]!r} {seen[1]}: one id, one entity"))
    if not problems:
        check_version(root, TASK, versions, list(corpus), problems)
    return problems


def load_gold(root: Path, corpus: Corpus) -> dict[str, NerGold]:
    problems: list[Problem] = []
    out: dict[str, NerGold] = {}
    for document, raw, _ in read_gold_files(root, TASK, corpus, problems):
        out[document.id] = NerGold(
            doc_id=document.id,
            entities=tuple(Entity(e["id"], e["name"], e["label"]) for e in raw["entities"]),
            mentions=tuple(Mention(m["id"], m["start"], m["end"], m["text"], m["entity"]) for m in raw["mentions"]),
        )
    if problems:
        from bench.errors import DataError

        raise DataError(f"{problems[0]} (run `bench validate` for every problem)")
    return out
