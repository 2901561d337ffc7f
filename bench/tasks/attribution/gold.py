"""Attribution gold: checks for `bench validate`, and loading into `AttributionGold`.

Checks beyond the JSON Schema: unique ids with the document's prefix; every span in
range, equal to the article's text and token-aligned; a source is null exactly when its
type is `unspecified`; a named source sits on an NER mention of its entity, an unnamed
one has a head word from its span; content spans in order and never holding the
relation's own cue or source; parents that exist, in the same document, without cycles;
`coverage` partial only under a parent; and the casualty links agree both ways (each
listed figure lies in the content, every figure inside a content is listed, and the
figure's `attribution` is the innermost relation listing it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from bench.documents.corpus import Corpus, Document
from bench.documents.tokenize import tokenize
from bench.errors import DataError
from bench.tasks.attribution.alignment import source_name
from bench.tasks.attribution.types import Coverage, FigureLink, Mode, Relation, Source, SourceType
from bench.tasks.base import Problem
from bench.tasks.casualties.types import TextSpan
from bench.tasks.goldfiles import check_span, check_version, read_gold_files

TASK = "attribution"


@dataclass(frozen=True)
class AttributionGold:
    """A document's relations, plus what scoring needs from the other tasks' gold: the
    casualty figures (for `figure_source_accuracy`) and every NER entity's mention texts
    (named sources match through aliases)."""

    doc_id: str
    relations: tuple[Relation, ...]
    figures: tuple[FigureLink, ...] = ()
    entity_names: Mapping[str, frozenset[str]] = field(default_factory=dict)


def _inside(span: dict, outer: dict) -> bool:
    return outer["start"] <= span["start"] and span["end"] <= outer["end"]


def _overlaps(a: dict, b: dict) -> bool:
    return a["start"] < b["end"] and b["start"] < a["end"]


def _check_source(source: dict, where: str, shown: str, ner: dict[tuple[int, int], str], problems: list[Problem]) -> None:
    span, stype = source["span"], source["type"]
    if (span is None) != (stype == SourceType.UNSPECIFIED.value):
        problems.append(Problem(shown, f"{where}.source", "a null span goes with type 'unspecified', and only with it"))
        return
    if span is None:
        if source["entity"] is not None or source["head"] is not None:
            problems.append(Problem(shown, f"{where}.source", "a null source has no entity and no head"))
        return
    at = ner.get((span["start"], span["end"]))
    if source["entity"] is not None:
        if at != source["entity"]:
            found = f"the NER mention there is {at!r}" if at else "no NER mention has this span"
            problems.append(Problem(shown, f"{where}.source.entity", f"{source['entity']!r} does not match the NER gold: {found}"))
        if source["head"] is not None:
            problems.append(Problem(shown, f"{where}.source.head", "a named source has no head word"))
        return
    if at is not None:
        problems.append(Problem(shown, f"{where}.source.entity", f"span {span['text']!r} is the NER mention of {at!r}: link it"))
    words = {t.text for t in tokenize(span["text"])}
    if source["head"] is None or source["head"] not in words:
        problems.append(Problem(shown, f"{where}.source.head", f"{source['head']!r} is not a word of the source span {span['text']!r}"))


def _check_file(document: Document, raw: dict, shown: str, ner: dict[tuple[int, int], str], figures: dict[str, dict], problems: list[Problem]) -> None:
    prefix = document.id[:3]
    by_id = {r["id"]: r for r in raw["relations"]}
    previous_cue = -1
    for i, r in enumerate(raw["relations"]):
        where = f"relations[{i}] (id {r['id']})"
        if not r["id"].startswith(prefix + "-"):
            problems.append(Problem(shown, where, f"id must start with the document prefix {prefix!r}"))
        spans = [("cue", r["cue"])] + [(f"content[{k}]", c) for k, c in enumerate(r["content"])]
        if r["source"]["span"] is not None:
            spans.append(("source.span", r["source"]["span"]))
        if not all([check_span(document, s, f"{where}.{name}", shown, problems) for name, s in spans]):
            continue
        _check_source(r["source"], where, shown, ner, problems)
        if r["cue"]["start"] < previous_cue:
            problems.append(Problem(shown, f"{where}.cue", "relations are kept in the text order of their cues"))
        previous_cue = r["cue"]["start"]
        for k, c in enumerate(r["content"]):
            if k and c["start"] < r["content"][k - 1]["end"]:
                problems.append(Problem(shown, f"{where}.content[{k}]", "content spans must be in text order and not overlap"))
            for name, own in (("cue", r["cue"]), ("source", r["source"]["span"])):
                if own is not None and _overlaps(own, c):
                    problems.append(Problem(shown, f"{where}.content[{k}]", f"holds the relation's own {name} {own['text']!r}"))
        parent = r["parent"]
        if parent is not None and parent not in by_id:
            problems.append(Problem(shown, f"{where}.parent", f"{parent!r} is not a relation in this file"))
        if r["coverage"] == Coverage.PARTIAL.value and parent is None:
            problems.append(Problem(shown, f"{where}.coverage", "partial coverage needs a parent"))
        for fid in r["figures"]:
            fig = figures.get(fid)
            if fig is None:
                problems.append(Problem(shown, f"{where}.figures", f"{fid!r} is not a casualty figure of this document"))
            elif not any(_inside(fig["quantity"], c) for c in r["content"]):
                problems.append(Problem(shown, f"{where}.figures", f"figure {fid} ({fig['quantity']['text']!r}) is not inside the content"))
        for fid, fig in figures.items():
            if fid not in r["figures"] and any(_inside(fig["quantity"], c) for c in r["content"]):
                problems.append(Problem(shown, f"{where}.figures", f"figure {fid} ({fig['quantity']['text']!r}) lies inside the content but is not listed"))
    for i, r in enumerate(raw["relations"]):
        seen, node = {r["id"]}, r["parent"]
        while node is not None and node in by_id:
            if node in seen:
                problems.append(Problem(shown, f"relations[{i}] (id {r['id']}).parent", f"parents form a cycle through {node!r}"))
                break
            seen.add(node)
            node = by_id[node]["parent"]
    _check_figure_links(by_id, figures, shown, problems)


def _depth(by_id: dict[str, dict], rid: str) -> int:
    depth, node, seen = 0, by_id[rid]["parent"], {rid}
    while node is not None and node in by_id and node not in seen:
        seen.add(node)
        depth, node = depth + 1, by_id[node]["parent"]
    return depth


def _check_figure_links(by_id: dict[str, dict], figures: dict[str, dict], shown: str, problems: list[Problem]) -> None:
    """A figure's `attribution` is the innermost (deepest) relation listing it."""
    for fid, fig in figures.items():
        listing = [rid for rid, r in by_id.items() if fid in r["figures"]]
        expected = max(listing, key=lambda rid: _depth(by_id, rid)) if listing else None
        if fig["attribution"] != expected:
            want = f"the innermost relation listing it, {expected!r}" if expected else "null: no relation lists it"
            problems.append(Problem(shown, f"figure {fid}", f"casualty attribution is {fig['attribution']!r}, but should be {want}"))


