"""`bench --help` (and each command's help) imports no heavy library: torch, transformers,
llama.cpp, spaCy, datasets and the HTTP client load only when a system needs them, and
the harnesses (Inspect AI, lm-evaluation-harness) only when a log is imported."""

from __future__ import annotations

import subprocess
import sys

import pytest

MODELS = ("torch", "transformers", "llama_cpp", "spacy", "datasets", "httpx", "inspect_ai", "lm_eval")
HEAVY = (*MODELS, "numpy", "scipy", "sklearn", "jsonschema")

PROBE = """
import sys
sys.argv = ["bench", *{args!r}]
from bench.cli import main
try:
    main()
except SystemExit:
    pass
print("HEAVY:" + ",".join(m for m in {heavy!r} if m in sys.modules))
"""


@pytest.mark.parametrize(
    "args, heavy",
    [(["--help"], HEAVY), (["eval", "--help"], HEAVY), (["score", "--help"], HEAVY), (["cache", "--help"], HEAVY), (["list"], MODELS),
     (["import", "--help"], HEAVY), (["import", "inspect", "--help"], HEAVY), (["import", "lm-eval", "--help"], HEAVY), (["export", "--help"], HEAVY), (["--version"], HEAVY), (["eval", "--help-all"], HEAVY)],
)
def test_help_imports_no_heavy_library(args, heavy):
    result = subprocess.run([sys.executable, "-c", PROBE.format(args=args, heavy=heavy)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    line = [x for x in result.stdout.splitlines() if x.startswith("HEAVY:")][-1]
    assert line == "HEAVY:", f"`bench {' '.join(args)}` imported {line[6:]}"


LATE = ("bench.tasks", "bench.documents.corpus", "bench.systems.base", "bench.systems.hf_ner", "bench.harness", "bench.results", "bench.reports")


def test_help_imports_only_the_option_types():
    """`bench --help` needs the commands' option types, not the stages behind them."""
    probe = PROBE.format(args=["--help"], heavy=()) + f"print('LATE:' + ','.join(sorted(m for m in sys.modules if m.startswith({LATE!r}))))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    line = [x for x in result.stdout.splitlines() if x.startswith("LATE:")][-1]
    assert line == "LATE:", f"`bench --help` imported {line[5:]}"


def test_command_modules_keep_their_annotations_as_objects():
    """typer reads every command's annotations when it builds `bench --help`: strings
    (`from __future__ import annotations`) are evaluated one by one, which cost 29M of
    the command's 469M instructions (docs/history/2026-12-04-speed-3.md). So no module
    under bench/cli/ defers them."""
    import re
    from pathlib import Path

    import bench.cli

    line = re.compile(r"^from __future__ import .*\bannotations\b", re.M)
    deferring = [p.name for p in sorted(Path(bench.cli.__file__).parent.glob("*.py")) if line.search(p.read_text())]
    assert deferring == []
