"""The NER task's export (`bench.tasks.exporting`): one row per sentence, shaped like conll2003.

Where it sits: stage 2, the NER task. `tokens`, `token_starts`, `token_ends` (code
points in the article), IOB2 `ner_tags` over the benchmark's own tokens (a ClassLabel
in the fixed order `TAG_NAMES`: O, then B-/I- per gold label), the sentence's `start`,
`end` and `text`, and its gold `mentions` with ids, labels and entity ids (which IOB2
cannot carry). IOB2 loses nothing: every gold mention is token-aligned, inside one
sentence and flat (`bench validate` checks it).
"""

from __future__ import annotations

from typing import Any

from bench.documents.corpus import Document
from bench.errors import DataError
from bench.tasks.exporting import ExportTable, Row, TaskCard, record_features
from bench.tasks.ner.bio import to_bio
from bench.tasks.ner.labels import NerLabel
from bench.tasks.ner.types import Span

TAG_NAMES: tuple[str, ...] = ("O", *(f"{prefix}-{label.value}" for label in NerLabel for prefix in ("B", "I")))


def sentence_rows(document: Document, raw: dict) -> list[Row]:
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


def features(d: Any) -> Any:
    string, int32 = d.Value("string"), d.Value("int32")
    return d.Features(
        {
            **record_features(d),
            "start": int32,
            "end": int32,
            "text": string,
            "tokens": d.Sequence(string),
            "token_starts": d.Sequence(int32),
            "token_ends": d.Sequence(int32),
            "ner_tags": d.Sequence(d.ClassLabel(names=list(TAG_NAMES))),
            "mentions": [{"id": string, "start": int32, "end": int32, "text": string, "label": string, "entity": string}],
        }
    )


TABLES = (ExportTable("ner", sentence_rows, features, TAG_NAMES, "ner_tags"),)

CARD = TaskCard(
    title="Named entities",
    summary=(
        "Every name of a specific person, organisation, place, facility, group or event, in the spirit of the ACE name level and "
        "the OntoNotes 5.0 name types, flat (no nesting), each linked to an entity id shared by both articles (`hts`, `sohr`, "
        "`latakia`). Configuration `ner`: one row per sentence of the benchmark's own splitter, shaped like conll2003 "
        "(`tokens`, IOB2 `ner_tags`), with code-point offsets (`token_starts`, `token_ends`) and the sentence's gold `mentions`."
    ),
    task_categories=("token-classification",),
    task_ids=("named-entity-recognition",),
    labels={"entity labels": tuple(label.value for label in NerLabel), "ner_tags (ClassLabel order)": TAG_NAMES},
    annotation=(
        "The first annotator annotated both articles and wrote the guidelines (gold/GUIDELINES.md, section 1): every name "
        "everywhere in the text, headline, captions, photo credits and byline line included; descriptions, pronouns and titles "
        "alone are not names. Two second annotators then labelled one article each, blind from the guidelines alone."
    ),
    agreement="Inter-annotator agreement (NER)",
    limitations=(
        "163 mentions of 55 entities: per-label scores rest on a handful of mentions (LOC 2, FAC 1, EVENT 1).",
        "Names are tagged by form (a city standing for its government is GPE); lower-case mentions (\"the west\", the "
        "repeated lower-case headline) are annotated, which penalises systems that only tag capitalised names.",
    ),
)
