"""The casualty task's export (`bench.tasks.exporting`): `casualties` and `non_casualty`.

Where it sits: stage 2, the casualty task. One row per gold casualty figure, in the
gold's own nested shape (structs for spans, `None` where the gold has null), plus
`doc_id` and `sentence` (of the figure's quantity); one row per annotated
non-casualty number.
"""

from __future__ import annotations

from typing import Any

from bench.documents.corpus import Document
from bench.tasks.casualties.types import Kind, NonCasualtyKind, Outcome, Unit, VictimCategory
from bench.tasks.exporting import ExportTable, Row, TaskCard, record_features, record_row, span_features


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

CARD = TaskCard(
    title="Casualty figures",
    summary=(
        "Every mention of a count of people (or incidents) killed, injured, kidnapped, arrested, missing or displaced, exact, "
        "hedged or vague, never merged across mentions, with its normalised value (`kind`, `low`, `high`; a vague term such as "
        "\"dozens\" by a fixed conventions table), outcome, unit and victim category (with every defensible category where the "
        "text does not decide), and the perpetrator, location and time spans in its sentence. Configuration `casualties`: one "
        "row per figure; `non_casualty`: every other number or count word a careless system could take for a toll."
    ),
    task_categories=("token-classification",),
    task_ids=(),
    labels={
        "quantity kind": tuple(k.value for k in Kind),
        "outcome": tuple(o.value for o in Outcome),
        "unit": tuple(u.value for u in Unit),
        "victim category": tuple(v.value for v in VictimCategory),
        "non-casualty kind": tuple(n.value for n in NonCasualtyKind),
    },
    annotation=(
        "Annotated from gold/GUIDELINES.md section 2 (its conventions table fixes the bounds of every vague term); "
        "`bench validate` recomputes each value from its phrase. A second annotator labelled both articles blind from "
        "that section alone; three unscored differences were adjudicated into the guidelines."
    ),
    agreement="Inter-annotator agreement (casualties)",
    limitations=(
        "10 figures and 15 non-casualty numbers: an F1 moves by a tenth with one figure.",
        "The bounds of vague terms (\"dozens\" = 24 to 99) are this benchmark's conventions, not facts about the events; "
        "the victim category is scored apart because careful readers disagree on it.",
    ),
)
