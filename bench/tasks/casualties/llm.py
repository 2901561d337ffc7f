"""How an LLM is asked for casualty figures (`bench.tasks.llm`): templates, answer formats, merging.

Where it sits: stage 2, the casualty task. The answer is `{"figures": [{"quantity",
"kind", "low", "high", "outcome", "unit", "victims"}]}` in every prompt version:
bounded from 1.1.0 (a number phrase at most 100 characters, one figure per 12 words of
the window), the number phrase copy-constrained from 1.2.0 (a run of at most 8 tokens
of the window). 1.3.0's template and rules are 1.2.0's, so the two share a prompt
hash and cached answers.

A window's quantities are tagged with its span; a figure repeated beyond the number of
times its number phrase occurs in its window is a duplicate.

The ceiling (`ideal_answer`): a window owns the gold figures whose number phrase starts
in its passage, each given whole (phrase, kind, bounds, outcome, unit, victims); the
answer has no field for a qualifier or a vague term, which the headline does not score.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from bench.documents.corpus import Document
from bench.documents.windows import Window
from bench.tasks.casualties.types import CasualtyGold
from bench.tasks.ceiling import CROSSES_WINDOWS, NOT_A_PHRASE, OVER_CHARACTERS, OVER_ITEM_BOUND, IdealAnswer, IdealItem, owns, phrase_problem
from bench.tasks.llm import COUNT, TEXT, Bounds, CopyRule, ListFormat, choices, dedupe_by_occurrences, normalise, packaged_template

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

    def ideal_answer(self, gold: CasualtyGold, document: Document, window: Window, fmt: ListFormat) -> IdealAnswer:
        """Every gold figure whose number phrase starts in the window's passage, with its
        kind, bounds, outcome, unit and victim category, unless the format cannot hold its
        phrase or the item bound is reached; annotated non-casualty numbers are left out."""
        offered = choices(fmt, window, document)
        phrases = None if offered is None else set(offered["quantity"])
        bound = fmt.bounds.max_items(window, document) if fmt.bounds is not None else None
        cap = fmt.bounds.max_chars["quantity"] if fmt.bounds is not None else None
        figures: list[dict[str, Any]] = []
        items: list[IdealItem] = []
        for figure in sorted((f for f in gold.figures if owns(window, f.quantity.span.start)), key=lambda f: (f.quantity.span.start, f.id or "")):
            span = figure.quantity.span
            reason: str | None = None
            if span.end > window.end:
                reason = CROSSES_WINDOWS
            elif cap is not None and len(span.text or "") > cap:
                reason = OVER_CHARACTERS
            elif phrases is not None and span.text not in phrases:
                reason = phrase_problem(document, span.start, span.end, fmt.copy.max_tokens["quantity"]) or NOT_A_PHRASE
            elif bound is not None and len(figures) >= bound:
                reason = OVER_ITEM_BOUND
            if reason is None:
                b = figure.quantity.bounds
                figures.append({"quantity": span.text, "kind": b.kind.value, "low": b.low, "high": b.high, "outcome": figure.outcome.value,
                                "unit": figure.unit.value, "victims": figure.victim_category.value})
            items.append(IdealItem(figure.id or "", reason is None, reason))
        return IdealAnswer(fmt.answer(figures), tuple(items))


PROTOCOL = CasualtyProtocol()
