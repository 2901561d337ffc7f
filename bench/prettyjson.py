"""Indented JSON, byte for byte what `json.dumps(value, indent=N)` writes, but fast.

Where it sits: shared infrastructure at the top of `bench/`, used by `bench.atomic` to
write results files. `json.dumps` with an indent runs the pure-Python encoder: a run
record with 20,000 per-sentence units took it over a second. Here the containers that
hold other containers are walked in Python, and every flat one (an object or array of
scalars only, such as one unit) is handed whole to the C encoder, whose item separator
is set to a newline and the indent of its level, so it writes the same lines.

`tests/test_prettyjson.py` checks the output against `json.dumps` on generated values.
Keys that are not strings (which `json.dumps` converts) in a nested container fall back
to `json.dumps` itself, so the output never differs.
"""

from __future__ import annotations

import json
from typing import Any


class _Fallback(Exception):
    """A case the fast path leaves to `json.dumps`."""


def dumps(value: Any, indent: int = 2, *, ensure_ascii: bool = False, allow_nan: bool = False) -> str:
    """`json.dumps(value, indent=indent, ensure_ascii=..., allow_nan=...)`, the same string."""
    writer = _Writer(indent, ensure_ascii, allow_nan)
    try:
        writer.write(value, 0)
    except (_Fallback, RecursionError):  # json.dumps says what is wrong with a cycle
        return json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, allow_nan=allow_nan)
    return "".join(writer.parts)


def _is_container(value: Any) -> bool:
    return isinstance(value, (dict, list, tuple))


class _Writer:
    def __init__(self, indent: int, ensure_ascii: bool, allow_nan: bool) -> None:
        self.indent = indent
        self.options = {"ensure_ascii": ensure_ascii, "allow_nan": allow_nan}
        self.scalar = json.JSONEncoder(**self.options).encode
        self.flat: dict[int, Any] = {}  # level -> the C encoder for a flat container at that level
        self.parts: list[str] = []

    def newline(self, level: int) -> str:
        return "\n" + " " * (self.indent * level)

    def flat_encoder(self, level: int) -> Any:
        if level not in self.flat:
            self.flat[level] = json.JSONEncoder(separators=("," + self.newline(level + 1), ": "), **self.options).encode
        return self.flat[level]

    def write(self, value: Any, level: int) -> None:
        out = self.parts
        if isinstance(value, dict):
            items: Any = value.values()
            opening, closing = "{", "}"
        elif isinstance(value, (list, tuple)):
            items = value
            opening, closing = "[", "]"
        else:
            out.append(self.scalar(value))
            return
        if not value:
            out.append(opening + closing)
            return
        inner = self.newline(level + 1)
        if not any(map(_is_container, items)):
            # the C encoder writes `[a,<inner>b]`: open the first line and close the last
            out.append(opening + inner + self.flat_encoder(level)(value)[1:-1] + self.newline(level) + closing)
            return
        out.append(opening)
        if isinstance(value, dict):
            first = True
            for key, item in value.items():
                if not isinstance(key, str):
                    raise _Fallback
                out.append(("" if first else ",") + inner + self.scalar(key) + ": ")
                self.write(item, level + 1)
                first = False
        else:
            for i, item in enumerate(value):
                out.append(("," if i else "") + inner)
                self.write(item, level + 1)
        out.append(self.newline(level) + closing)
