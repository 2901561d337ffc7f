"""The attribution task's export (`bench.tasks.exporting`): one row per gold relation.

Where it sits: stage 2, the attribution task. The gold's own nested shape (`parent`
keeps the enclosing relation's id, `figures` the casualty figures it reports), plus
`doc_id` and `sentence` (of the relation's cue; the content may run over several).
"""

from __future__ import annotations

from typing import Any

from bench.documents.corpus import Document
from bench.tasks.attribution.types import Coverage, Mode, SourceType
from bench.tasks.exporting import ExportTable, Row, TaskCard, record_features, record_row, span_features


def relation_rows(document: Document, raw: dict) -> list[Row]:
    return [record_row(document, relation, relation["cue"]["start"]) for relation in raw["relations"]]


def features(d: Any) -> Any:
    string = d.Value("string")
    span = span_features(d)
    return d.Features(
        {
            **record_features(d),
            "source": {"span": span, "type": string, "entity": string, "head": string},
            "cue": span,
            "content": [span],  # a list of structs (not a struct of lists)
            "mode": string,
            "parent": string,
            "coverage": string,
            "figures": d.Sequence(string),
            "note": string,
        }
    )


TABLES = (ExportTable("attribution", relation_rows, features),)

CARD = TaskCard(
    title="Attribution (who said what)",
    summary=(
        "Every attribution relation, PARC 3.0's source-cue-content model: a source (a span, or none for an agentless passive, "
        "with its type, its NER entity id when named, its head word when not), the cue, one or more content spans, the mode "
        "(direct, indirect, mixed), the enclosing relation when nested (\"The National, citing SOHR, reported ...\"), and the "
        "casualty figures its content reports. Configuration `attribution`: one row per relation."
    ),
    task_categories=("token-classification",),
    task_ids=(),
    labels={"source type": tuple(t.value for t in SourceType), "mode": tuple(m.value for m in Mode), "coverage": tuple(c.value for c in Coverage)},
    annotation=(
        "Annotated from gold/GUIDELINES.md section 3 (PARC 3.0 with PolNeAR-style source types, MPQA-style nesting); "
        "`bench validate` checks the links with the NER and casualty gold both ways. A second annotator labelled both "
        "articles blind from that section alone; the one difference, a content boundary, was adjudicated into a rule."
    ),
    agreement="Inter-annotator agreement (attribution)",
    limitations=(
        "39 relations, 9 of them nested: nesting F1 rests on 9 links.",
        "Content boundaries follow this gold's conventions (gold/GUIDELINES.md 3.3); the scorer gives partial credit and "
        "compares sources by head word, so a system need not copy them.",
    ),
)
