"""Cue heads: `cue_head_f1`, the cue metric that tolerates conventions (GUIDELINES.md 3.6).

Where it sits: stage 2, tasks; the attribution scorer (`scoring.py`) counts cues with it
beside the strict, exact-span `cue_f1`.

Why: the gold leaves auxiliaries out of a cue ("called"), PARC keeps them ("have
called"). A cue's head is its lexical verb or preposition: its first word token that is
not an auxiliary, a modal, a negation or an adverb ("called" in "have called",
"according" in "according to", "reported" in "have also been reported"). A predicted
cue is right when it contains the gold cue's head, or the gold cue contains the
predicted cue's head. Predictions are taken in the scorer's canonical order; each goes
to the first gold head in the text that it matches and that is still free (a gold head
is found at most as often as gold relations have it), so the input order never matters.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Sequence

from bench.documents.corpus import Document
from bench.tasks.attribution.types import Relation
from bench.tasks.score import Counts

SKIPPED = frozenset(
    "have has had having be is are was were been being am will would shall should can could may might must do does did "
    "also not n't never reportedly allegedly later previously earlier further then just already still recently "
    "repeatedly publicly openly again in part".split()
)
NO_HEAD = frozenset({"to", "for", "that", "of", "as", "on", "by", "with"})  # never a head on their own
_WORD = re.compile(r"\w")


def head(document: Document, start: int | None, end: int | None) -> tuple[int, int] | None:
    """The head word token (offsets) of a placed cue, or None (unplaced, or only function words)."""
    if start is None or end is None:
        return None
    words = [t for t in document.tokens if start <= t.start and t.end <= end and _WORD.search(t.text)]
    lexical = [t for t in words if t.text.casefold() not in SKIPPED]
    if not lexical or lexical[0].text.casefold() in NO_HEAD:
        return None
    return lexical[0].start, lexical[0].end


def _inside(token: tuple[int, int] | None, start: int | None, end: int | None) -> bool:
    return token is not None and start is not None and end is not None and start <= token[0] and token[1] <= end


def cue_head_counts(document: Document, gold: Sequence[Relation], pred: Sequence[Relation]) -> list[tuple[Relation, Counts]]:
    """(relation, counts) for `cue_head_f1`: tp at the gold relation found, fn at a gold
    relation whose cue head is not found, fp at a prediction matching no free gold head.
    `pred` must be in canonical order (the scorer sorts it)."""
    gold_heads = [(g, head(document, g.cue.start, g.cue.end)) for g in gold]
    by_head: dict[tuple[int, int] | None, list[Relation]] = {}
    for g, h in gold_heads:
        by_head.setdefault(h, []).append(g)
    claimed: Counter = Counter()
    out: list[tuple[Relation, Counts]] = []
    for p in pred:
        p_head = head(document, p.cue.start, p.cue.end)
        matches = sorted(
            h for g, h in gold_heads
            if h is not None and (_inside(h, p.cue.start, p.cue.end) or _inside(p_head, g.cue.start, g.cue.end))
        )
        key = next((h for h in matches if claimed[h] < len(by_head[h])), None)
        if key is not None:
            out.append((by_head[key][claimed[key]], Counts(1, 0, 0)))
            claimed[key] += 1
        else:
            out.append((p, Counts(0, 1, 0)))
    for h, relations in by_head.items():
        found = claimed[h] if h is not None else 0
        out += [(g, Counts(0, 0, 1)) for g in relations[found:]]
    return out
