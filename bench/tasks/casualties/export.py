"""The casualty task's export (`bench.tasks.exporting`): `casualties` and `non_casualty`.

Where it sits: stage 2, the casualty task. One row per gold casualty figure, in the
gold's own nested shape (structs for spans, `None` where the gold has null), plus
`doc_id` and `sentence` (of the figure's quantity); one row per annotated
non-casualty number.
"""

from __future__ import annotations

from typing import Any

from bench.documents.corpus import Document
from bench.tasks.exporting import ExportTable, Row, record_features, record_row, span_features


def figure_rows(document: Document, raw: dict) -> list[Row]:
    return [record_row(document, fig, fig["quantity"]["start"]) for fig in raw["figures"]]


def non_casualty_rows(document: Document, raw: dict) -> list[Row]:
    return [record_row(document, number, number["start"], note=False) for number in raw["non_casualty"]]  # the gold has no notes on them


def figure_features(d: Any) -> Any:
    string, int32 = d.Value("string"), d.Value("int32")
    span = span_features(d)
    argument = {**span, "entity": string}
    quantity = {**span, "kind": string, "low": int32, "high": int32, "point": int32, "qualifier": string, "vague_term": string}
    return d.Features(
        {
            **record_features(d),
            "quantity": quantity,
            "outcome": string,
            "unit": string,
            "victim": {"span": span, "category": string, "category_alternatives": d.Sequence(string)},
            "perpetrator": argument,
            "location": argument,
            "time": argument,
            "in_headline": d.Value("bool"),
            "attribution": string,
            "note": string,
        }
    )


def non_casualty_features(d: Any) -> Any:
    return d.Features({**record_features(d), **span_features(d), "kind": d.Value("string")})


TABLES = (ExportTable("casualties", figure_rows, figure_features), ExportTable("non_casualty", non_casualty_rows, non_casualty_features))
