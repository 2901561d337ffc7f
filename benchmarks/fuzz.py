"""Fuzz every input boundary of `bench` at length: many hostile inputs per boundary.

Run: nice python -m benchmarks.fuzz [--cases 100000] [--boundary NAME ...] [--seed 0] [--tmp DIR]

The boundaries, their contracts and the generator of hostile inputs are those of the
test suite (`tests/fuzz_boundaries.py`), which runs a bounded number of them on every
test run; this script runs many more on demand. Inputs are drawn from a seeded
`random.Random` (seed + boundary index), so a failure is reproduced by running the same
command again. Per boundary it prints the cases run, the cases per second and the
failures; each failing input is saved under the scratch folder, to be kept as a
regression test. Exit code 1 when any contract broke. Use a fast scratch folder
(`--tmp`, a RAM disk where there is one): most boundaries read a file per case.
Every 10,000 cases a progress line is printed; an interrupted run (Ctrl-C, SIGTERM)
prints the figures of the cases it ran.
"""

from __future__ import annotations

import argparse
import random
import shutil
import signal
import sys
import tempfile
import time
from pathlib import Path

from testkit.fuzz_boundaries import BOUNDARIES, ContractBroken, check, hostile


def fuzz(boundary, cases: int, seed: int, scratch: Path, keep: Path) -> tuple[int, float, list[str], bool]:
    """Run `cases` hostile inputs; returns the cases run, seconds, failures, and whether it was interrupted."""
    rng = random.Random(seed)
    samples = boundary.samples()
    failures: list[str] = []
    started = time.perf_counter()
    done = 0
    try:
        for case in range(cases):
            if case and case % 10_000 == 0:
                elapsed = time.perf_counter() - started
                print(f"    {boundary.name}: {case:,} cases, {case / elapsed:,.0f}/s, {len(failures)} failures", flush=True)
            data = hostile(samples, rng) if case % 4 else bytes(rng.randrange(256) for _ in range(rng.randint(0, 300)))
            try:
                check(boundary, data, scratch)
            except ContractBroken as exc:
                saved = keep / f"{boundary.name}-{case}.bin"
                saved.write_bytes(data)
                failures.append(f"case {case}: {exc} (input saved to {saved})")
            done = case + 1
    except KeyboardInterrupt:
        return done, time.perf_counter() - started, failures, True
    return done, time.perf_counter() - started, failures, False


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="hostile inputs per boundary (default 100,000)")
    parser.add_argument("--boundary", action="append", choices=[b.name for b in BOUNDARIES], help="only this boundary (repeatable)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--tmp", type=Path, default=None, help="scratch folder (default: the system's temporary folder)")
    args = parser.parse_args()
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # a kill prints what ran, like Ctrl-C

    root = Path(tempfile.mkdtemp(prefix="bench-fuzz-", dir=args.tmp))
    keep = root / "failures"
    keep.mkdir()
    broken = 0
    print(f"{'boundary':<14} {'cases':>8} {'seconds':>9} {'cases/s':>9} {'failures':>9}")
    for index, boundary in enumerate(BOUNDARIES):
        if args.boundary and boundary.name not in args.boundary:
            continue
        scratch = root / boundary.name
        scratch.mkdir()
        cases, seconds, failures, interrupted = fuzz(boundary, args.cases, args.seed + index, scratch, keep)
        broken += len(failures)
        note = " (interrupted)" if interrupted else ""
        print(f"{boundary.name:<14} {cases:>8,} {seconds:>9.1f} {cases / max(seconds, 1e-9):>9,.0f} {len(failures):>9}{note}", flush=True)
        for failure in failures[:5]:
            print(f"    {failure}", flush=True)
        shutil.rmtree(scratch, ignore_errors=True)
        if interrupted:
            break
    if broken:
        print(f"{broken} contract failures; inputs kept in {keep}")
        return 1
    shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
