"""lm-evaluation-harness, offline and fast: the task folder of `bench export --format
lm-eval` run by lm-eval's own CLI (without indexing its bundled tasks:
`python -m bench.integrations.lmeval`) against a fake endpoint that refuses json_schema
as llama.cpp's server does; lm-eval's metric is bench's corpus-level score, and the
samples import to the predictions the bridge makes of the same answers."""

from __future__ import annotations

import glob
import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, require_stack, run_bench
from testkit.llm_fakes import VALID, FakeServer

DOC = "003_a061056322098f3b"


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    from bench.documents import load_corpus
    from bench.integrations.bridge import subtree

    return subtree(load_corpus(), [DOC], tmp_path_factory.mktemp("tree") / "one")


def test_the_export_is_a_yaml_per_task_and_one_module(tmp_path):
    result = run_bench("export", "--format", "lm-eval", str(tmp_path / "tasks"))
    assert result.returncode == 0, result.stderr
    names = sorted(p.name for p in (tmp_path / "tasks").iterdir())
    assert names == ["bench_attribution.yaml", "bench_casualties.yaml", "bench_lmeval.py", "bench_ner.yaml", "manifest.json"]
    text = (tmp_path / "tasks" / "bench_ner.yaml").read_text()
    assert 'task: "bench_ner"' in text and "class: !function bench_lmeval.BenchTask" in text and "until: []" in text and 'bench_task: "ner"' in text
    assert "from bench.integrations.lmeval import BenchTask" in (tmp_path / "tasks" / "bench_lmeval.py").read_text()
    assert run_bench("export", "--format", "lm-eval", str(tmp_path / "tasks")).returncode == 2  # not empty: --force
    again = run_bench("export", "--format", "jsonl", str(tmp_path / "tasks"), "--force")
    assert again.returncode == 0 and not (tmp_path / "tasks" / "bench_lmeval.py").exists()  # an export replaces only its own files


def lm_eval_run(tasks: Path, url: str, out: Path, metadata: dict, *extra: str) -> subprocess.CompletedProcess:
    command = [sys.executable, "-m", "bench.integrations.lmeval", "--include_path", str(tasks), "--tasks", "bench_ner", "--model", "local-chat-completions",
               "--model_args", f"base_url={url}/chat/completions,model=fake", "--apply_chat_template", "--log_samples", "--output_path", str(out),
               "--metadata", json.dumps(metadata), *extra]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, cwd=REPO)


def test_lm_eval_runs_the_folder_and_the_samples_import_to_bench_s_predictions(tree, tmp_path):
    require_stack("lmeval")
    from bench.harness.predictions import write_predictions
    from bench.integrations.bridge import collect, headline, plan, score
    from bench.integrations.importing import read_lmeval, to_record

    assert run_bench("export", "--format", "lm-eval", str(tmp_path / "tasks")).returncode == 0
    with FakeServer() as server:
        server.refuse = {"json_schema": 500}
        result = lm_eval_run(tmp_path / "tasks", server.url, tmp_path / "out", {"data": str(tree)})
        seen = [(body.get("response_format") or {}).get("type", "none") for body in server.requests]
    assert result.returncode == 0, result.stderr[-3000:]
    asked = plan("ner", tree).asked
    # bench's client probes once (json_schema refused, json_object answers), then every window asks with json_object
    assert seen == ["json_schema", "json_object"] + ["json_object"] * len(asked)
    (samples,) = glob.glob(str(tmp_path / "out" / "fake" / "samples_bench_ner_*.jsonl"))
    (results,) = glob.glob(str(tmp_path / "out" / "fake" / "results_*.json"))
    text = json.dumps(VALID["ner_by_label"])
    expected = collect([(a.request, text, False) for a in asked], "lm-eval:local-chat-completions/fake")
    found = headline(score(expected), "ner")
    shown = json.loads(Path(results).read_text())["results"]["bench_ner"]
    assert shown["strict_f1,none"] == found.value and shown["ci_low,none"] == found.low and shown["parse_failures,none"] == 0

    imported = read_lmeval(Path(samples))
    write_predictions(tmp_path / "imported.jsonl", imported.collected.predictions, {})
    write_predictions(tmp_path / "expected.jsonl", expected.predictions, {})
    assert (tmp_path / "imported.jsonl").read_bytes() == (tmp_path / "expected.jsonl").read_bytes()
    system = to_record(imported).system.to_json()
    assert system["name"] == "fake" and system["version"] == "lm-eval 0.4.13" and system["spec"] == "lm-eval:local-chat-completions/fake"
    assert system["harness"]["task"] == "bench_ner" and system["response_format"] == "json_object" and system["windows"] == {"ner": len(asked)}
    assert system["decoding"] == {"until": [], "max_gen_toks": 1024, "temperature": 0.0, "top_p": 1.0, "seed": 0, "do_sample": False}
    assert system["model_args"] == {"base_url": f"{server.url}/chat/completions", "model": "fake"}

    out = tmp_path / "row.json"
    cli = run_bench("import", "lm-eval", samples, "--out", str(out), "--save-predictions", str(tmp_path / "row.jsonl"))
    assert cli.returncode == 0, cli.stderr
    assert (tmp_path / "row.jsonl").read_bytes() == (tmp_path / "expected.jsonl").read_bytes()
    lonely = tmp_path / "samples_bench_ner_x.jsonl"
    lonely.write_bytes(Path(samples).read_bytes())
    refused = run_bench("import", "lm-eval", str(lonely))
    assert refused.returncode == 2 and "results_x.json is not beside it" in refused.stderr


def test_lm_eval_options_are_checked_in_one_line(tmp_path):
    require_stack("lmeval")
    assert run_bench("export", "--format", "lm-eval", str(tmp_path / "tasks")).returncode == 0
    result = lm_eval_run(tmp_path / "tasks", "http://127.0.0.1:9/v1", tmp_path / "out", {"window": "page"})
    assert result.returncode != 0 and "bench: unknown window 'page'" in result.stderr and "Traceback" not in result.stderr
