"""Measure casualty-figure scoring speed on the real gold with a noisy prediction set.

Run: python -m benchmarks.scoring_casualties [--repeat N] [--copies K]
Scores the oracle's figures with every third one's bounds shifted, every fifth given as
text only (so it is grounded), plus K extra copies of each figure (surplus repeats), N
times, and prints the median time per full scoring (alignment, grounding, rows, units,
errors).
"""

from __future__ import annotations

import argparse
import statistics
import time
from dataclasses import replace

from bench.documents import load_corpus
from bench.tasks.casualties.task import CasualtyTask
from bench.tasks.casualties.types import Bounds, TextSpan


def noisy(figures, copies):
    out = []
    for i, f in enumerate(figures):
        b = f.quantity.bounds
        if i % 3 == 0:
            f = replace(f, quantity=replace(f.quantity, bounds=Bounds(b.kind, b.low + 1, b.high, b.point)))
        if i % 5 == 0:
            f = replace(f, quantity=replace(f.quantity, span=TextSpan(None, None, f.quantity.span.text)))
        out.append(f)
    return out + [f for f in figures for _ in range(copies)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--copies", type=int, default=0)
    args = parser.parse_args()
    corpus = load_corpus()
    task = CasualtyTask()
    gold = task.load_gold(corpus.root, corpus)
    preds = {doc_id: noisy(task.gold_as_predictions(g), args.copies) for doc_id, g in gold.items()}
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        score = task.score(corpus, gold, preds)
        times.append(time.perf_counter() - t0)
    n = sum(len(p) for p in preds.values())
    print(f"casualty scoring: {n} predictions, {sum(len(g.figures) for g in gold.values())} gold figures, "
          f"median {statistics.median(times) * 1000:.2f} ms over {args.repeat} runs (f1 {score.row('f1', label=None).value:.4f})")


if __name__ == "__main__":
    main()
