"""The in-process LLM path against llama.cpp's raw speed, for one task on one article.

Run: python -m benchmarks.llm [--task ner] [--article 0] [--prompts N] [--sweep]
Needs the `[llm]` extra (llama-cpp-python and the SmolLM2 wheel). It sends the task's
prompts for one article (its `smollm2` windows, prompts and decoding, the prediction
cache off) to three llama.cpp contexts of the same model, prompt by prompt and in a
rotating order, so that a busy machine slows all three alike:

- `before`: the backend as it was (the stock sampler chain, which applies the grammar
  to the whole vocabulary at every token; no kept prefix states);
- `after`: the backend as it is (the grammar asked about the greedy token first; the
  shared prompt prefix evaluated once and kept, in a fresh temporary folder);
- `raw`: llama.cpp's own decode (`llama_decode` through `Llama.eval`, no sampling,
  no grammar, no chat template) of exactly the tokens `after` evaluated, in the same
  calls: its prompt tokens at the same positions, then one call per generated token.

For `before` and `after` the time of each prompt is split into prefill (evaluating
prompt tokens), decode (evaluating generated tokens), sampling (the sampler, grammar
included) and the rest (chat template, tokenising, the grammar's compilation,
detokenising), with token counts. The ratio `after / raw` is the in-process path's
overhead over llama.cpp's raw throughput for the same tokens (the target is at most
1.3); `before / after` is the speed-up. It also checks that both backends gave the same
answer text, byte for byte, for every prompt, and times restoring the kept prefix state
against evaluating the prefix again (what a later run, or the next document's turn of
the task, saves).

`--sweep` times threads and batch sizes on the task's real prefix (prefill) and 64
generated tokens (decode), interleaved, and prints the medians: what chose the
backend's defaults.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Phases:
    prefill_tokens: int = 0
    prefill_s: float = 0.0
    decode_tokens: int = 0
    decode_s: float = 0.0
    sample_calls: int = 0
    sample_s: float = 0.0
    events: list[tuple[str, int, list[int]]] = field(default_factory=list)  # (kind, n_past, tokens)


def instrument(llama: Any) -> Phases:
    """Time `llama.eval` (prefill: more than one token; decode: one) and `llama.sample`."""
    phases = Phases()
    eval_, sample = llama.eval, llama.sample
    restore = getattr(llama, "_restore", None)

    def timed_eval(tokens: Any) -> None:
        tokens = list(tokens)
        n_past = llama.n_tokens
        t0 = time.perf_counter()
        eval_(tokens)
        dt = time.perf_counter() - t0
        phases.events.append(("eval", n_past, tokens))
        if len(tokens) > 1:
            phases.prefill_tokens += len(tokens)
            phases.prefill_s += dt
        else:
            phases.decode_tokens += len(tokens)
            phases.decode_s += dt

    def timed_sample(*args: Any, **kwargs: Any) -> int:
        t0 = time.perf_counter()
        token = sample(*args, **kwargs)
        phases.sample_s += time.perf_counter() - t0
        phases.sample_calls += 1
        return token

    def noted_restore(prefix: list[int], blob: bytes) -> bool:
        phases.events.append(("restore", 0, list(prefix)))
        return restore(prefix, blob)

    llama.eval, llama.sample = timed_eval, timed_sample
    if restore is not None:
        llama._restore = noted_restore
    return phases


def replay(raw: Any, events: list[tuple[str, int, list[int]]], phases: Phases) -> None:
    """Evaluate the same tokens at the same positions with llama.cpp alone (timed as `instrument` does)."""
    for kind, n_past, tokens in events:
        if kind == "restore":  # not timed: `after` did not evaluate these
            raw.n_tokens = 0
            raw.eval(tokens)
            continue
        raw.n_tokens = n_past
        t0 = time.perf_counter()
        raw.eval(tokens)
        dt = time.perf_counter() - t0
        if len(tokens) > 1:
            phases.prefill_tokens += len(tokens)
            phases.prefill_s += dt
        else:
            phases.decode_tokens += 1
            phases.decode_s += dt


def setup(task_name: str, article: int) -> tuple[Any, Any, Any, list[Any]]:
    from bench.documents import load_corpus
    from bench.systems.base import SystemContext
    from bench.systems.llm.requests import requests
    from bench.systems.llm.settings import LLMOptions
    from bench.systems.llm.specs import smollm2
    from bench.tasks.registry import get_task

    corpus = load_corpus()
    document = list(corpus.values())[article]
    task = get_task(task_name)
    system = smollm2(SystemContext(corpus.root, (task,), (LLMOptions(use_cache=False),)))
    prompt = system.prompts[task.name]
    system.backend.close()  # only its prompts, windows and decoding are used
    return system, document, prompt, requests(task, prompt, document, system.window)


def compare(args: argparse.Namespace) -> None:
    from llama_cpp import Llama

    from bench.systems.llm.local import LlamaCppBackend
    from bench.systems.llm.specs import smollm2_path

    system, document, prompt, reqs = setup(args.task, args.article)
    reqs = reqs[: args.prompts] if args.prompts else reqs
    decoding = system.options.decoding
    path = smollm2_path()
    states = Path(tempfile.mkdtemp(prefix="bench-llm-states-"))
    backends = {
        "before": LlamaCppBackend(path, threads=args.threads, batch=args.batch, lazy_grammar=False, prefix_states=False),
        "after": LlamaCppBackend(path, threads=args.threads, batch=args.batch, states_dir=states),
    }
    raw = Llama(model_path=str(path), n_ctx=8192, n_threads=args.threads or os.cpu_count(), n_batch=args.batch, verbose=False)
    phases = {name: instrument(b._llama) for name, b in backends.items()}
    raw_phases = Phases()
    wall = {name: 0.0 for name in (*backends, "raw")}
    same, resampled, loads = 0, 0, [os.getloadavg()[0]]
    print(f"{args.task}, article {document.id}: {len(reqs)} prompts ({system.window.value} windows), decoding {decoding.to_json()}", flush=True)
    for i, request in enumerate(reqs):
        messages, schema = request.messages(prompt, document), request.schema(prompt, document)
        names = ["before", "after", "raw"] if i % 2 == 0 else ["after", "raw", "before"]  # raw replays after's calls
        answers, done_events = {}, len(phases["after"].events)
        for name in names:
            t0 = time.perf_counter()
            if name == "raw":
                replay(raw, phases["after"].events[done_events:], raw_phases)
            else:
                answers[name] = backends[name].complete(messages, schema, f"{args.task}_answer", decoding)
                if name == "after":
                    resampled += getattr(backends["after"]._llama._sampler, "resampled", 0)
            wall[name] += time.perf_counter() - t0
        same += answers["before"] == answers["after"]
        loads.append(os.getloadavg()[0])
        print(f"  prompt {i + 1}/{len(reqs)}: before {wall['before']:.1f} s, after {wall['after']:.1f} s, raw {wall['raw']:.1f} s (cumulative); same answer: {answers['before'] == answers['after']}", flush=True)
    print()
    print(f"| path | wall s | prefill tok | prefill s | prefill tok/s | decode tok | decode s | decode tok/s | sampling s | ms/token sampled | rest s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, p in (*phases.items(), ("raw", raw_phases)):
        rest = wall[name] - p.prefill_s - p.decode_s - p.sample_s
        per = f"{1000 * p.sample_s / p.sample_calls:.2f}" if p.sample_calls else "-"
        print(
            f"| {name} | {wall[name]:.1f} | {p.prefill_tokens} | {p.prefill_s:.1f} | {p.prefill_tokens / max(p.prefill_s, 1e-9):.0f} | {p.decode_tokens} | {p.decode_s:.1f} | "
            f"{p.decode_tokens / max(p.decode_s, 1e-9):.1f} | {p.sample_s:.1f} | {per} | {rest:.1f} |"
        )
    print()
    print(f"after / raw (same tokens): {wall['after'] / wall['raw']:.2f}x (target <= 1.3x)")
    print(f"before / raw: {wall['before'] / wall['raw']:.2f}x; before / after: {wall['before'] / wall['after']:.2f}x")
    print(f"answers byte-identical, before vs after: {same}/{len(reqs)}; tokens the grammar refused (picked again): {resampled}")
    print(f"load average during the run: {min(loads):.2f}-{max(loads):.2f} (1 min)")
    prefix_timing(backends["after"], reqs, prompt, document)


def prefix_timing(backend: Any, reqs: list[Any], prompt: Any, document: Any) -> None:
    """Restoring the kept prefix state against evaluating the prefix, 3 times each, interleaved."""
    llama, store = backend._llama, backend.prefixes
    if not store._memory:
        return
    tokens, blob = next(iter(store._memory.values()))
    restore, evaluate = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        fresh = store._read(store._path(store.key(tokens)), store.key(tokens), tokens)  # from disk, checked
        llama._restore(list(tokens), fresh)
        restore.append(time.perf_counter() - t0)
        llama._ctx.kv_cache_clear()
        llama.n_tokens = 0
        t0 = time.perf_counter()
        llama.eval(list(tokens))
        evaluate.append(time.perf_counter() - t0)
    print(
        f"prefix of {len(tokens)} tokens ({len(blob) / 1e6:.1f} MB): restoring it from disk {statistics.median(restore):.2f} s, "
        f"evaluating it {statistics.median(evaluate):.2f} s (medians of 3, interleaved): {statistics.median(evaluate) / statistics.median(restore):.0f}x"
    )


SPIN = {"GOMP_SPINCOUNT": "300000"}  # libgomp's default when nothing is set (the backend then sets nothing)
SWEEP = (  # (OpenMP environment, threads, batch)
    (SPIN, 1, 512),
    (SPIN, 2, 512),
    ({"OMP_WAIT_POLICY": "PASSIVE"}, 1, 512),
    ({"OMP_WAIT_POLICY": "PASSIVE"}, 2, 512),
    ({"OMP_WAIT_POLICY": "PASSIVE"}, 2, 256),
    ({"OMP_WAIT_POLICY": "PASSIVE"}, 2, 1024),
    ({"GOMP_SPINCOUNT": "10000"}, 2, 512),
)


def child(args: argparse.Namespace) -> None:
    """One sweep measurement: the backend as it is, on the first prompts, printed as JSON."""
    import json

    from bench.systems.llm.local import LlamaCppBackend
    from bench.systems.llm.specs import smollm2_path

    system, document, prompt, reqs = setup(args.task, args.article)
    backend = LlamaCppBackend(smollm2_path(), threads=args.threads, batch=args.batch, prefix_states=False)
    phases = instrument(backend._llama)
    t0 = time.perf_counter()
    for request in reqs[: args.prompts or 2]:
        backend.complete(request.messages(prompt, document), request.schema(prompt, document), f"{args.task}_answer", system.options.decoding)
    wall = time.perf_counter() - t0
    print(json.dumps({"wall": wall, "prefill_tokens": phases.prefill_tokens, "prefill_s": phases.prefill_s, "decode_tokens": phases.decode_tokens, "decode_s": phases.decode_s, "sample_s": phases.sample_s}))


def sweep(args: argparse.Namespace) -> None:
    """Each setting in its own process (an OpenMP setting is read once, when the library
    loads), in turn, round after round, so that the machine's load falls on all alike."""
    import json
    import subprocess

    results: dict[int, list[dict[str, float]]] = {}
    loads = [os.getloadavg()[0]]
    for round_ in range(args.rounds):
        for i, (env, threads, batch) in enumerate(SWEEP):
            command = [sys.executable, "-m", "benchmarks.llm", "--child", "--threads", str(threads), "--batch", str(batch), "--task", args.task, "--article", str(args.article), "--prompts", str(args.prompts or 2)]
            environment = {k: v for k, v in os.environ.items() if k not in ("OMP_WAIT_POLICY", "GOMP_SPINCOUNT")}
            out = subprocess.run(command, env={**environment, **env}, check=True, capture_output=True, text=True).stdout
            results.setdefault(i, []).append(json.loads(out.strip().splitlines()[-1]))
        loads.append(os.getloadavg()[0])
        print(f"round {round_ + 1}/{args.rounds} done, load {loads[-1]:.2f}", flush=True)
    first = results[0][0]
    print(f"{args.task}, the first {args.prompts or 2} prompts ({first['prefill_tokens']} prompt tokens, {first['decode_tokens']} generated), medians of {args.rounds} rounds:")
    print("| OpenMP | threads | batch | wall s | prefill tok/s | decode tok/s | sampling s |")
    print("|---|---|---|---|---|---|---|")
    for i, (env, threads, batch) in enumerate(SWEEP):
        rows = results[i]
        med = lambda key: statistics.median(r[key] for r in rows)  # noqa: E731
        pf = statistics.median(r["prefill_tokens"] / r["prefill_s"] for r in rows)
        dec = statistics.median(r["decode_tokens"] / r["decode_s"] for r in rows)
        print(f"| {env.get('OMP_WAIT_POLICY') or ('spin ' + env['GOMP_SPINCOUNT'] + (' (default)' if env == SPIN else ''))} | {threads} | {batch} | {med('wall'):.1f} | {pf:.0f} | {dec:.1f} | {med('sample_s'):.2f} |")
    print(f"load average during the sweep: {min(loads):.2f}-{max(loads):.2f} (1 min)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--task", default="ner")
    parser.add_argument("--article", type=int, default=0, help="index of the article in the corpus")
    parser.add_argument("--prompts", type=int, default=0, help="only the first N prompts (0: all)")
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--batch", type=int, default=None)
    parser.add_argument("--sweep", action="store_true", help="time threads and batch sizes instead")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of the sweep")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from bench.systems.llm import openmp

    openmp.choose()  # before llama_cpp (and libgomp with it) loads, as the backend does
    try:
        import llama_cpp  # noqa: F401
    except ImportError:
        sys.exit("benchmarks.llm needs the [llm] extra: pip install '.[llm]'")
    if args.batch is None:
        from bench.systems.llm.local import BATCH

        args.batch = BATCH
    (child if args.child else sweep if args.sweep else compare)(args)


if __name__ == "__main__":
    main()
