"""How an LLM is asked for casualty figures (`bench.tasks.llm`): templates, answer formats, merging.

Where it sits: stage 2, the casualty task. The answer is `{"figures": [{"quantity",
"kind", "low", "high", "outcome", "unit", "victims"}]}` in every prompt version:
bounded from 1.1.0 (a number phrase at most 100 characters, one figure per 12 words of
the window), the number phrase copy-constrained from 1.2.0 (a run of at most 8 tokens
of the window). 1.3.0's template and rules are 1.2.0's, so the two share a prompt
hash and cached answers.

A window's quantities are tagged with its span; a figure repeated beyond the number of
times its number phrase occurs in its window is a duplicate.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from bench.documents.corpus import Document
from bench.documents.windows import Window
from bench.tasks.llm import COUNT, TEXT, Bounds, CopyRule, ListFormat, dedupe_by_occurrences, normalise, packaged_template

VERSIONS = ("1.0.0", "1.1.0", "1.2.0", "1.3.0")
BOUNDS = Bounds(words_per_item=12, floor=2, max_chars={"quantity": 100})
COPY = CopyRule({"quantity": 8})

ITEM = {
    "quantity": TEXT,
    "kind": {"enum": ["exact", "lower_bound", "upper_bound", "range", "approx", "vague"]},
    "low": COUNT,
    "high": {"anyOf": [COUNT, {"type": "null"}]},
    "outcome": {"enum": ["killed", "injured", "killed_or_injured", "kidnapped", "arrested", "missing", "displaced"]},
    "unit": {"enum": ["persons", "incidents"]},
    "victims": {"enum": ["civilians", "state_forces", "armed_group", "mixed", "unknown"]},
}


def to_record(f: dict[str, Any]) -> dict[str, Any]:
    """An answer's figure -> a predictions-file record (text-only quantity)."""
    return {
        "quantity": {"text": f["quantity"], "kind": f["kind"], "low": f["low"], "high": f["high"]},
        "outcome": f["outcome"],
        "unit": f["unit"],
        "victim": {"category": f["victims"]},
    }


_FORMATS = {
    "1.0.0": ListFormat("figures", ITEM, to_record),
    "1.1.0": ListFormat("figures", ITEM, to_record, BOUNDS),
    "1.2.0": ListFormat("figures", ITEM, to_record, BOUNDS, COPY),
    "1.3.0": ListFormat("figures", ITEM, to_record, BOUNDS, COPY),
}


def _key(f: Any) -> tuple:
    q = f.quantity
    return (normalise(q.span.text or ""), q.span.window, q.bounds, f.outcome, f.unit, f.victim_category)


class CasualtyProtocol:
    task = "casualties"
    versions = VERSIONS
    context = False

    def template(self, version: str) -> str:
        return packaged_template(__package__, version)

    def answer_format(self, version: str) -> ListFormat:
        return _FORMATS[version]

    def localise(self, items: Sequence[Any], window: Window) -> list[Any]:
        return [replace(f, quantity=replace(f.quantity, span=replace(f.quantity.span, window=window.span))) for f in items]

    def dedupe(self, items: Sequence[Any], document: Document) -> tuple[list[Any], int]:
        return dedupe_by_occurrences(items, _key, lambda f: f.quantity.span.text or "", lambda f: f.quantity.span.window, document)


PROTOCOL = CasualtyProtocol()
