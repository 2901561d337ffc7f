"""End-to-end `bench score --data TREE` against the in-process NER scorer on the same data.

Run: python -m benchmarks.score_overhead [--mentions N] [--sentences N] [--rounds R] [--stages]
Writes two synthetic benchmark trees (fixed seeds, `benchmarks.scale`'s generator):

- one document with N gold mentions (default 20,000) in about N / 1.9 sentences;
- a corpus of N sentences (default 100,000), 50 a document (2,000 documents);

each with its `seeds/` (the text, `articles.json`), `gold/ner/` (mentions on word
boundaries, one entity per name and label, `gold/versions.json` with the content's
sha256) and a predictions file (the gold disturbed: mentions dropped, cut, grown,
relabelled, a few spurious; offsets). Then, round after round and each in a fresh
process, it times:

- `bench score PREDICTIONS --data TREE --out FILE` (the command as a user runs it: start-up,
  the corpus, the gold checks, reading and checking the predictions, scoring, intervals,
  writing the results);
- the scorer alone, in process: `bench.tasks.ner.scoring.score` on the same spans, the
  corpus loaded and tokenised before the clock starts (what `benchmarks.scale` times),
  with the garbage collector's thresholds the command sets (`bench.cli.GC_THRESHOLDS`).

It prints the medians and the ratio (the target is at most 3). `--stages` also runs
the command's steps one by one in a process and prints each one's time. When the
command refuses `--out` (a results file larger than its readers accept: the 100,000
sentences make about 60 MB against a 32 MiB cap), the table says so and the command
is timed without `--out` (scoring, intervals and the tables, no file).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.scale import ROOT, corpus_data

TARGET = 3.0


def write_tree(folder: Path, sentences: list, per_doc: int) -> Path:
    """A benchmark tree of the sentences (`per_doc` a document) and its predictions file."""
    from bench.documents.corpus import sha256_bytes
    from bench.tasks.goldfiles import content_sha256

    (folder / "seeds").mkdir(parents=True)
    (folder / "gold" / "ner").mkdir(parents=True)
    docs: dict[int, list] = {}
    for k, (_, n, gold, pred) in enumerate(sentences):
        docs.setdefault(k // per_doc, []).append((n, gold, pred))
    articles, lines = [], []
    for d, items in docs.items():
        doc_id = f"doc{d:06d}"
        text_lines, gold_spans, pred_spans, offset = [], [], [], 0
        for n, gold, pred in items:
            words = [f"W{i}" for i in range(n)]
            starts, pos = [], offset
            for w in words:
                starts.append(pos)
                pos += len(w) + 1
            line = " ".join(words) + " ."
            span = lambda s, e: (starts[s], starts[e - 1] + len(words[e - 1]))  # noqa: E731
            gold_spans += [(*span(s, e), label) for s, e, label in gold]
            pred_spans += [(*span(s, e), label) for s, e, label in pred]
            text_lines.append(line)
            offset += len(line) + 1
        text = "\n".join(text_lines)
        data = text.encode("utf-8")
        (folder / "seeds" / f"{doc_id}.txt").write_bytes(data)
        sha = sha256_bytes(data)
        articles.append({"id": doc_id, "outlet": None, "headline": "synthetic", "date": "2025-03-06", "date_as_written": "6 March 2025", "byline": None, "sha256": sha})
        entities: dict[tuple[str, str], str] = {}
        mentions = []
        for i, (s, e, label) in enumerate(gold_spans):
            name = text[s:e]
            entity = entities.setdefault((name, label), f"{label.lower()}_{name.lower().replace(' ', '_')}")
            mentions.append({"id": f"{doc_id}-m{i}", "start": s, "end": e, "text": name, "entity": entity})
        gold = {
            "doc_id": doc_id, "task": "ner", "text_sha256": sha, "gold_version": "1.0.0",
            "entities": [{"id": eid, "name": name, "label": label} for (name, label), eid in entities.items()],
            "mentions": mentions,
        }
        (folder / "gold" / "ner" / f"{doc_id}.json").write_text(json.dumps(gold))
        lines.append(json.dumps({"doc_id": doc_id, "ner": [{"start": s, "end": e, "label": label} for s, e, label in pred_spans]}))
    (folder / "seeds" / "articles.json").write_text(json.dumps({"articles": articles}))
    versions = {"ner": {"version": "1.0.0", "sha256": content_sha256(folder, "ner", [a["id"] for a in articles])}}
    (folder / "gold" / "versions.json").write_text(json.dumps(versions))
    predictions = folder / "predictions.jsonl"
    predictions.write_text("\n".join(lines) + "\n")
    return predictions


def scorer_alone(tree: Path) -> float:
    """Seconds of `scoring.score` on the tree's gold and predicted spans (data loaded first)."""
    from bench.documents.corpus import load_corpus
    from bench.tasks.ner.scoring import DocumentInput, score
    from bench.tasks.ner.task import NerTask
    from bench.tasks.ner.types import Span

    corpus = load_corpus(tree)
    gold = NerTask().load_gold(tree, corpus)
    predictions = {json.loads(line)["doc_id"]: json.loads(line)["ner"] for line in (tree / "predictions.jsonl").read_text().splitlines()}
    inputs = {}
    for doc_id, document in corpus.items():
        document.sentences
        inputs[doc_id] = DocumentInput(gold[doc_id].spans(), tuple(Span(p["start"], p["end"], p["label"]) for p in predictions[doc_id]))
    t0 = time.perf_counter()
    score(corpus, inputs)
    return time.perf_counter() - t0


