"""Checking a predicted span against its article, shared by every task's predictions.

A span gives offsets (`start`, `end`, and optionally `text`, which must match), or only
`text`, which the task's scorer grounds later. A span that can do neither is bad input:
one `PredictionError` naming the file and line (or system and document) and the record.
"""

from __future__ import annotations

from bench.documents.corpus import Document
from bench.errors import PredictionError


def is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def check_predicted_span(document: Document, start: object, end: object, text: object, place: str) -> None:
    if start is None and end is None:
        if not isinstance(text, str) or not text.strip():
            raise PredictionError(f"{place}: needs start and end, or a non-empty text")
        return
    n = len(document.text)
    if not is_int(start) or not is_int(end):
        raise PredictionError(f"{place}: offsets must be integers, got start={start!r} end={end!r}")
    if not 0 <= start < end <= n:
        raise PredictionError(f"{place}: offsets [{start}, {end}) out of range for document {document.id} ({n} code points)")
    if text is not None and document.text[start:end] != text:
        raise PredictionError(f"{place}: text {text!r} does not match document {document.id} at [{start}, {end}), which reads {document.text[start:end]!r}")


def check_window(document: Document, window: object, place: str) -> None:
    """A text-only span's `window` must be [start, end) inside the document, or absent."""
    if window is None:
        return
    if not isinstance(window, tuple) or len(window) != 2 or not all(is_int(v) for v in window):
        raise PredictionError(f"{place}: window must be [start, end], two integers, got {window!r}")
    if not 0 <= window[0] <= window[1] <= len(document.text):
        raise PredictionError(f"{place}: window [{window[0]}, {window[1]}) out of range for document {document.id} ({len(document.text)} code points)")
