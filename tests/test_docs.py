"""The README and docs/ say what is true: the README's headline table is rendered from
results/ and checked with the leaderboard, every command marked runnable runs as written
(from a copy of the checkout, so nothing is written into it), and every table that names a
committed results file quotes that file's numbers."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, run_bench

PAGES = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]  # docs/history/ is dated, not kept current
RUNNABLE = re.compile(r"^```sh runnable\n(.*?)\n```", re.S | re.M)


def _runnable_blocks() -> list[tuple[str, str]]:
    found = []
    for page in PAGES:
        for n, block in enumerate(RUNNABLE.findall(page.read_text(encoding="utf-8")), start=1):
            found.append((f"{page.relative_to(REPO).as_posix()}#{n}", block))
    return found


def test_readme_is_short_and_has_the_generated_headline_table():
    from bench.reports.leaderboard import README_END, README_START

    text = (REPO / "README.md").read_text(encoding="utf-8")
    assert len(text.splitlines()) <= 250
    assert text.count(README_START) == 1 and text.count(README_END) == 1
    first_screens = "\n".join(text.splitlines()[:140])  # a newcomer's first two screens, generously
    for heading in ("## Results", "## Quickstart", "## Evaluate your system"):
        assert heading in first_screens, heading
    assert ".venv-test/bin/python -m pytest" in first_screens


def test_a_stale_readme_headline_table_fails_the_leaderboard_check(tmp_path):
    """`bench leaderboard --check` covers the README beside leaderboard.md; `bench leaderboard` repairs it."""
    shutil.copytree(REPO / "results", tmp_path / "results")
    shutil.copy(REPO / "leaderboard.md", tmp_path / "leaderboard.md")
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    (tmp_path / "README.md").write_text(readme.replace("**0.9169**", "**0.9999**", 1), encoding="utf-8")
    stale = _bench_in(tmp_path, "leaderboard", "--check")
    assert stale.returncode == 1, stale.stderr
    assert "leaderboard.md is up to date" in stale.stdout and "README.md is out of date" in stale.stderr
    assert _bench_in(tmp_path, "leaderboard").returncode == 0
    assert (tmp_path / "README.md").read_text(encoding="utf-8") == readme
    assert _bench_in(tmp_path, "leaderboard", "--check").returncode == 0


def _bench_in(folder: Path, *args: str) -> subprocess.CompletedProcess:
    """`bench` run in another folder, on this checkout's package."""
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.run([sys.executable, "-m", "bench", *args], cwd=folder, env=env, capture_output=True, text=True, timeout=300)


def test_a_page_without_the_block_is_refused_when_named(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("# no block here\n", encoding="utf-8")
    result = run_bench("leaderboard", "--out", str(tmp_path / "lb.md"), "--write", str(page))
    assert result.returncode == 2 and "no generated block" in result.stderr and not (tmp_path / "lb.md").exists()


def test_some_commands_are_marked_runnable():
    names = [name for name, _ in _runnable_blocks()]
    assert any(name.startswith("README.md") for name in names) and len(names) >= 3


@pytest.fixture(scope="module")
def checkout_copy(tmp_path_factory):
    """The tracked and untracked (not ignored) files of the checkout, copied; a `bench` on PATH
    that runs this copy's package with the test's Python."""
    root = tmp_path_factory.mktemp("checkout")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=REPO,
                            capture_output=True, check=True).stdout.decode().split("\0")
    for name in filter(None, listed):
        source = REPO / name
        if source.is_file():
            (root / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, root / name)
    bin_dir = tmp_path_factory.mktemp("bin")
    shim = bin_dir / "bench"
    shim.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m bench "$@"\n')
    shim.chmod(0o755)
    return root, bin_dir


@pytest.mark.parametrize("name,block", _runnable_blocks(), ids=[name for name, _ in _runnable_blocks()])
def test_runnable_commands_run_as_written(name, block, checkout_copy, tmp_path):
    root, bin_dir = checkout_copy
    before = subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "PYTHONPATH": str(root),
           "BENCH_CACHE_DIR": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("BENCH_ROOT", None)
    result = subprocess.run(["bash", "-euo", "pipefail", "-c", block], cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{name}:\n{block}\n{result.stdout[-2000:]}\n{result.stderr[-2000:]}"
    assert subprocess.run(["git", "status", "--porcelain"], cwd=REPO, capture_output=True, text=True).stdout == before


METRIC = re.compile(r"^`(?P<task>[a-z_]+)\.(?P<metric>[a-z0-9_]+)(?:@(?P<view>[a-z]+))?`$")
RESULTS_LINK = re.compile(r"\[(?P<path>results/[^\]]+\.json)\]\(")


def _tables(text: str) -> list[list[list[str]]]:
    tables, current = [], []
    for line in text.splitlines():
        if line.startswith("|"):
            current.append([cell.strip() for cell in line.strip().strip("|").split(" | ")])
        elif current:
            tables.append(current)
            current = []
    return tables + ([current] if current else [])


def _quoted_rows():
    """(page, results file, metric ref, quoted value) for every cell of a table that has a
    `results file` column and metric columns named `TASK.METRIC[@VIEW]`."""
    for page in PAGES:
        for table in _tables(page.read_text(encoding="utf-8")):
            header = table[0]
            if "results file" not in header:
                continue
            where = header.index("results file")
            metrics = {i: METRIC.match(cell) for i, cell in enumerate(header) if METRIC.match(cell)}
            assert metrics, f"{page.name}: a table with a results file column names no metric column"
            for row in table[2:]:
                link = RESULTS_LINK.search(row[where])
                assert link, f"{page.name}: {row[where]!r} names no results file"
                for i, ref in metrics.items():
                    yield page, link["path"], ref.groupdict(), row[i]


def _value(record: dict, task: str, metric: str, view: str | None) -> float:
    for row in record["metrics"]:
        if row["task"] == task and row["metric"] == metric and row.get("label") is None and row.get("view") == view:
            return row["value"]
    raise AssertionError(f"no {task}.{metric}@{view} row")


def test_docs_tables_quote_the_committed_results():
    quoted = list(_quoted_rows())
    assert len(quoted) >= 60  # the NER, casualty and attribution tables of docs/metrics.md
    _check_all()


def test_a_changed_number_is_caught(tmp_path, monkeypatch):
    page = tmp_path / "page.md"
    text = (REPO / "docs" / "metrics.md").read_text(encoding="utf-8")
    page.write_text(text.replace("| 0.5442 |", "| 0.5443 |", 1), encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "PAGES", [page])
    with pytest.raises(AssertionError, match="0.5443"):
        _check_all()


def _check_all():
    for page, path, ref, cell in _quoted_rows():
        value = _value(json.loads((REPO / path).read_text(encoding="utf-8")), ref["task"], ref["metric"], ref["view"])
        assert cell == f"{value:.4f}", f"{page.name}: {path} {ref}: the page says {cell}, the file {value:.4f}"


def test_relative_links_in_the_readme_and_docs_resolve():
    broken = []
    for page in [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]:
        for target in re.findall(r"\]\(([^)\s]+)\)", page.read_text(encoding="utf-8")):
            if re.match(r"[a-z]+:", target) or target.startswith("#"):
                continue
            if not (page.parent / target.split("#")[0]).exists():
                broken.append(f"{page.relative_to(REPO)}: {target}")
    assert not broken, broken
