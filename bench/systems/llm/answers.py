"""Each task's answer format (a JSON Schema), and turning a model's answer into prediction items.

Parsing is forgiving about wrapping and strict about content:
1. code fences (```json ... ```) are stripped, and prose before or after the JSON
   object is skipped: the first `{` from which a whole JSON object decodes is used
   (never an object nested inside one that failed, so a truncated answer stays truncated);
2. the object must match the task's answer schema (below; also sent to the backend
   for constrained output where it has one);
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
from functools import lru_cache
from typing import Any

from bench import safejson
from bench.documents.corpus import Document
from bench.errors import BenchError
from bench.systems.base import FailureKind, ParseFailure
from bench.tasks.base import Task, TaskName

MAX_ANSWER_CHARS = 1_000_000  # an answer longer than this is a TOO_LARGE failure (100 times any honest one)
_NER_LABELS = ["PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"]
_TEXT = {"type": "string", "minLength": 1}
_COUNT = {"type": "integer", "minimum": 0}


def _object(properties: dict[str, Any]) -> dict[str, Any]:
    return {"type": "object", "properties": properties, "required": list(properties), "additionalProperties": False}


def _answer(key: str, item: dict[str, Any]) -> dict[str, Any]:
    return _object({key: {"type": "array", "items": item}})


_SCHEMAS: dict[TaskName, dict[str, Any]] = {
    TaskName.NER: _answer("entities", _object({"text": _TEXT, "label": {"enum": _NER_LABELS}})),
    TaskName.CASUALTIES: _answer(
        "figures",
        _object(
            {
                "quantity": _TEXT,
                "kind": {"enum": ["exact", "lower_bound", "upper_bound", "range", "approx", "vague"]},
                "low": _COUNT,
                "high": {"anyOf": [_COUNT, {"type": "null"}]},
                "outcome": {"enum": ["killed", "injured", "killed_or_injured", "kidnapped", "arrested", "missing", "displaced"]},
                "unit": {"enum": ["persons", "incidents"]},
                "victims": {"enum": ["civilians", "state_forces", "armed_group", "mixed", "unknown"]},
            }
        ),
    ),
    TaskName.ATTRIBUTION: _answer(
        "attributions",
        _object(
            {
                "id": _TEXT,
                "source": _TEXT,
                "source_type": {
                    "enum": ["named_person", "named_org", "media", "state_media", "monitor", "official", "unnamed_individual", "unnamed_group", "document", "unspecified"]
                },
                "cue": _TEXT,
                "content": _TEXT,
                "mode": {"enum": ["direct", "indirect", "mixed"]},
                "parent": {"anyOf": [_TEXT, {"type": "null"}]},
            }
        ),
    ),
}


# In a bounded answer, the longest string each text field may hold (characters). A name,
# a number phrase, a source or a cue is a short phrase; a content is at most a few
# sentences. Without these caps a small model can run one string on to the token limit.
MAX_CHARS: dict[TaskName, dict[str, int]] = {
    TaskName.NER: {"text": 100},
    TaskName.CASUALTIES: {"quantity": 100},
    TaskName.ATTRIBUTION: {"id": 20, "source": 200, "cue": 100, "content": 1000, "parent": 20},
}


# Prompts 1.3.0 on: the NER answer lists names under one key per label, so that the
# model decides the label by the list it writes a name into, one label at a time (the
# per-type querying of UniversalNER, in one answer). Key -> label, in answer order.
BY_LABEL_KEYS: dict[str, str] = {
    "people": "PER",
    "organisations": "ORG",
    "countries_cities_and_towns": "GPE",
    "other_places": "LOC",
    "facilities": "FAC",
    "nationalities_religions_and_political_groups": "NORP",
    "named_events": "EVENT",
}


def _by_label_schema(max_items: int | None, names: list[str] | None) -> dict[str, Any]:
    item: dict[str, Any] = _capped(_TEXT, MAX_CHARS[TaskName.NER]["text"]) if max_items is not None else _TEXT
    bound: dict[str, Any] = {} if max_items is None else {"maxItems": 0 if names == [] else max_items}
    if names:
        item = {"enum": list(names)}
    return _object({key: {"type": "array", "items": item, **bound} for key in BY_LABEL_KEYS})


def answer_schema(task: TaskName, max_items: int | None = None, choices: dict[str, list[str]] | None = None, by_label: bool = False) -> dict[str, Any]:
    """The JSON Schema of a model's answer for `task` (one object per prompt); with
    `max_items`, a bounded answer: its list holds at most that many records, and each
    text field at most `MAX_CHARS` characters. With `choices` (field -> phrases; see
    `copying.py`), those fields may hold only one of their phrases; a field with no
    phrase leaves no record possible (`maxItems` 0). `by_label` (NER, prompts 1.3.0
    on): one list of names per label (`BY_LABEL_KEYS`), each bounded by `max_items`."""
    if by_label and task is TaskName.NER:
        return _by_label_schema(max_items, (choices or {}).get("text"))
    schema = _SCHEMAS[task]
    if max_items is None:
        return schema
    key = next(iter(schema["properties"]))
    items = schema["properties"][key]["items"]
    properties = {name: _capped(field, MAX_CHARS[task].get(name)) for name, field in items["properties"].items()}
    for name, phrases in (choices or {}).items():
        if not phrases:
            max_items = 0
        properties[name] = {"enum": list(phrases)} if phrases else _TEXT
    bounded = {**schema["properties"][key], "maxItems": max_items, "items": {**items, "properties": properties}}
    return {**schema, "properties": {key: bounded}}


def _capped(field: dict[str, Any], limit: int | None) -> dict[str, Any]:
    if limit is None:
        return field
    if field.get("type") == "string":
        return {**field, "maxLength": limit}
    if "anyOf" in field:
        return {**field, "anyOf": [_capped(option, limit) for option in field["anyOf"]]}
    return field


@lru_cache(maxsize=None)
def _validator(task: TaskName, max_items: int | None = None, by_label: bool = False):
    from jsonschema import Draft202012Validator

    return Draft202012Validator(answer_schema(task, max_items, by_label=by_label))


def _to_predictions(task: TaskName, answer: dict[str, Any], by_label: bool = False) -> list[dict[str, Any]]:
    """An answer object -> the task's records in the predictions-file format (text-only spans)."""
    if task is TaskName.NER and by_label:
        return [{"text": name, "label": label} for key, label in BY_LABEL_KEYS.items() for name in answer[key]]
    if task is TaskName.NER:
        return [{"text": e["text"], "label": e["label"]} for e in answer["entities"]]
    if task is TaskName.CASUALTIES:
        return [
            {
                "quantity": {"text": f["quantity"], "kind": f["kind"], "low": f["low"], "high": f["high"]},
                "outcome": f["outcome"],
                "unit": f["unit"],
                "victim": {"category": f["victims"]},
            }
            for f in answer["figures"]
        ]
    return [
        {
            "id": a["id"],
            "source": {"text": a["source"], "type": a["source_type"]},
            "cue": {"text": a["cue"]},
            "content": [{"text": a["content"]}],
            "mode": a["mode"],
            "parent": a["parent"],
        }
        for a in answer["attributions"]
    ]


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


def parse_answer(
    task: Task, text: str, document: Document, where: str, truncated: bool = False, max_items: int | None = None, by_label: bool = False
) -> Parsed:
    """A model's raw answer -> the task's prediction items, or a counted failure
    (`max_items`: the bound its answer schema had; `by_label`: a NER answer by label)."""
    value = extract_json(text, truncated)
    if isinstance(value, ParseFailure):
        return Parsed(failure=value)
    errors = sorted(_validator(task.name, max_items, by_label and task.name is TaskName.NER).iter_errors(value), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        error = errors[0]
        path = "/".join(map(str, error.absolute_path)) or "(top level)"
        kind = FailureKind.TRUNCATED if truncated else FailureKind.SCHEMA
        return Parsed(failure=ParseFailure(kind, f"breaks the {task.name.value} answer schema at {path}: {error.message}"))
    try:
        items = task.parse_predictions(_to_predictions(task.name, value, by_label), document, where)
    except BenchError as exc:
        return Parsed(failure=ParseFailure(FailureKind.INVALID_RECORD, exc.message))
    return Parsed(items=tuple(items))
