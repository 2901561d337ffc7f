"""Where a text-only attribution span lands in the article: contents and cues.

Where it sits: stage 2, the attribution task. A content is grounded at its occurrences
inside its window (the whole article without one): the first that overlaps a gold
content span, else the first in the text (a content is never used up: nested
relations share content). A cue goes to the occurrence nearest its content and outside
it. The task's `prepare` places predictions with these, and the ceiling
(`ceiling.py`) uses them to see where an ideal answer's strings will land.
"""

from __future__ import annotations

from typing import Sequence

from bench.documents.corpus import Document
from bench.tasks.casualties.types import TextSpan
from bench.tasks.grounding import occurrences, within


def ground_content(document: Document, span: TextSpan, gold_spans: Sequence[TextSpan]) -> TextSpan | None:
    if span.start is not None:
        return TextSpan(span.start, span.end, document.text[span.start : span.end])
    found = within(occurrences(document, span.text), span.window)
    if not found:
        return None
    on_gold = [o for o in found if any(o[0] < g.end and g.start < o[1] for g in gold_spans)]
    start, end = (on_gold or found)[0]
    return TextSpan(start, end, document.text[start:end])


def ground_cue(document: Document, cue: TextSpan, content: Sequence[TextSpan]) -> TextSpan:
    if cue.start is not None:
        return TextSpan(cue.start, cue.end, document.text[cue.start : cue.end])
    found = within(occurrences(document, cue.text), cue.window)
    if not found:
        return TextSpan(None, None, cue.text)  # an ungrounded cue: a false positive for cue_f1
    lo, hi = min(s.start for s in content), max(s.end for s in content)

    def key(o: tuple[int, int]) -> tuple[bool, int, int]:
        inside = any(s.start < o[1] and o[0] < s.end for s in content)  # a cue is never in its own content
        return inside, max(lo - o[1], o[0] - hi, 0), o[0]

    start, end = min(found, key=key)
    return TextSpan(start, end, document.text[start:end])
