"""Measure how fast `bench --help` starts, and check that no heavy library is imported.

Run: python benchmarks/startup.py [--runs N]
Prints the median wall time of `bench --help` over N runs and the heavy modules
(torch, transformers, spacy, llama_cpp, datasets) that `import bench.cli` pulls in.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY = ("torch", "transformers", "spacy", "llama_cpp", "datasets", "jsonschema", "scipy")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    times = []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "bench", "--help"], check=True, capture_output=True)
        times.append(time.perf_counter() - t0)
    probe = "import sys, bench.cli; print(' '.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.strip()
    print(f"bench --help: median {statistics.median(times) * 1000:.0f} ms over {args.runs} runs (min {min(times) * 1000:.0f} ms)")
    print(f"heavy modules imported by bench.cli: {loaded or 'none'}")


if __name__ == "__main__":
    main()
