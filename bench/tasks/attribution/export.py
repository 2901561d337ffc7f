"""The attribution task's export (`bench.tasks.exporting`): one row per gold relation.

Where it sits: stage 2, the attribution task. The gold's own nested shape (`parent`
keeps the enclosing relation's id, `figures` the casualty figures it reports), plus
`doc_id` and `sentence` (of the relation's cue; the content may run over several).
"""

from __future__ import annotations

from typing import Any

from bench.documents.corpus import Document
from bench.tasks.exporting import ExportTable, Row, record_features, record_row, span_features


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