def _raw_by_doc(root: Path, task: str, corpus: Corpus) -> dict[str, dict]:
    return {document.id: raw for document, raw, _ in read_gold_files(root, task, corpus, [])}


def check_gold(root: Path, corpus: Corpus) -> list[Problem]:
    problems: list[Problem] = []
    versions: set[str] = set()
    ids: dict[str, str] = {}
    ner = {d: {(m["start"], m["end"]): m["entity"] for m in raw["mentions"]} for d, raw in _raw_by_doc(root, "ner", corpus).items()}
    casualties = _raw_by_doc(root, "casualties", corpus)
    for document, raw, shown in read_gold_files(root, TASK, corpus, problems):
        versions.add(raw["gold_version"])
        figures = {f["id"]: f for f in casualties.get(document.id, {}).get("figures", [])}
        _check_file(document, raw, shown, ner.get(document.id, {}), figures, problems)
        for i, r in enumerate(raw["relations"]):
            if r["id"] in ids:
                problems.append(Problem(shown, f"relations[{i}] (id {r['id']})", f"duplicate id (also in {ids[r['id']]})"))
            ids[r["id"]] = shown
    if not problems:
        check_version(root, TASK, versions, list(corpus), problems)
    return problems


def _span(raw: dict[str, Any]) -> TextSpan:
    return TextSpan(raw["start"], raw["end"], raw["text"])


def relation_from_gold(raw: dict[str, Any]) -> Relation:
    s = raw["source"]
    return Relation(
        id=raw["id"],
        source=Source(None if s["span"] is None else _span(s["span"]), SourceType(s["type"]), s["entity"], s["head"]),
        cue=_span(raw["cue"]),
        content=tuple(_span(c) for c in raw["content"]),
        mode=Mode(raw["mode"]),
        parent=raw["parent"],
        coverage=Coverage(raw["coverage"]),
        figures=tuple(raw["figures"]),
    )


def load_gold(root: Path, corpus: Corpus) -> dict[str, AttributionGold]:
    problems: list[Problem] = []
    names: dict[str, set[str]] = {}
    for raw in _raw_by_doc(root, "ner", corpus).values():
        for m in raw["mentions"]:
            names.setdefault(m["entity"], set()).add(source_name(m["text"]))
    entity_names = {k: frozenset(v) for k, v in names.items()}
    casualties = _raw_by_doc(root, "casualties", corpus)
    out = {}
    for document, raw, _ in read_gold_files(root, TASK, corpus, problems):
        figures = tuple(
            FigureLink(f["id"], f["quantity"]["start"], f["quantity"]["end"], f["attribution"])
            for f in casualties.get(document.id, {}).get("figures", [])
        )
        out[document.id] = AttributionGold(document.id, tuple(relation_from_gold(r) for r in raw["relations"]), figures, entity_names)
    if problems:
        raise DataError(f"{problems[0]} (run `bench validate` for every problem)")
    return out
