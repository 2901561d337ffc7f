"""Paired comparison of two runs (`bench compare A.json B.json`): B - A per metric.

Where it sits: stage 4, results. It reads two `RunRecord`s (their per-sentence `units`), never a system.

Method: a paired percentile bootstrap over sentences, with the same draws as
`bench.results.bootstrap` (fixed seed). Both runs are resampled on the same sentence
keys (doc_id, sentence); a key missing from one run counts zero there. Each resample
gives F1(B) - F1(A); the interval of the difference is its 2.5th and 97.5th
percentile. The two-sided p-value is read off the same resamples: twice the smaller
share of resamples on either side of zero, p = min(1, 2 (1 + min(#{d <= 0}, #{d >= 0})) / (R + 1)),
so a difference is significant (p < 0.05) when at least about 97.5% of resamples
agree on its sign, which is when the 95% interval of the difference excludes zero (up
to the resolution of R resamples). A run against itself gives d = 0 in every resample
and p = 1. The p-values are per metric, not corrected for testing several metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Mapping

from bench.results.metricref import MetricRef
from bench.results.record import RunRecord
from bench.results.bootstrap import LEVEL, RESAMPLES, SEED, Counts3, Key, headlines_of, percentiles, point_f1, resampled_f1s, series

if TYPE_CHECKING:
    import numpy as np

ALPHA = 1 - LEVEL
P_VALUE_RULE = "paired bootstrap, two-sided: p = min(1, 2 (1 + min(#{d <= 0}, #{d >= 0})) / (R + 1)) over the R resampled differences d = F1(B) - F1(A); significant when p < 0.05"


@dataclass(frozen=True, slots=True)
class Difference:
    """One metric compared: the two point estimates, B - A, its interval and p-value."""

    ref: MetricRef
    a: float
    b: float
    low: float
    high: float
    p_value: float

    @property
    def diff(self) -> float:
        return self.b - self.a

    @property
    def significant(self) -> bool:
        return self.p_value < ALPHA

    def to_json(self) -> dict:
        return {"task": self.ref.task, "metric": self.ref.metric, "view": self.ref.view, "a": self.a, "b": self.b, "diff": self.diff,
                "low": self.low, "high": self.high, "p_value": self.p_value, "significant": self.significant}


def paired_difference(
    ref: MetricRef,
    a: Mapping[Key, Counts3],
    b: Mapping[Key, Counts3],
    resamples: int = RESAMPLES,
    seed: int = SEED,
    level: float = LEVEL,
) -> Difference:
    """Bootstrap B - A on the union of the two runs' sentence keys (both runs see the
    same draws, streamed in blocks by `resampled_f1s`)."""
    import numpy as np

    zero = (0.0, 0.0, 0.0)
    keys = sorted(set(a) | set(b))
    cells_a = {k: a.get(k, zero) for k in keys}
    cells_b = {k: b.get(k, zero) for k in keys}
    f1_a, f1_b = resampled_f1s([cells_a, cells_b], resamples, seed)
    d = f1_b - f1_a
    low, high = percentiles(d, level)
    below, above = int(np.count_nonzero(d <= 0)), int(np.count_nonzero(d >= 0))
    p = min(1.0, 2 * (1 + min(below, above)) / (resamples + 1))
    return Difference(ref, point_f1(cells_a), point_f1(cells_b), low, high, p)


def compare_records(a: RunRecord, b: RunRecord, resamples: int = RESAMPLES, seed: int = SEED) -> list[Difference]:
    """Every metric with per-sentence counts in both runs: A's task order, each task's headline first."""
    units_a = series(a.units, headlines_of(a))
    units_b = series(b.units, headlines_of(b))
    order = list(a.tasks)

    def key(ref: MetricRef) -> tuple:
        return (order.index(ref.task) if ref.task in order else len(order), (ref.metric, ref.view) != a.headline(ref.task), str(ref))

    shared = sorted(set(units_a) & set(units_b), key=key)
    out = []
    for ref in shared:
        d = paired_difference(ref, units_a[ref], units_b[ref], resamples, seed)
        row_a, row_b = a.row(ref.task, ref.metric, ref.view), b.row(ref.task, ref.metric, ref.view)
        if row_a is not None and row_b is not None:  # show the scorer's values (equal to the units' up to float rounding)
            d = replace(d, a=row_a.value, b=row_b.value)
        out.append(d)
    return out
