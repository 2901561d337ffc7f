"""Inspect AI, offline and fast: `bench/ner` found through the entry point, one sample per
window, the task metric is bench's corpus-level score, the log imports to the same
predictions the bridge makes, the solver falls back like bench's client, and importing
the entry-point module loads nothing heavy.

Inspect's `mockllm` counts tokens with tiktoken's o200k_base unless an output carries its
usage (model/_providers/mockllm.py -> model/_tokens.py), and tiktoken downloads that file,
so every mock output here sets its usage.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import REPO, require_stack, run_bench
from testkit.llm_fakes import FakeServer

DOC = "003_a061056322098f3b"


@pytest.fixture(scope="module")
def inspect_ai():
    require_stack("inspect")
    import inspect_ai

    return inspect_ai


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    """A benchmark tree of one article (14 paragraph windows)."""
    from bench.documents import load_corpus
    from bench.integrations.bridge import subtree

    return subtree(load_corpus(), [DOC], tmp_path_factory.mktemp("tree") / "one")


def _texts(asked):
    """An answer per window: the first allowed person where there is one, and a parse failure every fifth window."""
    out = []
    for i, a in enumerate(asked):
        props = a.schema["properties"]
        answer = {k: (v["items"]["enum"][:1] if k == "people" and "enum" in v.get("items", {}) else []) for k, v in props.items()}
        out.append(json.dumps(answer) if i % 5 else "no json here")
    return out


def test_mockllm_run_scores_like_bench_and_imports_to_the_same_predictions(inspect_ai, tree, tmp_path):
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import ModelOutput, ModelUsage, get_model

    from bench.harness.predictions import write_predictions
    from bench.integrations.bridge import collect, headline, plan, score
    from bench.integrations.importing import read_inspect, to_record

    asked = plan("ner", tree).asked
    texts = _texts(asked)
    outputs = []
    for text in texts:
        output = ModelOutput.from_content("mockllm/model", text)
        output.usage = ModelUsage(input_tokens=1, output_tokens=1, total_tokens=2)
        outputs.append(output)
    model = get_model("mockllm/model", custom_outputs=outputs)
    # one sample at a time: mockllm hands out its outputs in call order
    (log,) = inspect_eval("bench/ner", model=model, task_args={"data": str(tree), "response_format": "json_object"}, log_dir=str(tmp_path / "logs"),
                          display="none", max_connections=1, max_samples=1)
    assert log.status == "success", log.error
    assert log.eval.task == "bench/ner" and [s.id for s in log.samples] == [a.request.id for a in asked]
    expected = collect([(a.request, t, False) for a, t in zip(asked, texts)], "inspect:mockllm/model")
    found = headline(score(expected), "ner")
    metrics = log.results.scores[0].metrics
    assert metrics["strict_f1"].value == found.value and metrics["ci_low"].value == found.low and metrics["ci_high"].value == found.high
    assert metrics["parse_failures"].value == found.parse_failures == 3 and metrics["documents"].value == 1
    sample = log.samples[1].scores["bench_scorer"]
    assert set(sample.metadata) >= {"items", "failures", "errors", "error_kinds"} and "items" in sample.explanation
    assert log.samples[0].scores["bench_scorer"].metadata["failures"][0]["kind"] == "no_json"

    imported = read_inspect(log.location)
    write_predictions(tmp_path / "imported.jsonl", imported.collected.predictions, {})
    write_predictions(tmp_path / "expected.jsonl", expected.predictions, {})
    assert (tmp_path / "imported.jsonl").read_bytes() == (tmp_path / "expected.jsonl").read_bytes()
    record = to_record(imported)
    system = record.system.to_json()
    assert system["name"] == "mockllm/model" and system["version"] == f"inspect_ai {inspect_ai.__version__}" and system["spec"] == "inspect:mockllm/model"
    assert system["prompts"]["ner"]["version"] == "1.3.0" and system["window"] == "paragraph" and system["windows"] == {"ner": len(asked)}
    assert system["harness"]["name"] == "inspect_ai" and system["harness"]["task"] == "bench/ner" and len(system["log"]["sha256"]) == 64
    assert system["decoding"]["max_tokens"] == 1024 and system["decoding"]["temperature"] == 0.0 and system["response_format"] == "json_object"

    # the CLI: --out and --save-predictions, refused twice, then the row is a results record
    out, saved = tmp_path / "row.json", tmp_path / "row.predictions.jsonl"
    result = run_bench("import", "inspect", log.location, "--out", str(out), "--save-predictions", str(saved), "--data", str(tree))
    assert result.returncode == 0, result.stderr
    assert saved.read_bytes() == (tmp_path / "expected.jsonl").read_bytes()
    again = run_bench("import", "inspect", log.location, "--out", str(out))
    assert again.returncode == 2 and "exists; pass --force" in again.stderr
    same = run_bench("import", "inspect", log.location, "--out", str(out), "--save-predictions", str(out), "--force")
    assert same.returncode == 2 and "name the same file" in same.stderr
    rescored = run_bench("score", str(saved), "--data", str(tree), "--json")
    strict = [r for r in json.loads(rescored.stdout)["metrics"] if r["metric"] == "strict_f1" and r.get("view") == "gold" and "label" not in r]
    assert strict[0]["value"] == found.value


def test_a_log_that_is_not_a_bench_run_is_one_line(inspect_ai, tmp_path):
    (tmp_path / "x.eval").write_bytes(b"not a zip")
    result = run_bench("import", "inspect", str(tmp_path / "x.eval"))
    assert result.returncode == 2 and result.stderr.startswith("bench: error: ") and "not an Inspect log" in result.stderr and "Traceback" not in result.stderr
    assert "no such Inspect log" in run_bench("import", "inspect", str(tmp_path / "none.eval")).stderr


REFUSED = {"error": {"message": "Input should be 'text' or 'json_object': response_format.type"}}


@pytest.mark.parametrize("refuse, expected", [({"json_schema": 500}, "json_object"), ({"json_schema": 400, "json_object": 422}, "none"), ({}, "json_schema")])
def test_auto_falls_back_like_bench_s_client(inspect_ai, tree, tmp_path, refuse, expected):
    """llama-cpp-python's server answers 500 to json_schema; a 400 or 422 refuses too."""
    from inspect_ai import eval as inspect_eval
    from inspect_ai.model import get_model

    import bench.integrations.inspect_tasks as tasks

    tasks._WORKING_FORM.clear()
    with FakeServer() as server:
        server.refuse = refuse
        # llama-cpp-python/ takes no model args (no max_retries), so the OpenAI SDK retries a 500 twice itself
        model = get_model("llama-cpp-python/fake", base_url=server.url)
        (log,) = inspect_eval("bench/ner", model=model, task_args={"data": str(tree)}, log_dir=str(tmp_path), display="none")
        seen = [(body.get("response_format") or {}).get("type", "none") for body in server.requests]
    assert log.status == "success", log.error
    assert {s.metadata["response_format"] for s in log.samples} == {expected}
    refused = [form for form in seen if form != expected]
    assert refused == [form for form, status in refuse.items() for _ in range(3 if status >= 500 else 1)]  # one sample probes, the rest wait
    assert seen.count(expected) == len(log.samples)
    sent = [body["response_format"] for body in server.requests[len(refused):] if "response_format" in body]
    if expected == "json_object":
        assert all(set(f) == {"type", "schema"} and "maxItems" in json.dumps(f["schema"]) for f in sent)  # bench's schema, bounds kept


def test_entry_point_module_loads_nothing_heavy_and_names_tasks_bench_slash():
    require_stack("inspect")
    code = ("import sys, bench.integrations.inspect_tasks as m\n"
            "from inspect_ai._util.registry import registry_info\n"
            "print(sorted(x for x in ('numpy', 'scipy', 'jsonschema', 'sklearn', 'torch', 'bench.harness', 'bench.results', 'bench.integrations.bridge', 'bench.systems.llm.client') if x in sys.modules))\n"
            "print(sorted(registry_info(getattr(m, t)).name for t in ('ner', 'casualties', 'attribution')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=REPO).stdout.splitlines()
    assert out == ["[]", "['bench/attribution', 'bench/casualties', 'bench/ner']"]


def test_bad_task_arguments_are_one_line(inspect_ai, tmp_path):
    from pathlib import Path

    result = subprocess.run([str(Path(sys.executable).parent / "inspect"), "eval", "bench/ner", "--model", "mockllm/model", "-T", "window=page",
                             "--log-dir", str(tmp_path)], capture_output=True, text=True, cwd=tmp_path, timeout=120)
    assert result.returncode != 0 and "bench: unknown window 'page'" in result.stdout + result.stderr
