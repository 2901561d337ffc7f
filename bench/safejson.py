"""Decoding JSON from outside the package as hostile input: bounded, and text-checked.

Every boundary that reads JSON it did not write itself (predictions files, model
answers, results files, benchmark trees, label maps, the prediction cache) decodes
through `loads` or `raw_decode` here, so that one odd input gives one clear problem
instead of a crash:

- size: the input is refused above `Limits.max_chars` before decoding;
- depth: brackets are counted, outside strings, before decoding, and an input nested
  deeper than `Limits.max_depth` is refused (Python's decoder would otherwise raise
  RecursionError on `[[[[...]]]]`);
- numbers: NaN and Infinity are not JSON and are refused, and so is a number too large
  for a float (`1e999`, which Python would read as infinity);
- text: every string (values and keys) must be encodable as UTF-8, so a lone
  surrogate such as the escape `"\\ud800"` is refused here and can never reach a file
  written later; a string longer than `Limits.max_string` is refused.

Problems raise `UnsafeJSON` (a `ValueError`) whose `problem` is one line, free of
unencodable characters; each boundary prefixes it with its file, line or record.
`find_surrogate` checks values that did not come through here (a model's in-process
answer, a system's items).

The same bytes get the same verdict, so `loads` remembers (by sha256, for the life of
the process) the inputs of `REMEMBER_FROM` bytes or more that it accepted, and decodes
them again without the checks: `bench score` reads each gold file three times (its
checks, loading, the content hash), and on the benchmark trees the checks cost over
30 times the hash.

Where it sits: shared infrastructure at the top of `bench/`, like `bench/errors.py`.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass
from itertools import accumulate
from typing import Any


@dataclass(frozen=True)
class Limits:
    """What one JSON input may hold; the defaults are far above any honest input."""

    max_depth: int = 64  # arrays and objects inside each other (a predictions line uses 5)
    max_chars: int = 64 * 1024 * 1024  # characters of the whole input
    max_string: int = 1024 * 1024  # characters of one string (the articles hold about 10,000)


DEFAULT_LIMITS = Limits()

REMEMBER_FROM = 4096  # bytes: below this the checks cost about what hashing does
REMEMBER_AT_MOST = 100_000  # inputs remembered a process (32 bytes of digest each)
_ACCEPTED: set[tuple[bytes, Limits, bool]] = set()  # (sha256 of the bytes, limits, check_text) that passed


class UnsafeJSON(ValueError):
    """The input is not JSON, or breaks a limit; `problem` says which, in one line."""

    def __init__(self, problem: str, position: int | None = None) -> None:
        super().__init__(problem)
        self.problem = problem
        self.position = position  # character offset into the input, when known


_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"?', re.S)  # a JSON string (or one left open at the end)
_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SURROGATE_ESCAPE = re.compile(r"\\u[dD][89a-fA-F]")  # may also match an escaped backslash before "ud8..": then the walk runs
_STEP = str.maketrans({"[": "(", "{": "(", "]": ")", "}": ")"})
_STEP_VALUE = {"(": 1, ")": -1}


def nesting_depth(text: str) -> int:
    """How deep arrays and objects nest in `text`, counting brackets outside strings.

    Fast on inputs of megabytes: strings are cut out with regular expressions, and
    the depth is a running sum over the brackets alone.
    """
    if "[" not in text and "{" not in text:
        return 0
    brackets = _NOT_BRACKET.sub("", _STRING.sub("", text)).translate(_STEP)
    return max(accumulate(map(_STEP_VALUE.__getitem__, brackets)), default=0)


def find_surrogate(value: Any, path: str = "") -> str | None:
    """The JSON path of the first string (or key) in `value` that cannot be encoded as
    UTF-8 (a lone surrogate), or None. `value` nests at most as deep as decoded JSON."""
    stack: list[tuple[str, Any]] = [(path, value)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, str):
            if _SURROGATE.search(node):
                return where or "(top level)"
        elif isinstance(node, dict):
            for key, item in node.items():
                if isinstance(key, str) and _SURROGATE.search(key):
                    return f"{where}.{ascii(key)}" if where else ascii(key)
                stack.append((f"{where}.{key}" if where else str(key), item))
        elif isinstance(node, (list, tuple)):
            stack.extend((f"{where}[{i}]", item) for i, item in enumerate(node))
    return None


def surrogate_problem(where: str) -> str:
    return f"{where}: a string holds a lone surrogate (an escape such as \\ud800 that is no character), which no UTF-8 file can hold"


def _reject_constant(name: str) -> Any:
    raise UnsafeJSON(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if math.isinf(value):
        raise UnsafeJSON(f"the number {text[:40]} is too large for a float")
    return value


def _check_strings(value: Any, limits: Limits, text: str | None = None) -> None:
    """Refuse lone surrogates and over-long strings in `value`, decoded from `text` when
    given: a decoded string is never longer than its token in the text, and a lone surrogate comes
    only from a surrogate in the text or a `\\uD800`-`\\uDFFF` escape, so the walks are
    skipped when the text can hold neither."""
    if text is None or _SURROGATE.search(text) or _SURROGATE_ESCAPE.search(text):
        where = find_surrogate(value)
        if where is not None:
            raise UnsafeJSON(surrogate_problem(where))
    if text is not None and (len(text) <= limits.max_string or _longest_string_token(text) <= limits.max_string + 2):
        return  # a string decodes to at most its token's length less the two quotes
    stack = [value]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if len(node) > limits.max_string:
                raise UnsafeJSON(f"a string of {len(node):,} characters (the limit is {limits.max_string:,})")
        elif isinstance(node, dict):
            stack.extend(node.values())
            stack.extend(node.keys())
        elif isinstance(node, list):
            stack.extend(node)


def _longest_string_token(text: str) -> int:
    """The length of the longest JSON string token in `text`, quotes and escapes included."""
    return max(map(len, _STRING.findall(text)), default=0)


def check_shape(text: str, limits: Limits = DEFAULT_LIMITS) -> None:
    """Refuse an input longer or deeper than `limits` (before any decoding)."""
    if len(text) > limits.max_chars:
        raise UnsafeJSON(f"{len(text):,} characters, more than the {limits.max_chars:,} one input may hold")
    depth = nesting_depth(text)
    if depth > limits.max_depth:
        raise UnsafeJSON(f"nested {depth:,} levels deep (the limit is {limits.max_depth})")


def _first_clause(exc: Exception) -> str:
    return " ".join(str(exc).split(":")[0].split())


def _decoder() -> json.JSONDecoder:
    return json.JSONDecoder(parse_constant=_reject_constant, parse_float=_finite_float)


def loads(text: str | bytes, limits: Limits = DEFAULT_LIMITS, *, check_text: bool = True) -> Any:
    """Decode one JSON value; raises `UnsafeJSON` with a one-line problem.

    Bytes must be UTF-8 (a BOM is refused, as JSON forbids it). `check_text=False`
    keeps lone surrogates and long strings (the prediction cache stores a model's raw
    answer as it came, and the answer's parser judges it).
    """
    seen = None
    if isinstance(text, (bytes, bytearray)):
        if len(text) >= REMEMBER_FROM:
            seen = (hashlib.sha256(text).digest(), limits, check_text)
            if seen in _ACCEPTED:  # these bytes passed every check below: only decode them
                return _decoder().decode(bytes(text).decode("utf-8"))
        try:
            text = bytes(text).decode("utf-8")
        except UnicodeDecodeError as exc:
            raise UnsafeJSON(f"not UTF-8 (byte {exc.start + 1} is 0x{text[exc.start]:02x})", exc.start) from None
    if text.startswith("\ufeff"):
        raise UnsafeJSON("starts with a byte-order mark (BOM); save the file as UTF-8 without one", 0)
    check_shape(text, limits)
    try:
        value = _decoder().decode(text)
    except json.JSONDecodeError as exc:
        at = f"column {exc.colno}" if exc.lineno == 1 else f"line {exc.lineno} column {exc.colno}"
        raise UnsafeJSON(f"invalid JSON: {exc.msg} at {at}", exc.pos) from None
    except RecursionError:  # not reached under the depth limit; kept as a second guard
        raise UnsafeJSON("nested too deep to decode") from None
    except UnsafeJSON:
        raise
    except ValueError as exc:  # an integer of more digits than Python converts
        raise UnsafeJSON(f"invalid JSON: {_first_clause(exc)}") from None
    if check_text:
        _check_strings(value, limits, text)
    if seen is not None and len(_ACCEPTED) < REMEMBER_AT_MOST:
        _ACCEPTED.add(seen)
    return value


def raw_decode(text: str, start: int, limits: Limits = DEFAULT_LIMITS) -> tuple[Any, int]:
    """Decode the JSON value that starts at `text[start]` and may be followed by more text
    (a model's answer with prose after it); returns the value and where it ended.

    Raises `json.JSONDecodeError` for text that is not JSON there (so callers can tell a
    cut-off answer from a malformed one), `UnsafeJSON` for a value that breaks a limit.
    Call `check_shape(text)` once first: the depth is not checked here, since a caller
    may try many starts in one text.
    """
    try:
        value, end = _decoder().raw_decode(text, start)
    except RecursionError:
        raise UnsafeJSON("nested too deep to decode") from None
    except (json.JSONDecodeError, UnsafeJSON):
        raise
    except ValueError as exc:
        raise UnsafeJSON(f"invalid JSON: {_first_clause(exc)}") from None
    _check_strings(value, limits, text[start:end])  # the value's own text: prose around it may hold quotes
    return value, end
