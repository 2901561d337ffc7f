"""The harness bridge (bench/integrations/bridge.py) is LLMSystem, offline: the same
requests (messages, schema, schema name) in the same order, and the same predictions
file for the same answers, with every kind of parse failure and duplicates; its reads
of a log are checked against this bench (prompt, article, window). No harness needed."""

from __future__ import annotations

import json
import random

import pytest

from testkit.harness import Recorder, fake_answer  # noqa: F401  (fake_answer: the answers' shape)


@pytest.mark.parametrize("task", ["ner", "casualties", "attribution"])
@pytest.mark.parametrize("window", ["paragraph", "sentence", "document"])
def test_bridge_equals_llm_system(task, window, corpus, tmp_path):
    from bench.harness.predictions import write_predictions
    from bench.integrations.bridge import collect, plan
    from bench.systems.llm.schema_limits import OPENAI
    from bench.systems.llm.settings import LLMOptions
    from bench.systems.llm.system import LLMSystem
    from bench.tasks import get_task

    backend = Recorder(seed=7)
    spec = "openai:fake@http://x/v1"
    # OpenAI's schema limit, as openai: applies it and the bridge by default: document windows are split, long sentences copy-checked
    system = LLMSystem(spec, "fake", "1.3.0", backend, [get_task(task)], LLMOptions(use_cache=False, window=window, concurrency=1), default_limit=OPENAI)
    write_predictions(tmp_path / "native.jsonl", system.predict(list(corpus.values())), {})

    asked = plan(task, window=window).asked
    assert [(a.messages, a.schema, a.request.schema_name) for a in asked] == [(m, s, n) for m, s, n, _, _ in backend.calls]
    answers = [(a.request, text, finish == "length") for a, (_, _, _, text, finish) in zip(asked, backend.calls)]
    random.Random(1).shuffle(answers)  # the order answers arrive in does not matter
    collected = collect(answers, spec)
    write_predictions(tmp_path / "bridge.jsonl", collected.predictions, {})
    assert (tmp_path / "bridge.jsonl").read_bytes() == (tmp_path / "native.jsonl").read_bytes()
    assert collected.duplicates_removed == system.duplicates_removed[task] and collected.windows == len(asked)


def test_a_request_round_trips_through_json_and_a_bad_one_is_one_line():
    from bench.errors import BenchError
    from bench.integrations.bridge import WindowRequest, plan

    request = plan("ner").asked[0].request
    assert WindowRequest.from_json(json.loads(json.dumps(request.to_json())), "x") == request
    assert request.id == "000_5cf36fedf2077db3-p000"
    for broken in ({**request.to_json(), "index": "0"}, {k: v for k, v in request.to_json().items() if k != "prompt_sha256"}, [1]):
        with pytest.raises(BenchError, match="^log:3: "):
            WindowRequest.from_json(broken, "log:3")


def _answers(asked):
    """An empty answer of the right shape for every request."""
    return [(a.request, json.dumps({k: [] for k in a.schema["properties"]}), False) for a in asked]


def test_collect_refuses_answers_this_bench_did_not_ask(tmp_path):
    from dataclasses import replace

    from bench.errors import BenchError
    from bench.integrations.bridge import collect, plan

    asked = plan("ner").asked
    answers = _answers(asked)
    cases = {
        "windows have no answer": answers[1:],
        "answered twice": answers + answers[:1],
        "prompts 1.3.0 of sha256 000000000000": [(replace(r, prompt_sha256="0" * 64), t, x) for r, t, x in answers],
        "text of sha256 ffffffffffff": [(replace(r, document_sha256="f" * 64), t, x) for r, t, x in answers],
        "with at most": [(replace(r, max_items=(r.max_items or 0) + 1), t, x) for r, t, x in answers],
        "mix tasks": answers + [(replace(answers[0][0], task="casualties"), "{}", False)],
        "is not here": [(replace(r, data=str(tmp_path / "gone")), t, x) for r, t, x in answers],
        "no answers": [],
    }
    for message, given in cases.items():
        with pytest.raises(BenchError, match=message):
            collect(given, "inspect:m")
    partial = collect(answers[1:], "inspect:m", complete=False)
    assert partial.incomplete == ("000_5cf36fedf2077db3",) and [p.doc_id for p in partial.predictions] == ["003_a061056322098f3b"]


