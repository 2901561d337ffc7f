"""The three routes on a real model, offline: `bench eval openai:`, `inspect eval bench/ner`
and lm-eval's CLI on bench's exported task folder, all against the llama.cpp server of
tests/test_llm_real.py (SmolLM2-135M), on one article with the whole document in one
prompt. After `bench import`, each harness's predictions are the native ones line for
line, with the same NER strict F1 and a 0.0000 gap in `bench compare`, and the imported
rows sit on the leaderboard under the model's name with the harness and prompt identity.

llama-cpp-python's server is not invariant to the request before: it reuses the KV cache
of the prefix a prompt shares with the previous one and decodes only the rest, in other
batches than a cold prompt, and a greedy answer can change with them (here it does: the
same request gives an 87-token answer cold and a 222-token answer warm; llama_cpp/llama.py
`generate`, "prefix-match hit"). So the server first gets the very request the routes
send, with `max_tokens` 2 (one token is evaluated after the prompt, so the next identical
prompt replays its last token instead of reusing the cold logits), and every route then
meets it in the same state. One article and one window keep the added time short.
"""

from __future__ import annotations

import glob
import json
import time
from pathlib import Path

import pytest

from conftest import REPO, require_stack
from test_llm_real import bench, llama_server  # noqa: F401  (the fixture: llama.cpp's server with SmolLM2)

DOC = "003_a061056322098f3b"


def _timed(timings: dict, name: str, function, *args):
    start = time.monotonic()
    result = function(*args)
    timings[name] = round(time.monotonic() - start, 1)
    return result


def _ok(result):
    assert result.returncode == 0, (result.stdout[-2000:], result.stderr[-3000:])
    return result


@pytest.fixture(scope="module")
def routes(llama_server, tmp_path_factory):  # noqa: F811
    require_stack("inspect")
    require_stack("lmeval")
    import subprocess
    import sys

    from bench.documents import load_corpus
    from bench.integrations.bridge import plan, subtree
    from bench.systems.llm.client import ChatClient, Decoding

    tmp = tmp_path_factory.mktemp("routes")
    tree = subtree(load_corpus(), [DOC], tmp / "tree")
    timings: dict[str, float] = {}
    (asked,) = plan("ner", tree, "document", max_enum=0).asked
    client = ChatClient(llama_server, "smollm2")
    _timed(timings, "warm-up", client.complete, asked.messages, asked.schema, asked.request.schema_name, Decoding(max_tokens=2))
    client.close()

    spec = f"openai:smollm2@{llama_server}"
    _ok(_timed(timings, "native", bench, tmp, "eval", spec, "--task", "ner", "--window", "document", "--data", str(tree), "--no-cache",
               "--max-enum", "0",  # whole windows on every route (-T max_enum=0, metadata max_enum): one request per article
               "--out", str(tmp / "native.json"), "--save-predictions", str(tmp / "native.jsonl")))

    bin_dir = Path(sys.executable).parent
    inspect = [str(bin_dir / "inspect"), "eval", "bench/ner", "--model", "llama-cpp-python/smollm2", "--model-base-url", llama_server,
               "-T", f"data={tree}", "-T", "window=document", "-T", "max_enum=0", "--log-dir", str(tmp / "logs"), "--display", "none"]
    _ok(_timed(timings, "inspect", lambda: subprocess.run(inspect, capture_output=True, text=True, cwd=tmp, timeout=600)))
    (log,) = glob.glob(str(tmp / "logs" / "*.eval"))
    _ok(_timed(timings, "inspect import", bench, tmp, "import", "inspect", log, "--out", str(tmp / "inspect.json"), "--save-predictions", str(tmp / "inspect.jsonl")))

    _ok(bench(tmp, "export", "--format", "lm-eval", str(tmp / "tasks")))
    lm_eval = [str(bin_dir / "lm_eval"), "--include_path", str(tmp / "tasks"), "--tasks", "bench_ner", "--model", "local-chat-completions",
               "--model_args", f"base_url={llama_server}/chat/completions,model=smollm2", "--apply_chat_template", "--log_samples",
               "--output_path", str(tmp / "lmeval"), "--metadata", json.dumps({"data": str(tree), "window": "document", "max_enum": 0})]
    _ok(_timed(timings, "lm-eval", lambda: subprocess.run(lm_eval, capture_output=True, text=True, cwd=tmp, timeout=600)))
    (samples,) = glob.glob(str(tmp / "lmeval" / "smollm2" / "samples_bench_ner_*.jsonl"))
    _ok(_timed(timings, "lm-eval import", bench, tmp, "import", "lm-eval", samples, "--out", str(tmp / "lmeval.json"), "--save-predictions", str(tmp / "lmeval.jsonl")))
    print(f"\nroute timings (s): {timings}")
    return tmp, spec


def _lines(path: Path, spec: str, native: str) -> list[str]:
    """A predictions file's lines without the system each names (`system`: the route's own);
    a parse failure's message names the system that answered (`system 'inspect:...'`),
    so that name is read as the native one."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record.pop("system", None)
        out.append(json.dumps(record, ensure_ascii=False).replace(f"system {spec!r}", f"system {native!r}"))
    return out


def _strict(path: Path) -> float:
    record = json.loads(path.read_text())
    return next(r["value"] for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("view") == "gold" and "label" not in r)


@pytest.mark.parametrize("route, spec", [("inspect", "inspect:llama-cpp-python/smollm2"), ("lmeval", "lm-eval:local-chat-completions/smollm2")])
def test_each_harness_gives_the_native_predictions_and_score(routes, route, spec):
    tmp, native_spec = routes
    native = _lines(tmp / "native.jsonl", native_spec, native_spec)
    assert native and _lines(tmp / f"{route}.jsonl", spec, native_spec) == native
    assert _strict(tmp / f"{route}.json") == _strict(tmp / "native.json")
    compared = bench(tmp, "compare", str(tmp / "native.json"), str(tmp / f"{route}.json"), "--json")
    assert compared.returncode == 0, compared.stderr
    headline = [d for d in json.loads(compared.stdout)["differences"] if d["task"] == "ner" and d["metric"] == "strict_f1" and d.get("view") == "gold"]
    assert headline and headline[0]["diff"] == 0.0 and headline[0]["p_value"] == 1.0


def test_imported_rows_are_on_the_leaderboard_with_model_harness_and_prompts(routes):
    tmp, _ = routes
    folder = tmp / "board"
    folder.mkdir()
    for name in ("native", "inspect", "lmeval"):
        (folder / f"{name}.json").write_bytes((tmp / f"{name}.json").read_bytes())
    (folder / "notes.json").write_text('{"what": "a sidecar"}')
    result = bench(tmp, "leaderboard", "--results", str(folder), "--out", str(tmp / "board.md"))
    assert result.returncode == 0, result.stderr
    assert "skipped" in result.stderr and "notes.json" in result.stderr
    rows = [line for line in (tmp / "board.md").read_text().splitlines() if line.startswith("| [")]
    # the version cell is rendered inert (`inspect\_ai` shows as inspect_ai)
    assert any(row.startswith("| [llama-cpp-python/smollm2](board/inspect.json) | inspect\\_ai 0.3.285; prompts 1.3.0, document windows |") for row in rows), rows
    assert any(row.startswith("| [smollm2](board/lmeval.json) | lm-eval 0.4.13; prompts 1.3.0, document windows |") for row in rows), rows
    system = json.loads((tmp / "inspect.json").read_text())["system"]
    assert system["harness"]["name"] == "inspect_ai" and system["response_format"] == "json_object" and len(system["log"]["sha256"]) == 64
