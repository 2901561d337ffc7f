"""Turning a model's answer into a task's prediction items, generic over the task.

Where it sits: stage 3, the LLM adapter. What an answer looks like is the task's
(`bench.tasks.llm.AnswerFormat`, in the task's `llm.py`); this module reads one.
Parsing is forgiving about wrapping and strict about content:
1. code fences (```json ... ```) are stripped, and prose before or after the JSON
   object is skipped: the first `{` from which a whole JSON object decodes is used
   (never an object nested inside one that failed, so a truncated answer stays truncated);
2. the object must match the format's answer schema (bounded but unconstrained: the
   copy rule's `enum` is for the backend; a string outside it is the scorer's
   `ungrounded`);
   A window sent without its enum (over the schema limit) is copy-checked here instead:
   each list item its constrained schema would not have allowed is dropped and counted;
3. its records are converted to the predictions-file format and checked by the task
   exactly as `bench score` checks a file (a parent naming no relation, low > high ...).

An answer is used whole or not at all. When a step fails, the answer becomes a
`ParseFailure` of a `FailureKind` that is counted in the task's `parse_failures` row;
nothing is ever evaluated as code, and nothing in an answer can raise: an answer longer
than `MAX_ANSWER_CHARS` is `too_large`; JSON nested deeper than `bench.safejson`'s
limit, or holding a lone surrogate (`"\\ud800"`, which no UTF-8 file can hold), is
`invalid_json`. Strings that are not in the article are left to the
scorer, which reports them as `ungrounded`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from bench import safejson
from bench.documents.corpus import Document
from bench.errors import BenchError
from bench.systems.base import FailureKind, ParseFailure
from bench.tasks.base import Task
from bench.tasks.llm import AnswerFormat

MAX_ANSWER_CHARS = 1_000_000  # an answer longer than this is a TOO_LARGE failure (100 times any honest one)


_VALIDATORS: dict[tuple[int, int | None], tuple[Any, Any]] = {}


def _validator(fmt: AnswerFormat, max_items: int | None):
    """The validator of a format's unconstrained (bounded) schema, built once."""
    from jsonschema import Draft202012Validator

    found = _VALIDATORS.get((id(fmt), max_items))
    if found is None or found[0] is not fmt:
        found = _VALIDATORS[(id(fmt), max_items)] = (fmt, Draft202012Validator(fmt.schema(max_items)))
    return found[1]


_FENCE = re.compile(r"```[A-Za-z0-9_-]*\s*\n?(.*?)```", re.S)


def _unfence(text: str) -> str:
    match = _FENCE.search(text)
    if match:
        return match.group(1)
    stripped = text.lstrip()
    if stripped.startswith("```"):  # an opening fence that never closes (truncated)
        return stripped.split("\n", 1)[1] if "\n" in stripped else ""
    return text


def extract_json(text: str, truncated: bool = False) -> dict[str, Any] | ParseFailure:
    """The first JSON object in `text` (fences stripped, prose around it skipped).

    `truncated` says the backend stopped at its token limit; an object that does not
    close is then a TRUNCATED failure rather than INVALID_JSON.
    """
    if len(text) > MAX_ANSWER_CHARS:
        return ParseFailure(FailureKind.TOO_LARGE, f"the answer has more than {MAX_ANSWER_CHARS:,} characters; it is not read")
    body = _unfence(text)
    try:
        safejson.check_shape(body)
    except safejson.UnsafeJSON as exc:
        return ParseFailure(FailureKind.INVALID_JSON, f"{exc.problem} ({_preview(text)})")
    first_error: json.JSONDecodeError | None = None
    starts = [m.start() for m in re.finditer(r"\{", body)]
    if not starts:
        kind = FailureKind.TRUNCATED if truncated else FailureKind.NO_JSON
        return ParseFailure(kind, f"no JSON object in the answer ({_preview(text)})")
    skip_until = 0  # a `{` inside an object that failed to decode is not a fresh start
    for start in starts:
        if start < skip_until:
            continue
        try:
            value, _ = safejson.raw_decode(body, start)
        except json.JSONDecodeError as exc:
            first_error = first_error or exc
            skip_until = max(exc.pos, start + 1)
            continue
        except safejson.UnsafeJSON as exc:
            return ParseFailure(FailureKind.INVALID_JSON, exc.problem)
        if isinstance(value, dict):
            return value
    assert first_error is not None
    ran_out = first_error.pos >= len(body.rstrip()) or first_error.msg.startswith("Unterminated string")
    if truncated or ran_out:
        return ParseFailure(FailureKind.TRUNCATED, f"the answer ends before its JSON closes ({first_error.msg}, {len(text)} characters)")
    return ParseFailure(FailureKind.INVALID_JSON, f"{first_error.msg} at character {first_error.pos} ({_preview(text)})")


def _preview(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat[:width] + ("..." if len(flat) > width else ""))


@dataclass(frozen=True)
class Parsed:
    """A parsed answer: the task's prediction items, or the failure that stopped it."""

    items: tuple[Any, ...] = ()
    failure: ParseFailure | None = None
    dropped: int = 0  # items a copy check removed (`copy_check`)


def copy_check(value: dict[str, Any], constrained: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The answer with every list item that the constrained schema (its enums) would not
    have allowed removed, and how many: the parse-time copy check of a window whose schema
    was sent without its enum (bench.systems.llm.schema_limits). Generic over the format:
    each top-level list is checked item by item against the constrained list's `items`."""
    from jsonschema import Draft202012Validator

    out, dropped = dict(value), 0
    for key, prop in constrained.get("properties", {}).items():
        if isinstance(out.get(key), list) and isinstance(prop, dict) and isinstance(prop.get("items"), dict):
            valid = Draft202012Validator(prop["items"]).is_valid
            kept = [item for item in out[key] if valid(item)]
            dropped += len(out[key]) - len(kept)
            out[key] = kept
    return out, dropped


def parse_answer(task: Task, fmt: AnswerFormat, text: str, document: Document, where: str, truncated: bool = False, max_items: int | None = None,
                 check: dict[str, Any] | None = None) -> Parsed:
    """A model's raw answer -> the task's prediction items, or a counted failure
    (`fmt`: the answer format it was asked in; `max_items`: the bound its schema had;
    `check`: the constrained schema a copy-checked answer's items must follow)."""
    value = extract_json(text, truncated)
    if isinstance(value, ParseFailure):
        return Parsed(failure=value)
    errors = sorted(_validator(fmt, max_items).iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        path = "/".join(map(str, error.absolute_path)) or "(top level)"
        kind = FailureKind.TRUNCATED if truncated else FailureKind.SCHEMA
        return Parsed(failure=ParseFailure(kind, f"breaks the {task.name} answer schema at {path}: {error.message}"))
    dropped = 0
    if check is not None:
        value, dropped = copy_check(value, check)
    try:
        items = task.parse_predictions(fmt.records(value), document, where)
    except BenchError as exc:
        return Parsed(failure=ParseFailure(FailureKind.INVALID_RECORD, exc.message), dropped=dropped)
    return Parsed(items=tuple(items), dropped=dropped)