def test_plan_chooses_documents_and_a_part_of_the_tree_is_scored_alone(corpus):
    from bench.errors import BenchError
    from bench.integrations.bridge import collect, headline, plan, score

    second = list(corpus)[1]
    assert {a.request.doc_id for a in plan("ner", docs=second).asked} == {second}
    assert {a.request.doc_id for a in plan("ner", docs=[second]).asked} == {second}
    assert {a.request.doc_id for a in plan("ner", limit=1).asked} == {list(corpus)[0]}
    for bad, message in ((dict(docs="nope"), "unknown document 'nope'"), (dict(limit="x"), "number of documents"), (dict(limit=0), "at least 1"), (dict(window="page"), "unknown window"),
                         (dict(max_enum="x"), "number of enum values"), (dict(max_enum=-1), "at least 0")):
        with pytest.raises(BenchError, match=message):
            plan("ner", **bad)
    record = score(collect(_answers(plan("ner", docs=second).asked), "inspect:m"))
    assert list(record.documents) == [second]
    found = headline(record, "ner")
    assert (found.metric, found.view, found.value, found.parse_failures, found.documents) == ("strict_f1", "gold", 0.0, 0, 1)
    assert found.low is not None and found.answers == len(plan("ner", docs=second).asked)


def test_a_window_alone_keeps_its_own_errors_and_counts(corpus):
    from bench.integrations.bridge import plan
    from bench.integrations.perwindow import window_report

    asked = plan("ner", window="paragraph").asked
    target = next(a for a in asked if "people" in a.schema["properties"] and a.schema["properties"]["people"]["items"].get("enum"))
    name = target.schema["properties"]["people"]["items"]["enum"][0]
    empty = {k: [] for k in target.schema["properties"]}
    report = window_report(target.request, json.dumps({**empty, "people": [name]}), False, "inspect:m")
    assert len(report.items) == 1 and report.items[0]["text"] == name and not report.failures
    assert sum(report.counts.values()) > 0 and all(e["doc_id"] == target.request.doc_id for e in report.errors)
    broken = window_report(target.request, "no json here", False, "inspect:m")
    assert broken.failures[0]["kind"] == "no_json" and broken.error_kinds.get("parse_failure") == 1
    assert broken.counts["tp"] == 0 and broken.counts["fn"] == report.counts["tp"] + report.counts["fn"]


def test_an_import_records_no_credential_of_the_model_arguments():
    from bench.integrations.importing import _public, _url

    assert _public("base_url=http://user:pw@host/v1,model=m,api_key=sk-1") == {"model": "m"}  # lm-eval's key=value form
    assert _public({"base_url": "http://host/v1", "token": "t", "Authorization": "Bearer x", "seed": 1}) == {"base_url": "http://host/v1", "seed": 1}
    assert _url("http://user:pw@host/v1") == "(a URL with credentials, not recorded)" and _url("http://host/v1") == "http://host/v1"


def test_the_bridge_plans_parts_and_reads_them_back_and_a_log_from_before_is_whole(corpus):
    from bench.integrations.bridge import WindowRequest, plan

    asked = plan("ner", window="document").asked
    parts = [a.request for a in asked]
    assert all(r.treatment == "split" and r.part is not None and r.max_enum == 1000 for r in parts)
    assert len({r.id for r in parts}) == len(parts) and ".0" in parts[0].id
    whole = plan("ner", window="document", max_enum=0).asked
    assert len(whole) == len(corpus) and all(a.request.part is None and a.request.max_enum == 0 for a in whole)
    old = {k: v for k, v in whole[0].request.to_json().items() if k not in ("part", "treatment", "max_enum")}
    read = WindowRequest.from_json(old, "log")
    assert read.part is None and read.treatment == "whole" and read.max_enum == 0  # planned with no limit, read back the same
