"""The ceiling table: the LLM protocol's ceilings as a committed file, and the one a row has.

Where it sits: stage 5, results. `bench ceiling --out results/ceiling/llm-ceiling.json`
writes every task x prompt version x window strategy's ceiling (`bench.harness.ceiling`)
with the gold and scorer it was computed on; the leaderboard reads this file, so it
still renders from files alone (`bench leaderboard --verify` recomputes the table from
the gold and fails on any difference). The file holds no date: the same gold, answer
formats and scorers give the same bytes.

`for_row` is the ceiling of one leaderboard row: the entry for its task, prompt version
and window strategy, or None for a row that is no LLM run (no window) or uses a
template of its own (`custom`). An entry made with another prompt hash, or a table
made on other gold or another scorer than the row, is refused as one line: the table
is stale, and `bench ceiling --out` remakes it.

The ceilings read the gold by design: they measure the answer formats, not a model,
and are never to be used to tune prompts.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from bench.about import BENCHMARK_NAME, __version__
from bench.errors import ResultsError
from bench.harness.ceiling import Ceiling

TABLE_FORMAT = "bench-llm-ceiling/1"
DEFAULT_PATH = Path("ceiling") / "llm-ceiling.json"  # inside the results folder (not *.json at its top: that is a row)
MAX_TABLE_BYTES = 4 * 1024 * 1024
NOTE = ("The headline a perfect model reaches through each prompt version's answer format and window strategy, computed from the gold "
        "by `bench ceiling`. It measures the harness, not a model: never use it to tune prompts.")


@dataclass(frozen=True)
class CeilingTable:
    """Every ceiling computed, with task -> the gold and scorer they were computed on."""

    tasks: Mapping[str, Mapping[str, str]]
    ceilings: tuple[Ceiling, ...]

    def to_json(self) -> dict[str, Any]:
        return {"format": TABLE_FORMAT, "benchmark": {"name": BENCHMARK_NAME, "version": __version__}, "note": NOTE,
                "tasks": {task: dict(ref) for task, ref in self.tasks.items()}, "ceilings": [c.to_json() for c in self.ceilings]}

    def text(self) -> str:
        """The file's bytes as text: the same table always gives the same text."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False, allow_nan=False) + "\n"

    def find(self, task: str, version: str, window: str) -> Ceiling | None:
        return next((c for c in self.ceilings if (c.task, c.prompt_version, c.window) == (task, version, window)), None)

    def for_row(self, record: Any, task: str, where: str) -> Ceiling | None:
        """The ceiling of a results record's row for `task` (None: not an LLM row, a custom
        template, or no entry); a stale table is a `ResultsError` naming `where`."""
        window, version = record.system.window, record.system.prompt_version(task)
        if not window or not version or version == "custom":
            return None
        found = self.find(task, version, window)
        if found is None:
            return None
        header = record.tasks.get(task)
        ref = self.tasks.get(task, {})
        if header is not None and (header.gold_sha256, header.scorer_version) != (ref.get("gold_sha256"), ref.get("scorer_version")):
            raise ResultsError(f"{where}: the {task} ceilings were computed on gold {str(ref.get('gold_sha256'))[:8]} with scorer "
                               f"{ref.get('scorer_version')}, the rows on gold {header.gold_sha256[:8]} with scorer {header.scorer_version}; "
                               "remake the table with `bench ceiling --out`")
        sha = (record.system.extra.get("prompts") or {}).get(task, {}).get("sha256")
        if sha != found.prompt_sha256:
            raise ResultsError(f"{where}: the {task} ceiling of prompts {version} was computed for prompt sha256 {found.prompt_sha256[:8]}, "
                               f"the row used {str(sha)[:8]}; remake the table with `bench ceiling --out`")
        return found


def table_schema() -> dict[str, Any]:
    """The JSON Schema of a ceiling table (`bench schema ceiling`)."""
    return json.loads(resources.files(__package__).joinpath("ceiling.schema.json").read_text(encoding="utf-8"))


def read_table(path: Path) -> CeilingTable:
    """A ceiling table file; a missing or malformed one is one `ResultsError` line naming it."""
    from jsonschema import Draft202012Validator

    from bench.paths import read_regular
    from bench.safejson import UnsafeJSON, loads

    try:
        raw = loads(read_regular(Path(path), MAX_TABLE_BYTES))
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read the ceiling table: {exc.strerror}") from None
    except UnsafeJSON as exc:
        raise ResultsError(f"{path}: not a ceiling table: {exc.problem}") from None
    if isinstance(raw, dict) and raw.get("format") not in (None, TABLE_FORMAT):
        raise ResultsError(f"{path}: ceiling table format {raw['format']!r}; this bench reads {TABLE_FORMAT}")
    error = next(iter(sorted(Draft202012Validator(table_schema()).iter_errors(raw), key=lambda e: [str(p) for p in e.absolute_path])), None)
    if error is not None:
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".") or "(top level)"
        raise ResultsError(f"{path}: not a valid ceiling table (see `bench schema ceiling`): {where}: {error.message[:160]}")
    stray = next((c["task"] for c in raw["ceilings"] if c["task"] not in raw["tasks"]), None)
    if stray is not None:
        raise ResultsError(f"{path}: not a valid ceiling table: a {stray} ceiling, but no {stray} gold under tasks")
    return CeilingTable({task: dict(ref) for task, ref in raw["tasks"].items()}, tuple(Ceiling.from_json(c) for c in raw["ceilings"]))


def verify_table(table: CeilingTable, path: Path) -> None:
    """Recompute every entry of `table` from the installed gold; a difference is one
    `ResultsError` line naming the first entry (or the gold) that differs."""
    from bench.documents.corpus import load_corpus
    from bench.documents.windows import WindowStrategy
    from bench.harness.ceiling import ceiling, gold_of
    from bench.systems.llm.prompts import load_prompt
    from bench.tasks.registry import get_task

    corpus = load_corpus()
    tasks = [get_task(name) for name in table.tasks]
    fresh_gold = gold_of(corpus, tasks)
    for name in table.tasks:
        if dict(table.tasks[name]) != fresh_gold.get(name):
            raise ResultsError(f"{path}: the {name} ceilings were computed on other gold or another scorer than the installed ones; remake it with `bench ceiling --out {path}`")
    golds = {task.name: task.load_gold(corpus.root, corpus) for task in tasks}
    for entry in table.ceilings:
        task = get_task(entry.task)
        fresh = ceiling(task, load_prompt(task, None, entry.prompt_version), WindowStrategy(entry.window), corpus, golds[entry.task])
        if fresh.to_json() != entry.to_json():
            differs = next(k for k, v in fresh.to_json().items() if entry.to_json().get(k) != v)
            raise ResultsError(f"{path}: the {entry.task} ceiling of prompts {entry.prompt_version}, {entry.window} windows, differs from a fresh one "
                               f"in {differs} ({entry.to_json().get(differs)!r}, now {fresh.to_json()[differs]!r}); remake it with `bench ceiling --out {path}`")


__all__ = ["DEFAULT_PATH", "NOTE", "TABLE_FORMAT", "CeilingTable", "read_table", "table_schema", "verify_table"]
