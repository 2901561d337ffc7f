"""Casualty-figure gold: checks for `bench validate`, and loading into `CasualtyGold`.

Checks beyond the JSON Schema: unique ids with the document's prefix; every span in
range, equal to the article's text and token-aligned; a figure's arguments in its
quantity's sentence; quantity bounds recomputed from the phrase by the conventions
table (`conventions.py`); entity links that point at an NER mention of that entity
(and a named span that forgets its link); a victim's `category_alternatives`, when
given, holding its `category`; figures and non-casualty quantities in text order, never
overlapping one another.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.documents.corpus import Corpus, Document
from bench.errors import DataError
from bench.tasks.base import Problem
from bench.tasks.casualties.conventions import BARE_PLURAL, read_quantity
from bench.tasks.casualties.types import (
    Bounds,
    CasualtyGold,
    Figure,
    Kind,
    NonCasualty,
    NonCasualtyKind,
    Outcome,
    Quantity,
    TextSpan,
    Unit,
    VictimCategory,
)
from bench.tasks.goldfiles import check_span, check_version, read_gold_files

TASK = "casualties"
ARGUMENTS = ("perpetrator", "location", "time")


def _ner_mentions(root: Path, corpus: Corpus) -> dict[str, dict[tuple[int, int], str]]:
    """doc_id -> {(start, end): entity id} from the NER gold (problems there are NER's to report)."""
    out: dict[str, dict[tuple[int, int], str]] = {}
    for document, raw, _ in read_gold_files(root, "ner", corpus, []):
        out[document.id] = {(m["start"], m["end"]): m["entity"] for m in raw["mentions"]}
    return out


def _check_quantity(q: dict, where: str, shown: str, problems: list[Problem]) -> None:
    if q["high"] is not None and q["low"] > q["high"]:
        problems.append(Problem(shown, where, f"low {q['low']} > high {q['high']}"))
        return
    read = read_quantity(q["text"])
    if read is None:
        expected = {"kind": "vague", "low": BARE_PLURAL[0], "high": BARE_PLURAL[1], "point": None, "qualifier": None, "vague_term": None}
        rule = "a phrase the conventions table does not read is a bare plural"
    else:
        b = read.bounds
        expected = {"kind": b.kind.value, "low": b.low, "high": b.high, "point": b.point, "qualifier": read.qualifier, "vague_term": read.vague_term}
        rule = f"the conventions table reads {q['text']!r} so"
    for key, value in expected.items():
        if q[key] != value:
            problems.append(Problem(shown, f"{where}.{key}", f"is {q[key]!r}, but {rule}: {key} {value!r} (GUIDELINES.md 2.2)"))


def _check_file(document: Document, raw: dict, shown: str, ner: dict[tuple[int, int], str], problems: list[Problem]) -> None:
    prefix = document.id[:3]
    taken: list[tuple[int, int, str]] = []
    for i, fig in enumerate(raw["figures"]):
        where = f"figures[{i}] (id {fig['id']})"
        if not fig["id"].startswith(prefix + "-"):
            problems.append(Problem(shown, where, f"id must start with the document prefix {prefix!r}"))
        victim = fig["victim"]
        alternatives = victim["category_alternatives"]
        if alternatives is not None and victim["category"] not in alternatives:
            problems.append(Problem(shown, f"{where}.victim.category_alternatives", f"lists the defensible categories, so it must hold the category {victim['category']!r} too (GUIDELINES.md 2.3)"))
        q = fig["quantity"]
        if not check_span(document, q, f"{where}.quantity", shown, problems):
            continue
        _check_quantity(q, f"{where}.quantity", shown, problems)
        taken.append((q["start"], q["end"], fig["id"]))
        sentence = document.sentence_at(q["start"])
        if q["end"] > sentence.end:
            problems.append(Problem(shown, f"{where}.quantity", f"crosses the sentence boundary at {sentence.end}"))
        spans = [("victim.span", fig["victim"]["span"])] + [(name, fig[name]) for name in ARGUMENTS]
        for name, span in spans:
            if span is None or not check_span(document, span, f"{where}.{name}", shown, problems):
                continue
            if document.sentence_at(span["start"]).index != sentence.index or span["end"] > sentence.end:
                problems.append(Problem(shown, f"{where}.{name}", f"span {span['text']!r} is not in the figure's sentence (sentence {sentence.index})"))
            entity = span.get("entity")
            at = ner.get((span["start"], span["end"]))
            if entity is not None and at != entity:
                found = f"the NER mention there is {at!r}" if at else "no NER mention has this span"
                problems.append(Problem(shown, f"{where}.{name}.entity", f"{entity!r} does not match the NER gold: {found}"))
            elif entity is None and at is not None and name != "victim.span":
                problems.append(Problem(shown, f"{where}.{name}.entity", f"span {span['text']!r} is the NER mention of {at!r}: link it"))
    for i, neg in enumerate(raw["non_casualty"]):
        where = f"non_casualty[{i}] (id {neg['id']})"
        if not neg["id"].startswith(prefix + "-"):
            problems.append(Problem(shown, where, f"id must start with the document prefix {prefix!r}"))
        if check_span(document, neg, where, shown, problems):
            for start, end, fid in taken:
                if neg["start"] < end and start < neg["end"]:
                    problems.append(Problem(shown, where, f"overlaps the quantity of figure {fid}; a number is a figure or a non-casualty, not both"))
    for key, name in (("figures", "quantity"), ("non_casualty", None)):
        previous = None
        for i, item in enumerate(raw[key]):
            span = item[name] if name else item
            if previous is not None and span["start"] < previous[1]:
                problems.append(Problem(shown, f"{key}[{i}] (id {item['id']})", f"starts at {span['start']}, before the end of {previous[2]} ({previous[1]}); keep {key} in text order, not overlapping"))
            previous = (span["start"], span["end"], item["id"])


def check_gold(root: Path, corpus: Corpus) -> list[Problem]:
    problems: list[Problem] = []
    versions: set[str] = set()
    ids: dict[str, str] = {}
    ner = _ner_mentions(root, corpus)
    for document, raw, shown in read_gold_files(root, TASK, corpus, problems):
        versions.add(raw["gold_version"])
        _check_file(document, raw, shown, ner.get(document.id, {}), problems)
        for key in ("figures", "non_casualty"):
            for i, item in enumerate(raw[key]):
                if item["id"] in ids:
                    problems.append(Problem(shown, f"{key}[{i}] (id {item['id']})", f"duplicate id (also in {ids[item['id']]})"))
                ids[item["id"]] = shown
    if not problems:
        check_version(root, TASK, versions, list(corpus), problems)
    return problems


def _span(raw: dict[str, Any] | None) -> TextSpan | None:
    return None if raw is None else TextSpan(raw["start"], raw["end"], raw["text"], raw.get("entity"))


def figure_from_gold(raw: dict[str, Any]) -> Figure:
    q = raw["quantity"]
    return Figure(
        quantity=Quantity(TextSpan(q["start"], q["end"], q["text"]), Bounds(Kind(q["kind"]), q["low"], q["high"], q["point"]), q["qualifier"], q["vague_term"]),
        outcome=Outcome(raw["outcome"]),
        unit=Unit(raw["unit"]),
        victim_category=VictimCategory(raw["victim"]["category"]),
        victim=_span(raw["victim"]["span"]),
        victim_alternatives=tuple(VictimCategory(c) for c in raw["victim"]["category_alternatives"] or ()),
        perpetrator=_span(raw["perpetrator"]),
        location=_span(raw["location"]),
        time=_span(raw["time"]),
        in_headline=raw["in_headline"],
        id=raw["id"],
        attribution=raw["attribution"],
    )


def load_gold(root: Path, corpus: Corpus) -> dict[str, CasualtyGold]:
    problems: list[Problem] = []
    out: dict[str, CasualtyGold] = {}
    for document, raw, _ in read_gold_files(root, TASK, corpus, problems):
        out[document.id] = CasualtyGold(
            doc_id=document.id,
            figures=tuple(figure_from_gold(f) for f in raw["figures"]),
            non_casualty=tuple(NonCasualty(n["id"], n["start"], n["end"], n["text"], NonCasualtyKind(n["kind"])) for n in raw["non_casualty"]),
        )
    if problems:
        raise DataError(f"{problems[0]} (run `bench validate` for every problem)")
    return out
