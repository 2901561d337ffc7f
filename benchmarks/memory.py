"""Measure the peak memory of `bench score` on hostile predictions files (issue 25).

Run: python -m benchmarks.memory [--repo PATH] [--keep DIR]
Generates, in a temporary folder, a 200 MB predictions file of newlines and a 1.2 MB
file whose one line holds 100,000 schema errors (`{"label": 1}` NER records), runs
`python -m bench score FILE` on each in a child process, and prints the child's peak
resident memory (`ru_maxrss` from wait4), its time and its first stderr line. The
target is under 300 MB each. For reference it also scores the committed oracle
predictions. `--repo` runs the `bench` of another checkout (to measure a version from
before a change); the default is this one.

Linux and macOS (wait4); not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET_MB = 300
DOC = "000_5cf36fedf2077db3"


def newlines(path: Path, megabytes: int = 200) -> Path:
    with path.open("wb") as handle:
        for _ in range(megabytes):
            handle.write(b"\n" * (1 << 20))
    return path


def schema_errors(path: Path, count: int = 100_000) -> Path:
    path.write_text(json.dumps({"doc_id": DOC, "ner": [{"label": 1}] * count}, separators=(",", ":")) + "\n")
    return path


def peak(repo: Path, predictions: Path) -> tuple[float, float, int, str]:
    """(peak RSS in MB, seconds, exit code, first stderr line) of `bench score predictions`."""
    env = dict(os.environ, PYTHONPATH=str(repo))
    started = time.perf_counter()
    with tempfile.TemporaryFile() as err:
        child = subprocess.Popen([sys.executable, "-m", "bench", "score", str(predictions)], cwd=repo, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(child.pid, 0)
        child.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.perf_counter() - started
        err.seek(0)
        lines = err.read().decode("utf-8", "replace").strip().splitlines()
    rss_kb = usage.ru_maxrss / (1024 if sys.platform == "darwin" else 1)  # bytes on macOS, KiB on Linux
    return rss_kb / 1024, seconds, child.returncode, (lines[-1] if lines else "")[:160]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repo", type=Path, default=REPO, help="the checkout whose bench runs (default: this one)")
    parser.add_argument("--keep", type=Path, default=None, help="write the generated files here instead of a temporary folder")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        cases = {
            "oracle predictions (reference)": REPO / "results" / "oracle.predictions.jsonl",
            "200 MB of newlines": newlines(folder / "newlines.jsonl"),
            "1.2 MB, 100k schema errors": schema_errors(folder / "schema-errors.jsonl"),
        }
        print(f"bench from {args.repo}")
        for name, path in cases.items():
            mb, seconds, code, line = peak(args.repo, path)
            verdict = "" if name.endswith("(reference)") else ("  ok" if mb < TARGET_MB else f"  OVER the {TARGET_MB} MB target")
            print(f"{name} ({path.stat().st_size / 1e6:.1f} MB): peak {mb:.0f} MB, {seconds:.1f} s, exit {code}{verdict}")
            if line:
                print(f"    {line}")


if __name__ == "__main__":
    main()
