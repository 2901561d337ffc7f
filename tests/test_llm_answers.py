"""Parsing LLM answers: wrapping is tolerated, content is checked, failures are typed."""

from __future__ import annotations

import json

import pytest

from bench.systems.base import FailureKind
from bench.systems.llm.answers import extract_json
from bench.systems.llm.answers import parse_answer as parse_in
from bench.tasks import all_tasks
from bench.tasks.attribution.task import AttributionTask
from bench.tasks.casualties.task import CasualtyTask
from bench.tasks.ner.task import NerTask

NER_ANSWER = {"entities": [{"text": "Syria", "label": "GPE"}]}


def parse_answer(task, text, doc, where, truncated=False, max_items=None, version="1.2.0"):
    """An answer in a version's format (1.2.0: one flat list per task)."""
    return parse_in(task, task.llm.answer_format(version), text, doc, where, truncated, max_items)


@pytest.fixture(scope="module")
def doc(corpus):
    return next(iter(corpus.values()))


@pytest.mark.parametrize(
    "text",
    [
        json.dumps(NER_ANSWER),
        "```json\n" + json.dumps(NER_ANSWER) + "\n```",
        "Sure! Here are the entities:\n```\n" + json.dumps(NER_ANSWER, indent=2) + "\n```\nHope this helps.",
        "Here is the JSON you asked for: " + json.dumps(NER_ANSWER) + " -- done.",
        "{not json} then " + json.dumps(NER_ANSWER),
    ],
)
def test_fences_and_prose_around_the_object_are_tolerated(text, doc):
    parsed = parse_answer(NerTask(), text, doc, "t")
    assert parsed.failure is None
    assert [(m.label, m.text, m.start) for m in parsed.items] == [("GPE", "Syria", None)]


@pytest.mark.parametrize(
    "text, kind",
    [
        ("I could not find any entities.", FailureKind.NO_JSON),
        ('{"entities": [{"text": "Syria", "label": GPE}]}', FailureKind.INVALID_JSON),
        ('{"entities": [{"text": "Syria", "label": "GPE"}, {"text": "Lat', FailureKind.TRUNCATED),
        ('{"entities": [{"text": "Syria", "label": "CITY"}]}', FailureKind.SCHEMA),
        ('{"entities": [{"text": "Syria"}]}', FailureKind.SCHEMA),
        ('{"mentions": []}', FailureKind.SCHEMA),
        ("__import__('os').system('echo pwned')", FailureKind.NO_JSON),
    ],
)
def test_each_kind_of_bad_answer_is_a_typed_failure(text, kind, doc):
    parsed = parse_answer(NerTask(), text, doc, "t")
    assert parsed.items == ()
    assert parsed.failure is not None and parsed.failure.kind is kind, parsed.failure


def test_a_length_stop_makes_an_unclosed_answer_truncated(doc):
    text = '{"entities": [{"text": "Syria", "label": "GPE"}'
    assert extract_json(text, truncated=True).kind is FailureKind.TRUNCATED
    assert parse_answer(NerTask(), '{"entities": [{"text": "Syria"', doc, "t", truncated=True).failure.kind is FailureKind.TRUNCATED


def test_casualty_answers_become_figures_and_bad_records_fail_the_answer(doc):
    good = {"figures": [{"quantity": "Dozens", "kind": "vague", "low": 24, "high": 99, "outcome": "killed", "unit": "persons", "victims": "unknown"}]}
    parsed = parse_answer(CasualtyTask(), json.dumps(good), doc, "t")
    assert parsed.failure is None and len(parsed.items) == 1
    figure = parsed.items[0]
    assert (figure.quantity.bounds.low, figure.quantity.bounds.high, figure.outcome.value) == (24, 99, "killed")
    bad = {"figures": [dict(good["figures"][0], low=100, high=10)]}
    failure = parse_answer(CasualtyTask(), json.dumps(bad), doc, "t").failure
    assert failure.kind is FailureKind.INVALID_RECORD and "low" in failure.message


def test_attribution_answers_keep_nesting_and_a_dangling_parent_fails(doc):
    outer = {"id": "a1", "source": "officials", "source_type": "official", "cue": "said", "content": "x y z", "mode": "indirect", "parent": None}
    inner = dict(outer, id="a2", parent="a1")
    parsed = parse_answer(AttributionTask(), json.dumps({"attributions": [outer, inner]}), doc, "t")
    assert parsed.failure is None and [r.parent for r in parsed.items] == [None, "a1"]
    dangling = dict(inner, parent="a9")
    failure = parse_answer(AttributionTask(), json.dumps({"attributions": [outer, dangling]}), doc, "t").failure
    assert failure.kind is FailureKind.INVALID_RECORD and "a9" in failure.message


def test_answer_schemas_are_strict_objects():
    from jsonschema import Draft202012Validator

    for task in all_tasks():
        for version in task.llm.versions:
            schema = task.llm.answer_format(version).schema()
            Draft202012Validator.check_schema(schema)
            assert schema["additionalProperties"] is False and schema["required"] == list(schema["properties"])


@pytest.mark.parametrize("text", ["\n```j", "  \n```json", "\n\n```"])
def test_an_opening_fence_after_blank_lines_with_nothing_after_it(text, doc):
    """Found by benchmarks/fuzz.py: a newline before the fence but none after it was an IndexError."""
    parsed = parse_answer(NerTask(), text, doc, "test")
    assert parsed.failure is not None and parsed.failure.kind is FailureKind.NO_JSON and parsed.items == ()


def test_a_bounded_answer_caps_every_text_field():
    """maxItems bounds the records, maxLength each string: a small model cannot run one string on to the token limit."""
    for task in all_tasks():
        fmt = task.llm.answer_format("1.2.0")
        unbounded = fmt.schema()
        bounded = fmt.schema(7)
        key = next(iter(bounded["properties"]))
        assert bounded["properties"][key]["maxItems"] == 7 and "maxItems" not in unbounded["properties"][key]
        fields = bounded["properties"][key]["items"]["properties"]
        for name, limit in fmt.bounds.max_chars.items():
            options = fields[name].get("anyOf", [fields[name]])
            assert [o["maxLength"] for o in options if o.get("type") == "string"] == [limit], (task, name)
        strings = [n for n, f in unbounded["properties"][key]["items"]["properties"].items() if f.get("type") == "string" or any(o.get("type") == "string" for o in f.get("anyOf", []))]
        assert sorted(strings) == sorted(fmt.bounds.max_chars), task  # every text field has a cap
