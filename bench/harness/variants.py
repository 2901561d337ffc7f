"""Run a system on the original tree and on its counterfactual variants.

Where it sits: the harness, between systems (stage 3) and results (stage 4). For
each seed it builds the variant tree (`bench.variants.tree`), writes it to a
temporary folder, creates the system for that tree and runs it there through the same
`evaluate` as any run, so the system (and the oracle, which reads the gold of the tree
it is given) sees nothing but a benchmark tree. Each run carries a `variant` block
(`bench.harness.metadata.VariantInfo`): the family, seed, inventory version, the sha256
of the variant's texts and gold, and the original's gold (`base_gold`), by which
results files are compared. The original run is recorded as family `none`.

LLM systems reuse their prediction cache as it is: its key holds each document's
sha256, so every variant document is cached on its own.
"""

from __future__ import annotations

import tempfile
from contextlib import nullcontext
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable, ContextManager, Sequence

from bench.harness.metadata import GoldRef, VariantInfo
from bench.harness.run import Run, evaluate
from bench.progress import Progress
from bench.systems.base import System
from bench.tasks.base import Task
from bench.variants.tree import Family, VariantTree, build_variant


@dataclass(frozen=True)
class VariantRun:
    seed: int
    family: Family
    run: Run

    @property
    def file_name(self) -> str:
        return "original.json" if self.family is Family.NONE else f"{self.family.value}-seed{self.seed}.json"


def _with_variant(run: Run, tree: VariantTree, base: Run | None) -> Run:
    source = base or run
    base_gold = {task: GoldRef(h.gold_version, h.gold_sha256) for task, h in source.tasks.items()}
    d = tree.describe()
    return replace(run, variant=VariantInfo(d["family"], d["seed"], d["inventory_version"], d["texts_sha256"], d["gold_sha256"], base_gold))


def evaluate_variants(root: Path, family: Family, seeds: Sequence[int], run_tree: Callable[[Path], Run]) -> list[VariantRun]:
    """The original run (family none), then one run per seed. `run_tree(folder)` runs and
    scores a system on the tree in `folder`."""
    runs: list[VariantRun] = []
    original: Run | None = None
    for family_now, seed in [(Family.NONE, 0), *((family, s) for s in seeds)]:
        tree = build_variant(root, family_now, seed)
        with tempfile.TemporaryDirectory(prefix="bench-variant-") as folder:
            tree.write(Path(folder))
            run = run_tree(Path(folder))
        run = _with_variant(run, tree, original)
        original = original or run
        runs.append(VariantRun(seed, family_now, run))
    return runs


def evaluate_on_variants(
    spec: str,
    make_system: Callable[[Path, Progress], System],
    tasks: Sequence[Task],
    root: Path,
    family: Family,
    seeds: Sequence[int],
    batch_size: int = 8,
    progress: Callable[[], ContextManager[Progress]] | None = None,
) -> list[VariantRun]:
    """A system on the original and on each variant: `make_system(root, progress)` makes it
    afresh for each tree (an oracle reads that tree's gold); `progress()` opens a display per run."""
    from bench.documents.corpus import load_corpus

    def run_tree(folder: Path) -> Run:
        corpus = load_corpus(folder)
        with (progress() if progress is not None else nullcontext(Progress())) as shown:
            system = make_system(corpus.root, shown)
            run, _ = evaluate(system, spec, corpus, tasks, batch_size=batch_size, progress=shown)
        return run

    return evaluate_variants(root, family, seeds, run_tree)
