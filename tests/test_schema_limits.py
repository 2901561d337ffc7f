"""Schema size is part of the LLM protocol (bench/systems/llm/schema_limits.py): a window
whose answer schema is over the enum limit is split (prompts 1.3.0) or copy-checked
(1.2.0), with one warning line each; the treatment is in the cache key only when it is
not `whole`, and the record says what was sent, the same on a cached re-run."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings, strategies as st

from bench.documents.windows import WindowStrategy
from bench.errors import BenchError
from bench.systems.llm.answers import copy_check, parse_answer
from bench.systems.llm.prompts import load_prompt
from bench.systems.llm.requests import merge, requests
from bench.systems.llm.schema_limits import OPENAI, EnumLimit, Treatment, _enums, limit_for
from bench.tasks import get_task
from testkit.harness import Recorder


def _values(schema) -> int:
    return sum(len(e) for e in _enums(schema))


@given(st.lists(st.lists(st.text(min_size=1, max_size=5), max_size=30), max_size=5), st.integers(1, 60))
@settings(max_examples=200, deadline=None)
def test_the_limit_counts_every_enum_of_the_schema(enums, cap):
    schema = {"type": "object", "properties": {f"k{i}": {"type": "array", "items": {"enum": e}} for i, e in enumerate(enums)}}
    over = EnumLimit(cap).problem(schema)
    assert (over is not None) == (sum(map(len, enums)) > cap)


def test_openai_caps_the_characters_of_a_large_enum_only():
    long = {"enum": ["x" * 60] * 251}  # 251 values of 60 characters: 15,060 characters
    assert "characters" in OPENAI.problem(long)
    assert OPENAI.problem({"enum": ["x" * 60] * 250}) is None  # 250 values: no character cap
    assert limit_for(None, OPENAI) is OPENAI and limit_for(0, OPENAI) is None and limit_for(5, None) == EnumLimit(5)
    assert limit_for(5, OPENAI) == EnumLimit(5, 15_000)


def test_prompts_1_3_0_split_a_document_window_into_parts_within_the_limit(corpus):
    task, document = get_task("ner"), next(iter(corpus.values()))
    prompt = load_prompt(task, None, "1.3.0")
    whole = requests(task, prompt, document, WindowStrategy.DOCUMENT)
    assert _values(whole[0].schema(prompt, document)) > 1000  # the case: a whole article offers more names
    warned: list[str] = []
    split = requests(task, prompt, document, WindowStrategy.DOCUMENT, OPENAI, warned.append)
    assert len(split) > 1 and all(r.treatment is Treatment.SPLIT for r in split)
    assert all(OPENAI.problem(r.schema(prompt, document)) is None for r in split)
    assert [r.window.part for r in split] == list(range(len(split))) and {r.window.index for r in split} == {0}
    assert [(r.window.start, r.window.end) for r in split] == sorted((r.window.start, r.window.end) for r in split)
    assert all(a.window.end <= b.window.start for a, b in zip(split, split[1:]))  # parts never overlap
    assert len(warned) == 1 and f"document {document.id}" in warned[0] and f"split into {len(split)} parts" in warned[0]
    # windows within the limit are untouched, and describe themselves as before (no `part`)
    para = requests(task, prompt, document, WindowStrategy.PARAGRAPH, OPENAI, warned.append)
    assert para == requests(task, prompt, document, WindowStrategy.PARAGRAPH) and "part" not in para[0].window.describe()


def test_prompts_1_2_0_send_the_schema_without_its_enum_and_check_the_answer(corpus):
    task, document = get_task("attribution"), next(iter(corpus.values()))
    prompt = load_prompt(task, None, "1.2.0")
    warned: list[str] = []
    asked = requests(task, prompt, document, WindowStrategy.SENTENCE, OPENAI, warned.append)
    checked = [r for r in asked if r.treatment is Treatment.COPY_CHECK]
    assert checked and len(warned) == len(checked) and all("sent without the enum" in w for w in warned)
    r = checked[0]
    assert _values(r.schema(prompt, document)) < _values(r.constrained_schema(prompt, document))
    assert OPENAI.problem(r.schema(prompt, document)) is None


def test_a_sentence_still_over_after_splitting_is_copy_checked(corpus):
    task, document = get_task("attribution"), next(iter(corpus.values()))
    prompt = load_prompt(task, None, "1.3.0")
    warned: list[str] = []
    asked = requests(task, prompt, document, WindowStrategy.PARAGRAPH, EnumLimit(50), warned.append)
    assert {r.treatment for r in asked} >= {Treatment.SPLIT, Treatment.COPY_CHECK}
    assert any("still over" in w for w in warned)


def test_a_version_without_a_rule_refuses_with_one_line(corpus, monkeypatch):
    from bench.tasks import llm as protocol

    monkeypatch.setattr(protocol, "OVER_LIMIT", {})
    task, document = get_task("ner"), next(iter(corpus.values()))
    with pytest.raises(BenchError) as err:
        requests(task, load_prompt(task, None, "1.3.0"), document, WindowStrategy.DOCUMENT, OPENAI)
    assert "refuses" in err.value.message and "\n" not in err.value.message and document.id in err.value.message


def test_the_copy_check_drops_exactly_the_items_outside_the_enum():
    constrained = {"type": "object", "properties": {"people": {"type": "array", "items": {"enum": ["Assad", "Sharaa"]}},
                                                     "figures": {"type": "array", "items": {"type": "object", "properties": {"quantity": {"enum": ["7"]}}}}}}
    value = {"people": ["Assad", "Putin", "Sharaa"], "figures": [{"quantity": "7"}, {"quantity": "70"}]}
    kept, dropped = copy_check(value, constrained)
    assert kept == {"people": ["Assad", "Sharaa"], "figures": [{"quantity": "7"}]} and dropped == 2
    assert value["people"] == ["Assad", "Putin", "Sharaa"]  # the answer itself is not changed


def test_a_copy_checked_answer_loses_only_phrases_the_window_does_not_offer(corpus):
    task, document = get_task("ner"), next(iter(corpus.values()))
    prompt = load_prompt(task, None, "1.2.0")
    (request,) = [r for r in requests(task, prompt, document, WindowStrategy.DOCUMENT, EnumLimit(10), lambda _: None)]
    assert request.treatment is Treatment.COPY_CHECK
    offered = request.constrained_schema(prompt, document)["properties"]["entities"]["items"]["properties"]["text"]["enum"]
    answer = json.dumps({"entities": [{"text": offered[0], "label": "GPE"}, {"text": "Not In The Article At All", "label": "PER"}]})
    merged = merge(task, prompt, document, WindowStrategy.DOCUMENT, [(request, answer, False)], "test")
    assert merged.copy_dropped == 1 and len(merged.items) == 1
    plain = parse_answer(task, prompt.format, answer, document, "test", False, request.max_items)
    assert len(plain.items) == 2  # without the check both are kept (the scorer would call one ungrounded)


def test_the_record_says_what_was_sent_the_same_on_a_cached_rerun(corpus, tmp_path):
    from bench.systems.llm.settings import LLMOptions
    from bench.systems.llm.system import LLMSystem

    docs = list(corpus.values())
    options = LLMOptions(cache_dir=tmp_path / "cache", window="document", concurrency=1, max_enum=1000, prompt_version="1.3.0")

    def run():
        backend = Recorder(seed=3)
        system = LLMSystem("openai:fake@http://x/v1", "fake", "1.3.0", backend, [get_task("ner")], options)
        predictions = system.predict(docs)
        return system, backend, predictions

    first, backend, predicted = run()
    again, backend_again, predicted_again = run()
    assert backend.calls and not backend_again.calls  # the second run came from the cache
    assert first.metadata["schema_treatment"] == {"ner": {"split": first.counters.requests}}
    assert first.metadata["schema_limit"] == {"max_enum": 1000}
    for key in ("response_format", "requests_by_response_format", "schema_treatment", "schema_limit", "windows", "copy_check_dropped"):
        assert again.metadata[key] == first.metadata[key], key
    assert predicted_again == predicted
    entries = [json.loads(p.read_text()) for p in (tmp_path / "cache").rglob("*.json")]
    assert entries and all(e["key"]["schema"] == {"treatment": "split", "max_enum": 1000} and e["key"]["window"]["part"] >= 0 for e in entries)


def test_whole_windows_keep_their_cache_keys(corpus, tmp_path):
    """A limit that no window reaches changes no key: caches from before stay valid."""
    from bench.systems.llm.settings import LLMOptions
    from bench.systems.llm.system import LLMSystem

    docs = list(corpus.values())
    keys = []
    for limit in (None, 100_000):
        options = LLMOptions(cache_dir=tmp_path / f"c{limit}", window="paragraph", concurrency=1, max_enum=limit)
        LLMSystem("openai:fake@http://x/v1", "fake", "1.3.0", Recorder(seed=1), [get_task("ner")], options).predict(docs)
        keys.append(sorted(p.name for p in (tmp_path / f"c{limit}").rglob("*.json")))
    assert keys[0] == keys[1] and keys[0]


def test_an_openai_run_splits_by_default_warns_and_records_it(tmp_path):
    import os
    import subprocess
    import sys

    from conftest import REPO
    from testkit.llm_fakes import FakeServer

    env = dict(os.environ, BENCH_CACHE_DIR=str(tmp_path / "cache"))
    env.pop("BENCH_API_KEY", None)
    with FakeServer() as server:
        result = subprocess.run([sys.executable, "-m", "bench", "eval", f"openai:fake@{server.url}", "--task", "ner", "--concurrency", "1",
                                 "--out", str(tmp_path / "r.json")], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)
    assert result.returncode == 0, result.stderr
    warnings = [line for line in result.stderr.splitlines() if line.startswith("bench: warning:") and "split into" in line]
    assert len(warnings) == 2  # one per article: each whole article's schema is over OpenAI's 1,000 values
    system = json.loads((tmp_path / "r.json").read_text())["system"]
    assert system["schema_limit"] == {"max_enum": 1000, "max_enum_chars": 15000, "enum_chars_over": 250}
    assert system["schema_treatment"]["ner"] == {"split": system["requests"]} and system["requests"] > 2
    assert system["response_format"] == "json_schema" and system["requests_by_response_format"] == {"json_schema": system["requests"]}
