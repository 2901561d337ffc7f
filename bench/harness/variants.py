"""Run a system on the original tree and on its counterfactual variants.

Where it sits: the harness, between systems (stage 3) and results (stage 4). For
each seed it builds the variant tree (`bench.variants.tree`), writes it to a
temporary folder, and runs the system there through the same `evaluate` as any run,
so the system (and the oracle, which reads the gold of the tree it is given) sees
nothing but a benchmark tree. Each record carries a `variant` block: the family,
seed, inventory version, the sha256 of the variant's texts and gold, and the
original's gold (`base_gold`), by which results files are compared. The original
run is recorded as family `none`.

LLM systems reuse their prediction cache as it is: its key holds each document's
sha256, so every variant document is cached on its own.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, Sequence

from bench.results.record import RunRecord
from bench.variants.tree import Family, VariantTree, build_variant


@dataclass(frozen=True)
class VariantRun:
    seed: int
    family: Family
    record: RunRecord

    @property
    def file_name(self) -> str:
        return "original.json" if self.family is Family.NONE else f"{self.family.value}-seed{self.seed}.json"


def _with_variant(record: RunRecord, tree: VariantTree, base: RunRecord | None) -> RunRecord:
    source = base or record
    base_gold = {task: {"gold_version": h.get("gold_version"), "gold_sha256": h.get("gold_sha256")} for task, h in source.tasks.items()}
    return replace(record, variant={**tree.describe(), "base_gold": base_gold})


def evaluate_variants(
    root: Path,
    family: Family,
    seeds: Sequence[int],
    run_tree: Callable[[Path], RunRecord],
) -> list[VariantRun]:
    """The original run (family none), then one run per seed. `run_tree(folder)` creates
    the system for the tree in `folder`, runs and scores it (`bench.harness.run.evaluate`)."""
    runs: list[VariantRun] = []
    original: RunRecord | None = None
    for family_now, seed in [(Family.NONE, 0), *((family, s) for s in seeds)]:
        tree = build_variant(root, family_now, seed)
        with tempfile.TemporaryDirectory(prefix="bench-variant-") as folder:
            tree.write(Path(folder))
            record = run_tree(Path(folder))
        record = _with_variant(record, tree, original)
        original = original or record
        runs.append(VariantRun(seed, family_now, record))
    return runs
