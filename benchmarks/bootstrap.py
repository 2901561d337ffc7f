"""Measure the sentence bootstrap: 10,000 resamples for every task of a run at once.

Run: python -m benchmarks.bootstrap [--repeat N] [--resamples R] [--results results/rules.json]
Reads a results file (default: the committed rules run, all three tasks), then times,
over N repeats, (1) the intervals of every metric with per-sentence units (the
headlines of ner, casualties and attribution plus their sub-metrics) and (2) a paired
comparison of the run with the oracle's, every metric. Prints the median and the
largest time of each, and the time of the first call (which includes importing numpy).
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from bench.results.record import read_record
from bench.results.bootstrap import RESAMPLES, headlines_of, intervals
from bench.results.paired import compare_records

ROOT = Path(__file__).resolve().parent.parent


def _time(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--resamples", type=int, default=RESAMPLES)
    parser.add_argument("--results", type=Path, default=ROOT / "results" / "rules.json")
    parser.add_argument("--other", type=Path, default=ROOT / "results" / "oracle.json")
    args = parser.parse_args()
    record, other = read_record(args.results), read_record(args.other)
    headlines = headlines_of(record)
    t0 = time.perf_counter()
    result = intervals(record.units, headlines, resamples=args.resamples)
    first = time.perf_counter() - t0
    single = _time(lambda: intervals(record.units, headlines, resamples=args.resamples), args.repeat)
    paired = _time(lambda: compare_records(record, other, resamples=args.resamples), args.repeat)
    keys = {(u.doc_id, u.sentence) for u in record.units}
    print(f"{args.results.name}: {len(record.tasks)} tasks ({', '.join(record.tasks)}), {len(result.rows)} metrics with units, "
          f"{len(keys)} sentences, {len(record.units)} units; {args.resamples:,} resamples")
    print(f"intervals, all tasks: median {statistics.median(single) * 1000:.1f} ms, max {max(single) * 1000:.1f} ms over {args.repeat} runs "
          f"(first call, with the numpy import: {first * 1000:.0f} ms)")
    print(f"paired comparison with {args.other.name}, all metrics: median {statistics.median(paired) * 1000:.1f} ms, max {max(paired) * 1000:.1f} ms")
    for row in result.rows:
        print(f"  {row.task}.{row.metric}{'@' + row.view if row.view else ''}: {row.value:.4f} [{row.low:.4f}, {row.high:.4f}]")


if __name__ == "__main__":
    main()
