"""Measure how fast `bench --help` starts, against importing its CLI libraries alone.

Run: python -m benchmarks.startup [--runs N]
Times N runs of `bench --help` and N runs of `python -c "import typer, rich"` (the floor
any typer CLI pays), interleaved so that a busy machine slows both alike, and prints
their medians and the ratio (the target is at most 1.5). It also lists the heavy
libraries (torch, transformers, spacy, llama_cpp, datasets, jsonschema, scipy) that
`import bench.cli` pulls in: there should be none.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

HEAVY = ("torch", "transformers", "spacy", "llama_cpp", "datasets", "jsonschema", "scipy", "numpy", "httpx")
TARGET = 1.5
COMMANDS = {
    "bench --help": [sys.executable, "-m", "bench", "--help"],
    'python -c "import typer, rich"': [sys.executable, "-c", "import typer, rich"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    times: dict[str, list[float]] = {name: [] for name in COMMANDS}
    for _ in range(args.runs):
        for name, command in COMMANDS.items():
            t0 = time.perf_counter()
            subprocess.run(command, check=True, capture_output=True)
            times[name].append(time.perf_counter() - t0)
    for name, values in times.items():
        print(f"{name}: median {statistics.median(values) * 1000:.0f} ms over {args.runs} runs (min {min(values) * 1000:.0f} ms)")
    bench, floor = (statistics.median(values) for values in times.values())
    print(f"ratio: {bench / floor:.2f}x (target <= {TARGET}x)")
    probe = "import sys, bench.cli; print(' '.join(m for m in %r if m in sys.modules))" % (HEAVY,)
    loaded = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True).stdout.strip()
    print(f"heavy modules imported by bench.cli: {loaded or 'none'}")


if __name__ == "__main__":
    main()
