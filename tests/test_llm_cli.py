"""`bench eval openai:MODEL@URL` end to end against a local server of the tests' own:
metric rows, parse failures, the prediction cache, and one-line errors."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest

from conftest import REPO
from testkit.llm_fakes import Fault, FakeServer


@pytest.fixture()
def cache_dir(tmp_path):
    return tmp_path / "cache"


def bench(cache_dir, *args):
    """`bench` with its own cache; an eval sends whole windows (`--max-enum 0`): these tests
    count requests per window, and the schema limit has its own (tests/test_schema_limits.py)."""
    if args and args[0] == "eval" and "--max-enum" not in args:
        args = (*args, "--max-enum", "0")
    env = dict(os.environ, BENCH_CACHE_DIR=str(cache_dir))
    env.pop("BENCH_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


def rows(path, metric, task=None):
    record = json.loads(path.read_text())
    return [r for r in record["metrics"] if r["metric"] == metric and (task is None or r["task"] == task)]


def test_eval_writes_real_rows_and_a_second_run_is_served_from_the_cache(tmp_path, cache_dir):
    with FakeServer() as server:
        spec = f"openai:fake@{server.url}"
        first = bench(cache_dir, "eval", spec, "--out", str(tmp_path / "a.json"))
        assert first.returncode == 0, first.stderr
        assert len(server.requests) == 6  # 2 documents x 3 tasks
        second = bench(cache_dir, "eval", spec, "--out", str(tmp_path / "b.json"))
        assert second.returncode == 0, second.stderr
        assert len(server.requests) == 6  # nothing new: all from the cache
        a, b = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "ab")
        assert a["metrics"] == b["metrics"]
        assert b["system"]["cache_hits"] == 6 and b["system"]["requests"] == 6 and a["system"]["cache_hits"] == 0
        for task in ("ner", "casualties", "attribution"):
            assert a["system"]["prompts"][task]["version"] == "1.3.0" and len(a["system"]["prompts"][task]["sha256"]) == 64
        assert a["system"]["model"] == f"fake@{server.url}" and a["system"]["decoding"]["temperature"] == 0.0
        failures = rows(tmp_path / "a.json", "parse_failures")
        assert {(r["task"], r["value"], r["support"]) for r in failures} == {("ner", 0, 2), ("casualties", 0, 2), ("attribution", 0, 2)}
        ner = [r for r in rows(tmp_path / "a.json", "strict_f1", "ner") if r.get("label") is None and r["view"] == "gold"][0]
        assert ner["predicted"] >= 2 and ner["tp"] >= 1  # "Syria" is a gold GPE mention

        # A decoding parameter or a prompt template changes the key: misses.
        assert bench(cache_dir, "eval", spec, "--temperature", "0.5", "--task", "ner").returncode == 0
        assert len(server.requests) == 8
        prompts = tmp_path / "prompts"
        prompts.mkdir()
        for task in ("ner", "casualties", "attribution"):
            shutil.copy(REPO / "bench" / "tasks" / task / "prompts" / "1.3.0.txt", prompts / f"{task}.txt")
        (prompts / "ner.txt").write_text((prompts / "ner.txt").read_text() + "\nBe careful.\n")
        custom = bench(cache_dir, "eval", spec, "--prompts", str(prompts), "--out", str(tmp_path / "c.json"))
        assert custom.returncode == 0, custom.stderr
        assert len(server.requests) == 10  # only the two NER prompts changed
        c = json.loads((tmp_path / "c.json").read_text())
        assert c["system"]["prompts"]["ner"]["version"] == "custom" and c["system"]["prompts"]["ner"]["sha256"] != a["system"]["prompts"]["ner"]["sha256"]
        assert c["system"]["prompts"]["casualties"] == a["system"]["prompts"]["casualties"]

        # --no-cache asks again; `bench cache clear` empties the cache.
        assert bench(cache_dir, "eval", spec, "--no-cache", "--task", "ner").returncode == 0
        assert len(server.requests) == 12
        info = bench(cache_dir, "cache", "info")
        assert str(cache_dir) in info.stdout and "10 entries" in info.stdout
        cleared = bench(cache_dir, "cache", "clear")
        assert cleared.returncode == 0 and "10" in cleared.stdout
        assert bench(cache_dir, "eval", spec, "--task", "ner").returncode == 0
        assert len(server.requests) == 14


def test_bad_answers_are_counted_as_parse_failures_and_survive_rescoring(tmp_path, cache_dir):
    with FakeServer() as server:
        server.faults = [
            Fault(content='{"entities": [{"text": "Syria", "label": GPE}]}'),  # malformed JSON
            Fault(content='{"entities": [{"text": "Syria", "label": "GPE"}, {"te', finish_reason="length"),  # truncated
        ]
        result = bench(cache_dir, "eval", f"openai:fake@{server.url}", "--task", "ner", "--concurrency", "1", "--out", str(tmp_path / "r.json"), "--save-predictions", str(tmp_path / "p.jsonl"))
    assert result.returncode == 0, result.stderr
    by_label = {r.get("label"): r["value"] for r in rows(tmp_path / "r.json", "parse_failures", "ner")}
    assert by_label == {None: 2, "invalid_json": 1, "truncated": 1}
    record = json.loads((tmp_path / "r.json").read_text())
    assert sorted(e["failure"] for e in record["errors"]["ner"] if e.get("kind") == "parse_failure") == ["invalid_json", "truncated"]
    ner = [r for r in record["metrics"] if r["task"] == "ner" and r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert ner["predicted"] == 0  # both documents' answers failed: no predictions, and the row says why
    rescored = bench(cache_dir, "score", str(tmp_path / "p.jsonl"), "--out", str(tmp_path / "s.json"))
    assert rescored.returncode == 0, rescored.stderr
    assert rows(tmp_path / "s.json", "parse_failures") == rows(tmp_path / "r.json", "parse_failures")


def test_an_answer_that_breaks_the_schema_is_a_schema_failure(tmp_path, cache_dir):
    with FakeServer() as server:
        server.faults = [Fault(content='{"figures": [{"quantity": "Dozens", "outcome": "dead"}]}')]
        result = bench(cache_dir, "eval", f"openai:fake@{server.url}", "--task", "casualties", "--concurrency", "1", "--out", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    by_label = {r.get("label"): r["value"] for r in rows(tmp_path / "r.json", "parse_failures", "casualties")}
    assert by_label == {None: 1, "schema": 1}


def test_an_unreachable_endpoint_is_one_line_and_exit_2(cache_dir):
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
        result = bench(cache_dir, "eval", f"openai:m@http://127.0.0.1:{port}/v1")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "cannot reach" in result.stderr and "Traceback" not in result.stderr


def test_persistent_server_errors_are_one_line_and_exit_2(cache_dir):
    with FakeServer() as server:
        server.faults = [Fault(status=500)] * 10
        result = bench(cache_dir, "eval", f"openai:m@{server.url}", "--task", "ner", "--max-retries", "1", "--concurrency", "1")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "HTTP 500" in result.stderr, result.stderr


@pytest.mark.parametrize("spec", ["openai:no-url", "openai:m@ftp://x", "openai:@http://x/v1"])
def test_a_malformed_openai_spec_is_explained(spec, cache_dir):
    result = bench(cache_dir, "eval", spec)
    assert result.returncode == 2 and "openai:MODEL@URL" in result.stderr


def _strict_utf8_json(path):
    return json.loads(path.read_bytes().decode("utf-8", errors="strict"))


@pytest.mark.parametrize(
    "answer,kind",
    [
        ("[" * 100_000, "invalid_json"),
        ('{"entities": ' + "[" * 100_000 + "]" * 100_000 + "}", "invalid_json"),
        ('{"entities": [{"text": "Syria\ud800", "label": "GPE"}]}', "invalid_json"),  # sent as the escape \ud800
        ('{"entities": [{"text": "Syria", "label": "GPE"}]} \udfff', None),  # prose after the object is skipped
        ("x" * 1_200_000, "too_large"),
    ],
    ids=["deep_arrays", "deep_in_object", "lone_surrogate", "surrogate_in_prose", "several_megabytes"],
)
def test_hostile_answers_are_counted_and_a_rerun_from_the_cache_gives_the_same(tmp_path, cache_dir, answer, kind):
    with FakeServer() as server:
        server.faults = [Fault(content=answer)]
        spec = f"openai:fake@{server.url}"
        args = ("--task", "ner", "--concurrency", "1", "--prompt-version", "1.2.0")  # answers in the flat 1.2.0 form
        first = bench(cache_dir, "eval", spec, *args, "--out", str(tmp_path / "a.json"), "--save-predictions", str(tmp_path / "a.jsonl"))
        assert first.returncode == 0, first.stderr[-3000:]
        second = bench(cache_dir, "eval", spec, *args, "--out", str(tmp_path / "b.json"))
        assert second.returncode == 0, second.stderr[-3000:]
        assert len(server.requests) == 2  # the rerun asked nothing: both answers came from the cache
    a, b = _strict_utf8_json(tmp_path / "a.json"), _strict_utf8_json(tmp_path / "b.json")
    assert b["system"]["cache_hits"] == 2 and a["metrics"] == b["metrics"]
    by_label = {r.get("label"): r["value"] for r in a["metrics"] if r["metric"] == "parse_failures"}
    assert by_label == ({None: 1, kind: 1} if kind else {None: 0})
    messages = [e["message"] for e in a["errors"]["ner"] if e.get("kind") == "parse_failure"]
    assert all("\n" not in m for m in messages)
    (tmp_path / "a.jsonl").read_bytes().decode("utf-8", errors="strict")
    rescored = bench(cache_dir, "score", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "s.json"))
    assert rescored.returncode == 0, rescored.stderr
    assert [r for r in _strict_utf8_json(tmp_path / "s.json")["metrics"] if r["metric"] == "parse_failures"] == [
        r for r in a["metrics"] if r["metric"] == "parse_failures"
    ]


def test_bench_cache_list_and_remove_by_system_task_and_document(tmp_path, cache_dir):
    with FakeServer() as server:
        spec = f"openai:fake@{server.url}"
        assert bench(cache_dir, "eval", spec).returncode == 0
        assert bench(cache_dir, "eval", f"openai:other@{server.url}", "--task", "ner").returncode == 0
    listed = bench(cache_dir, "cache", "list")
    assert listed.returncode == 0 and len(listed.stdout.splitlines()) == 8 and "8 cached answers" in listed.stderr
    only = bench(cache_dir, "cache", "list", "--system", spec, "--task", "casualties").stdout.splitlines()
    assert len(only) == 2 and all(line.split("\t")[:2] == [spec, "casualties"] for line in only)
    assert {line.split("\t")[2] for line in only} == {"000_5cf36fedf2077db3", "003_a061056322098f3b"}
    removed = bench(cache_dir, "cache", "remove", "--document", "000_5cf36fedf2077db3", "--task", "ner")
    assert removed.returncode == 0 and "removed 2 cached answers" in removed.stdout
    assert "removed 5 cached answers" in bench(cache_dir, "cache", "remove", "--system", spec).stdout  # 6 less its NER answer for 000
    assert len(bench(cache_dir, "cache", "list").stdout.splitlines()) == 1
    nothing = bench(cache_dir, "cache", "remove")
    assert nothing.returncode == 2 and "bench cache clear" in nothing.stderr and nothing.stderr.count("\n") == 1
    typo = bench(cache_dir, "cache", "list", "--document", "000_5cf36fedf2077db")
    assert typo.returncode == 2 and "did you mean '000_5cf36fedf2077db3'" in typo.stderr


def test_a_corrupt_cache_file_is_a_miss_with_a_warning(tmp_path, cache_dir):
    with FakeServer() as server:
        spec = f"openai:fake@{server.url}"
        assert bench(cache_dir, "eval", spec, "--task", "ner").returncode == 0
        files = sorted(cache_dir.glob("*/*.json"))
        assert len(files) == 2
        files[0].write_bytes(files[0].read_bytes()[:20])  # truncated
        files[1].write_text('{"key": {}, "text": ["not", "a", "string"]}')  # the wrong shape
        again = bench(cache_dir, "eval", spec, "--task", "ner", "--out", str(tmp_path / "r.json"))
        assert again.returncode == 0, again.stderr
        assert len(server.requests) == 4  # both asked again
        warnings = [line for line in again.stderr.splitlines() if line.startswith("bench: warning: ")]
        assert len(warnings) == 2 and all("damaged cache entry" in w and "asking the model again" in w for w in warnings)
        assert bench(cache_dir, "eval", spec, "--task", "ner").returncode == 0
        assert len(server.requests) == 4  # rewritten: served from the cache now
    (cache_dir / "ab").mkdir(exist_ok=True)
    (cache_dir / "ab" / ("ab" + "0" * 62 + ".json")).write_bytes(b"\xff")  # in the cache's own layout: an entry, damaged
    listed = bench(cache_dir, "cache", "list")
    assert listed.returncode == 0 and "damaged cache entry" in listed.stderr and len(listed.stdout.splitlines()) == 2