def stages(tree: Path) -> list[tuple[str, float]]:
    """`bench score`'s steps, timed one by one in this process."""
    out = []
    clock = time.perf_counter()

    def step(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        out.append((name, now - clock))
        clock = now

    from bench.cli.common import emit, with_predictions
    from bench.documents.corpus import load_corpus
    from bench.harness.predictions import read_predictions
    from bench.harness.run import load_checked_gold, score_predictions
    from bench.results.make import record_of
    from bench.tasks.registry import all_tasks

    step("imports")
    tasks = [t for t in all_tasks() if t.name == "ner"]
    corpus = load_corpus(tree)
    for document in corpus.values():
        document.sentences
    step("load the corpus, tokenise")
    file = read_predictions(tree / "predictions.jsonl", corpus, tasks)
    step("read and check the predictions")
    gold = load_checked_gold(corpus, tasks)
    step("check and load the gold")
    scores = score_predictions(corpus, tasks, gold, file.predictions, file.where, file.label_maps, file.parsed_answers)
    step("score")
    from bench.harness.run import _run
    from bench.harness.metadata import RunInfo, SystemInfo

    run = _run(corpus, tasks, scores, SystemInfo("file:x", "x", "unknown", {}), RunInfo("2026-12-03T00:00:00+00:00"))
    step("run header (gold fingerprints)")
    record = record_of(run)
    step("record (intervals)")
    from bench.errors import BenchError

    out_file = tree / "stage-results.json"
    try:
        emit(with_predictions(record, tree / "predictions.jsonl", out_file), False, out_file)
        step("write the results, print the tables")
    except BenchError:  # too large for the readers: nothing written
        step("results too large to write (refused), tables not printed")
    return out


def child(kind: str, tree: Path) -> None:
    import gc

    from bench.cli import GC_THRESHOLDS

    gc.set_threshold(*GC_THRESHOLDS)  # as the command runs, so the ratio is the command's overhead alone
    if kind == "scorer":
        print(json.dumps({"seconds": scorer_alone(tree)}))
    elif kind == "stages":
        print(json.dumps({"stages": stages(tree)}))


def timed_command(tree: Path, write: bool = True) -> float | str:
    """Seconds of the command, or its error line when it refuses (a results file larger
    than the readers' cap is not written: exit 2, nothing on disk)."""
    out = tree / "results.json"
    out.unlink(missing_ok=True)
    command = [sys.executable, "-m", "bench", "score", str(tree / "predictions.jsonl"), "--data", str(tree)]
    t0 = time.perf_counter()
    done = subprocess.run([*command, "--out", str(out)] if write else command, capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - t0
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return lines[-1] if lines else f"exit {done.returncode}"
    return seconds


def timed_child(kind: str, tree: Path) -> dict:
    done = subprocess.run([sys.executable, "-m", "benchmarks.score_overhead", "--child", kind, str(tree)], check=True, capture_output=True, text=True, cwd=ROOT)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--mentions", type=int, default=20_000)
    parser.add_argument("--sentences", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--only", choices=("document", "corpus"), default=None)
    parser.add_argument("--stages", action="store_true", help="also time the command's steps")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child[0], Path(args.child[1]))
    scratch = Path(tempfile.mkdtemp(prefix="bench-score-overhead-"))
    trees = []
    if args.only in (None, "document"):
        sentences = corpus_data(int(args.mentions / 1.9) + 1)
        gold_total = sum(len(g) for _, _, g, _ in sentences)
        while gold_total > args.mentions:  # trim to the exact count from the end
            doc, n, gold, pred = sentences[-1]
            gold_total -= len(gold)
            sentences.pop()
        trees.append((f"1 document, {gold_total:,} mentions", scratch / "document", sentences, len(sentences)))
    if args.only in (None, "corpus"):
        trees.append((f"{args.sentences:,} sentences, 50 a document", scratch / "corpus", corpus_data(args.sentences), 50))
    print("| data | `bench score --data` | scorer alone | ratio | load |")
    print("|---|---|---|---|---|")
    for label, folder, sentences, per_doc in trees:
        write_tree(folder, sentences, per_doc)
        command, scorer, loads, write = [], [], [os.getloadavg()[0]], True
        for _ in range(args.rounds):
            seconds = timed_command(folder, write)
            if isinstance(seconds, str):  # refused to write: time the command without --out
                print(f"| {label} | `--out` refused: {seconds} | | | |", flush=True)
                write, seconds = False, timed_command(folder, False)
                label += " (no `--out`)"
            if isinstance(seconds, str):
                raise SystemExit(f"{label}: bench score failed: {seconds}")
            command.append(seconds)
            scorer.append(timed_child("scorer", folder)["seconds"])
            loads.append(os.getloadavg()[0])
        c, s = statistics.median(command), statistics.median(scorer)
        print(f"| {label} | {c:.2f} s | {s:.2f} s | {c / s:.2f}x (target <= {TARGET}x) | {min(loads):.1f}-{max(loads):.1f} |", flush=True)
        if args.stages:
            for name, seconds in timed_child("stages", folder)["stages"]:
                print(f"|   {name} | {seconds:.2f} s | | | |", flush=True)


if __name__ == "__main__":
    main()
