"""Which results files may be set side by side: the same gold and the same scorer.

Where it sits: stage 4, results. `bench compare` and `bench leaderboard` read saved results files and
call `ensure_comparable` first. Two runs of a task are comparable when they were
scored on the same gold (version and content sha256) by the same scorer version;
anything else is refused with one line naming the files that disagree (exit 2).
A run on a counterfactual variant (`bench eval --variants`) is scored on the variant's
own gold, derived from the original's; it is compared by the gold it was derived
from (its `variant.base_gold`), so an original and its variants sit side by side.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from bench.errors import ResultsError
from bench.results.record import RunRecord


@dataclass(frozen=True, slots=True, order=True)
class TaskVersions:
    gold_version: str
    gold_sha256: str
    scorer_version: str

    def __str__(self) -> str:
        return f"gold {self.gold_version} (sha256 {self.gold_sha256[:8]}), scorer {self.scorer_version}"


def versions(record: RunRecord, task: str) -> TaskVersions:
    header = record.tasks[task]
    base = record.variant.base_gold.get(task) if record.variant is not None else None
    gold = base if base is not None else header
    return TaskVersions(str(gold.gold_version), str(gold.gold_sha256), str(header.scorer_version))


def ensure_comparable(records: Mapping[str, RunRecord]) -> None:
    """Raise ResultsError naming the files when two records disagree on a task's gold or scorer.
    `records` maps a file name to its record."""
    tasks = sorted({task for record in records.values() for task in record.tasks})
    for task in tasks:
        seen: dict[TaskVersions, list[str]] = {}
        for name, record in records.items():
            if task in record.tasks:
                seen.setdefault(versions(record, task), []).append(name)
        if len(seen) > 1:
            parts = "; ".join(f"{', '.join(names)}: {v}" for v, names in sorted(seen.items()))
            raise ResultsError(f"results disagree on {task} gold or scorer, so they cannot be compared ({parts}); re-run them on the same gold and scorer")
