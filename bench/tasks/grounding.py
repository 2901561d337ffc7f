"""Grounding text-only predictions (as LLMs give them) in the article, for every task.

Where it sits: stage 2, tasks, shared: NER grounds its mentions here, the casualty task
its quantities (with the outcome in place of the label), attribution its contents and
cues (with `occurrences` and `within`).

Policy (documented in docs/metrics.md and the guidelines, versioned with the scorers):
1. Normalise both the prediction and the article: Unicode NFKC, curly quotes and
   dashes to ASCII, case folded, then compared token by token with the benchmark
   tokenizer, so whitespace between tokens does not matter ("al-Sharaa" matches
   "al - Sharaa"). Matches start and end on token boundaries ("Syria" never matches
   inside "Syrian").
2. Each occurrence in the text is used at most once (also by predictions with offsets). A prediction takes, in this order
   of preference, an unused occurrence that is (a) a gold mention with the same label,
   (b) a gold mention with another label, (c) any other occurrence; within a tier, the
   first in the text. The tiers run over all predictions of a document in turn, and
   predictions are taken in a canonical order (normalised text, label), so the input
   order never matters.
3. A prediction whose string is not in the text is a false positive and is reported
   as `ungrounded`. A prediction with a `window` (the passage an LLM was prompted with)
   is grounded inside it only: a string not found there is `ungrounded`, even if it
   occurs elsewhere in the article. One that finds every occurrence already used is a false positive
   too (a surplus repeat), reported as `surplus`.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from enum import Enum
from typing import Sequence

from bench.documents.corpus import Document
from bench.documents.tokenize import tokenize
from bench.tasks.ner.types import Span

_TRANSLATE = str.maketrans({"‘": "'", "’": "'", "‚": "'", "“": '"', "”": '"', "„": '"', "–": "-", "—": "-", "‐": "-", "‑": "-"})


def normalise(text: str) -> str:
    """The normalisation used to compare mention strings (also by later tasks)."""
    return " ".join(unicodedata.normalize("NFKC", text).translate(_TRANSLATE).casefold().split())


def normalised_tokens(text: str) -> tuple[str, ...]:
    return tuple(t.text for t in tokenize(normalise(text)))


class Unplaced(str, Enum):
    UNGROUNDED = "ungrounded"
    SURPLUS = "surplus"


@dataclass(frozen=True)
class Grounded:
    """The outcome for one text-only prediction: a span, or why it has none."""

    text: str
    label: str
    span: Span | None
    unplaced: Unplaced | None = None


def occurrences(document: Document, text: str) -> list[tuple[int, int]]:
    """Token-aligned (start, end) occurrences of `text` in the document, normalised."""
    wanted = normalised_tokens(text)
    if not wanted:
        return []
    tokens = document.tokens
    norm = _doc_norm_tokens(document)
    n = len(wanted)
    out = []
    for i in range(len(norm) - n + 1):
        if norm[i] == wanted[0] and tuple(norm[i : i + n]) == wanted:
            out.append((tokens[i].start, tokens[i + n - 1].end))
    return out


def within(found: list[tuple[int, int]], window: tuple[int, int] | None) -> list[tuple[int, int]]:
    """The occurrences inside `window` (all of them when it is None)."""
    if window is None:
        return found
    return [o for o in found if window[0] <= o[0] and o[1] <= window[1]]


_NORM_CACHE: dict[str, tuple[str, ...]] = {}


def _doc_norm_tokens(document: Document) -> tuple[str, ...]:
    key = document.sha256
    if key not in _NORM_CACHE:
        # Normalise token by token so that indices stay aligned with document.tokens.
        _NORM_CACHE[key] = tuple(normalise(t.text) for t in document.tokens)
    return _NORM_CACHE[key]


def ground(
    document: Document,
    items: Sequence[tuple[str, str]],
    gold: Sequence[Span],
    taken: Sequence[Span] = (),
    windows: Sequence[tuple[int, int] | None] | None = None,
) -> list[Grounded]:
    """Ground (text, label) predictions; returns one `Grounded` per item, in input order.

    `taken` are spans the system predicted with offsets: their occurrences are used.
    `windows`, per item, limits its occurrences to a passage [start, end) (None: anywhere)."""
    gold_labels: dict[tuple[int, int], set[str]] = {}
    for span in gold:
        gold_labels.setdefault((span.start, span.end), set()).add(span.label)
    candidates = [within(occurrences(document, text), windows[i] if windows else None) for i, (text, _) in enumerate(items)]
    order = sorted(range(len(items)), key=lambda i: (normalise(items[i][0]), items[i][1], i))
    used: set[tuple[int, int]] = {(span.start, span.end) for span in taken}
    placed: dict[int, tuple[int, int]] = {}
    tiers = (
        lambda occ, label: label in gold_labels.get(occ, ()),
        lambda occ, label: occ in gold_labels,
        lambda occ, label: True,
    )
    for accept in tiers:
        for i in order:
            if i in placed:
                continue
            for occ in candidates[i]:
                if occ not in used and accept(occ, items[i][1]):
                    placed[i] = occ
                    used.add(occ)
                    break
    out = []
    for i, (text, label) in enumerate(items):
        if i in placed:
            start, end = placed[i]
            out.append(Grounded(text, label, Span(start, end, label)))
        else:
            reason = Unplaced.UNGROUNDED if not candidates[i] else Unplaced.SURPLUS
            out.append(Grounded(text, label, None, reason))
    return out
