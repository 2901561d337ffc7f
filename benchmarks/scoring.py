"""Measure NER scoring speed on the real gold with a noisy prediction set.

Run: python -m benchmarks.scoring [--repeat N]
Scores the oracle's spans with a third of them shifted by one token, N times, and prints
the median time per full scoring (both label views, all schemes, errors, units).
"""

from __future__ import annotations

import argparse
import statistics
import time

from bench.documents import load_corpus
from bench.tasks.ner.scoring import DocumentInput, score
from bench.tasks.ner.task import NerTask
from bench.tasks.ner.types import Span


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    corpus = load_corpus()
    gold = NerTask().load_gold(corpus.root, corpus)
    inputs = {}
    for doc_id, g in gold.items():
        spans = g.spans()
        tokens = corpus[doc_id].tokens
        ends = [t.end for t in tokens]
        noisy = []
        for i, s in enumerate(spans):
            if i % 3 == 0:
                nxt = next((e for e in ends if e > s.end), s.end)
                noisy.append(Span(s.start, nxt, s.label))
            else:
                noisy.append(s)
        inputs[doc_id] = DocumentInput(spans, tuple(noisy))
    times = []
    for _ in range(args.repeat):
        t0 = time.perf_counter()
        result = score(corpus, inputs)
        times.append(time.perf_counter() - t0)
    f1 = result.row("strict_f1", view="gold", label=None).value
    print(f"NER scoring, {sum(len(i.gold) for i in inputs.values())} gold spans: median {statistics.median(times) * 1000:.1f} ms over {args.repeat} runs (strict F1 {f1:.3f})")


if __name__ == "__main__":
    main()
