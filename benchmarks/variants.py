"""Measure building one variant of the whole benchmark tree (target: under 100 ms).

Run: python -m benchmarks.variants [--repeat N] [--family names+numbers]
Times `build_variant` (read every seed and gold file, edit the texts, map every gold
span, recompute figures, re-serialise, check sentences) over N seeds, after one
warm-up build (which loads the inventory). As a reference in the same run, it also
times loading the corpus and validating it (`bench validate`'s work), and prints the
ratio of the two medians.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.documents.corpus import load_corpus
from bench.tasks.validate import validate_tree
from bench.variants.tree import Family, build_variant

ROOT = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--family", default=Family.NAMES_NUMBERS.value, choices=[f.value for f in Family])
    args = parser.parse_args()

    build_variant(ROOT, args.family, 0)  # warm-up: inventory, regexes
    builds = []
    for seed in range(1, args.repeat + 1):
        t0 = time.perf_counter()
        build_variant(ROOT, args.family, seed)
        builds.append(time.perf_counter() - t0)

    with tempfile.TemporaryDirectory() as folder:
        build_variant(ROOT, args.family, 1).write(Path(folder))
        validate_tree(Path(folder))  # warm-up: jsonschema
        checks = []
        for _ in range(max(3, args.repeat // 4)):
            t0 = time.perf_counter()
            load_corpus(Path(folder))
            validate_tree(Path(folder))
            checks.append(time.perf_counter() - t0)

    build_ms, check_ms = statistics.median(builds) * 1000, statistics.median(checks) * 1000
    print(f"build_variant({args.family}): median {build_ms:.1f} ms, max {max(builds) * 1000:.1f} ms over {len(builds)} seeds (target < 100 ms)")
    print(f"reference, validate the variant tree: median {check_ms:.1f} ms; build / validate = {build_ms / check_ms:.2f}")


if __name__ == "__main__":
    main()
