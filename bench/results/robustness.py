"""The robustness summary: a system's scores on the original against its variants.

Where it sits: stage 4, results, the counterpart of the variants (`bench.variants`): it reads saved
`RunRecord`s only (one on the original tree, one per variant seed), never a system,
so `bench eval --variants` and the leaderboard's robustness table give the same
numbers from the same files.

Per task headline: the original score, the mean over the variants with a 95%
interval, and the gap = original - variant mean, with a paired bootstrap interval
and p-value. The bootstrap is the one of `bench.results.bootstrap` and `paired`:
the same sentence keys (document, sentence) are resampled in the original and in
every variant at once (variants keep the original's sentence indices), so each
resample gives F1(original) - mean F1(variants) over the same sentences. The
variant mean's interval comes from the same resamples. p = min(1, 2 (1 + min(#{gap
<= 0}, #{gap >= 0})) / (R + 1)); significant when p < 0.05. The interval covers the
noise of drawing other sentences, for these seeds; it does not say how another
draw of replacements would score.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

from bench.results.signed import signed
from bench.results.metricref import MetricRef
from bench.results.record import RunRecord

ALPHA = 0.05
WHAT_CHANGED = {"names": "unseen names", "numbers": "resampled numbers", "names+numbers": "unseen names and numbers"}


@dataclass(frozen=True, slots=True)
class TaskGap:
    task: str
    metric: str
    view: str | None
    original: float
    variant_mean: float
    mean_low: float
    mean_high: float
    gap_low: float
    gap_high: float
    p_value: float
    variants: int

    @property
    def gap(self) -> float:
        return self.original - self.variant_mean

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    def to_json(self) -> dict[str, Any]:
        return {"task": self.task, "metric": self.metric, "view": self.view, "original": self.original,
                "variant_mean": self.variant_mean, "variant_mean_interval": [self.mean_low, self.mean_high],
                "gap": self.gap, "gap_interval": [self.gap_low, self.gap_high], "p_value": self.p_value,
                "significant": self.significant, "variants": self.variants}


@dataclass(frozen=True)
class RobustnessSummary:
    family: str
    seeds: tuple[int, ...]
    inventory_version: str
    rows: tuple[TaskGap, ...]

    def verdicts(self) -> list[str]:
        """One plain sentence per task whose gap is significant."""
        changed = WHAT_CHANGED.get(self.family, "the variants")
        out = []
        for row in self.rows:
            if row.significant and row.gap > 0:
                out.append(f"{row.task}: scores drop on {changed}: possible memorisation or reliance on known entities (gap {signed(row.gap)}, p = {row.p_value:.4f})")
            elif row.significant and row.gap < 0:
                out.append(f"{row.task}: scores rise on {changed}: the replacements may be easier than the originals (gap {signed(row.gap)}, p = {row.p_value:.4f})")
        return out

    def to_json(self) -> dict[str, Any]:
        from bench.results.bootstrap import settings

        return {"family": self.family, "seeds": list(self.seeds), "inventory_version": self.inventory_version,
                "method": {**settings().to_json(), "gap": "original - mean over variants, paired over sentences"},
                "tasks": [r.to_json() for r in self.rows], "verdicts": self.verdicts()}


def summarise(original: RunRecord, variants: Sequence[RunRecord]) -> RobustnessSummary:
    """The summary of one original run and its variant runs (all of one family)."""
    import numpy as np

    from bench.results.bootstrap import RESAMPLES, SEED, headlines_of, percentiles, resample_counts, resampled_f1, series

    if not variants:
        raise ValueError("no variant runs to summarise")
    families = {v.variant.family if v.variant else "None" for v in variants}
    if len(families) != 1:
        raise ValueError(f"variant runs of several families: {', '.join(sorted(families))}")
    rows = []
    for task in original.tasks:
        if not all(task in v.tasks for v in variants):
            continue
        metric, view = original.headline(task)
        ref = MetricRef(task, metric, view)
        row = original.row(task, metric, view)
        values = [v.row(task, metric, view) for v in variants]
        if row is None or any(v is None for v in values):
            continue
        cells = [series(r.units, headlines_of(r)).get(ref, {}) for r in (original, *variants)]
        keys = sorted(set().union(*cells))
        zero = (0.0, 0.0, 0.0)
        weights = resample_counts(len(keys), RESAMPLES, SEED)
        f1s = [resampled_f1({k: c.get(k, zero) for k in keys}, weights) for c in cells]
        mean = np.mean(f1s[1:], axis=0)
        gap = f1s[0] - mean
        gap[np.abs(gap) < 1e-12] = 0.0  # float noise of equal scores, so that no interval reads "-0.000"
        mean_low, mean_high = percentiles(mean)
        gap_low, gap_high = percentiles(gap)
        below, above = int(np.count_nonzero(gap <= 0)), int(np.count_nonzero(gap >= 0))
        p = min(1.0, 2 * (1 + min(below, above)) / (RESAMPLES + 1))
        variant_mean = sum(v.value for v in values) / len(values)
        rows.append(TaskGap(task, metric, view, row.value, variant_mean, mean_low, mean_high, gap_low, gap_high, p, len(variants)))
    first = variants[0].variant
    seeds = tuple(sorted(v.variant.seed if v.variant else -1 for v in variants))
    return RobustnessSummary(families.pop(), seeds, first.inventory_version if first else "?", tuple(rows))


def summary_lines(summary: RobustnessSummary, system: str) -> list[str]:
    """The summary as plain text lines for the terminal."""
    seeds = ", ".join(map(str, summary.seeds))
    lines = [f"robustness of {system} on `{summary.family}` variants (seeds {seeds}; inventory {summary.inventory_version})",
             f"{'task':<12} {'headline':<16} {'original':>9} {'variant mean [95%]':>28} {'gap [95%]':>28} {'p':>7}"]
    for r in summary.rows:
        name = r.metric + (f"@{r.view}" if r.view else "")
        lines.append(f"{r.task:<12} {name:<16} {r.original:>9.4f} {r.variant_mean:>9.4f} [{r.mean_low:.4f}, {r.mean_high:.4f}] "
                     f"{signed(r.gap):>9} [{signed(r.gap_low)}, {signed(r.gap_high)}] {r.p_value:>7.4f}")
    verdicts = summary.verdicts()
    lines += verdicts or ["no task's gap is significant (p >= 0.05)"]
    lines.append("gap = original - variant mean; interval and p from a paired bootstrap over the same sentences in the original and every variant")
    return lines
