"""How an LLM is asked for attribution (`bench.tasks.llm`): templates, answer formats, merging.

Where it sits: stage 2, the attribution task. The answer is `{"attributions": [{"id",
"source", "source_type", "cue", "content", "mode", "parent"}]}` in every prompt
version: bounded from 1.1.0 (one relation per 12 words of the window; a source at most
200 characters, a cue 100, a content 1,000), the source and cue copy-constrained from
1.2.0 (runs of at most 12 and 4 tokens of the window), and from 1.3.0 the content
too: a sentence prefix or suffix (the words of one sentence from its first word on, or
up to its last word), which is where reported speech sits ("X said [content]",
"[content], X said"); a content over two sentences can then only be given as one.

A content may run across a sentence boundary, so sentence windows show their
neighbouring sentences as marked context (`context`). Relation ids are prefixed with
the window's number (`w3.a1`, its parent `w3.a2`), so they are unique in the document;
a relation another window already gave (the same source, type, cue, content and mode:
neighbouring sentences share context) is a duplicate, and a child of a dropped
duplicate points at the one kept. What a perfect model would answer (the ceiling) is
`ceiling.py`.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from bench.documents.corpus import Document
from bench.documents.windows import Window
from bench.tasks.attribution.ceiling import ideal_answer
from bench.tasks.ceiling import IdealAnswer
from bench.tasks.llm import TEXT, Bounds, CopyRule, ListFormat, normalise, packaged_template

VERSIONS = ("1.0.0", "1.1.0", "1.2.0", "1.3.0")
BOUNDS = Bounds(words_per_item=12, floor=2, max_chars={"id": 20, "source": 200, "cue": 100, "content": 1000, "parent": 20})
COPY = CopyRule({"source": 12, "cue": 4})
COPY_CLAUSES = CopyRule({"source": 12, "cue": 4}, clauses=("content",), notes={"content": "a sentence's words from its first word or up to its last word"})

SOURCE_TYPES = ["named_person", "named_org", "media", "state_media", "monitor", "official", "unnamed_individual", "unnamed_group", "document", "unspecified"]
ITEM = {
    "id": TEXT,
    "source": TEXT,
    "source_type": {"enum": SOURCE_TYPES},
    "cue": TEXT,
    "content": TEXT,
    "mode": {"enum": ["direct", "indirect", "mixed"]},
    "parent": {"anyOf": [TEXT, {"type": "null"}]},
}


def to_record(a: dict[str, Any]) -> dict[str, Any]:
    """An answer's relation -> a predictions-file record (text-only spans)."""
    return {
        "id": a["id"],
        "source": {"text": a["source"], "type": a["source_type"]},
        "cue": {"text": a["cue"]},
        "content": [{"text": a["content"]}],
        "mode": a["mode"],
        "parent": a["parent"],
    }


_FORMATS = {
    "1.0.0": ListFormat("attributions", ITEM, to_record),
    "1.1.0": ListFormat("attributions", ITEM, to_record, BOUNDS),
    "1.2.0": ListFormat("attributions", ITEM, to_record, BOUNDS, COPY),
    "1.3.0": ListFormat("attributions", ITEM, to_record, BOUNDS, COPY_CLAUSES),
}


def _key(r: Any) -> tuple:
    return (normalise(r.source.text or ""), r.source.type, normalise(r.cue.text or ""), tuple(normalise(c.text or "") for c in r.content), r.mode)


def _break_cycles(relations: list[Any]) -> list[Any]:
    """Re-pointed parents could close a loop across windows: such a link is dropped."""
    parents = {r.id: r.parent for r in relations}
    out = []
    for r in relations:
        seen, node = {r.id}, r.parent
        while node is not None and node not in seen:
            seen.add(node)
            node = parents.get(node)
        if node is not None:  # came back to a relation already seen: a cycle through r
            parents[r.id] = None
            r = replace(r, parent=None)
        out.append(r)
    return out


class AttributionProtocol:
    task = "attribution"
    versions = VERSIONS
    context = True

    def template(self, version: str) -> str:
        return packaged_template(__package__, version)

    def answer_format(self, version: str) -> ListFormat:
        return _FORMATS[version]

    def localise(self, items: Sequence[Any], window: Window) -> list[Any]:
        prefix, span = f"w{window.index}.", window.span
        return [
            replace(
                r,
                id=prefix + r.id,
                parent=None if r.parent is None else prefix + r.parent,
                cue=replace(r.cue, window=span),
                content=tuple(replace(c, window=span) for c in r.content),
            )
            for r in items
        ]

    def dedupe(self, items: Sequence[Any], document: Document) -> tuple[list[Any], int]:
        kept: list[Any] = []
        first: dict[tuple, str] = {}  # key -> the id of the relation kept for it
        removed_ids: dict[str, str] = {}  # a dropped id -> the id kept in its place
        for r in items:
            key = _key(r)
            if key in first:
                removed_ids[r.id] = first[key]
                continue
            first[key] = r.id
            kept.append(r)
        if removed_ids:  # a child of a dropped duplicate now points at the record kept
            kept = _break_cycles([replace(r, parent=removed_ids.get(r.parent, r.parent)) if r.parent else r for r in kept])
        return kept, len(items) - len(kept)

    def ideal_answer(self, gold: Any, document: Document, window: Window, fmt: ListFormat) -> IdealAnswer:
        """What a perfect model answers for the window (the rules are in `ceiling.py`)."""
        return ideal_answer(gold, document, window, fmt)


PROTOCOL = AttributionProtocol()
