"""Gates: turn results into the exit code a CI job relies on (0 ok, 1 failed, 2 usage).

Where it sits: stage 4, results, after scoring. `bench eval/score --fail-under TASK.METRIC[@VIEW]=MIN`
checks one run against fixed thresholds; `bench compare BASE NEW --max-drop D` checks
that no gated metric of NEW fell more than D below BASE (with `--significant-only`,
only drops the paired bootstrap calls significant fail). A metric that does not exist
is a usage error (exit 2, with a suggestion), never a silent pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from bench.results.signed import signed
from bench.results.metricref import MetricError, MetricRef, resolve
from bench.results.record import RunRecord
from bench.results.paired import Difference

TOLERANCE = 1e-12  # float noise: 0.9 - 0.88 must not count as a drop above 0.02


@dataclass(frozen=True, slots=True)
class Threshold:
    """`--fail-under ner.strict_f1=0.80`: the run fails when the metric is below `minimum`."""

    ref: MetricRef
    minimum: float

    @classmethod
    def parse(cls, text: str) -> "Threshold":
        name, sep, number = text.partition("=")
        if not sep:
            raise MetricError(f"bad --fail-under {text!r}: expected TASK.METRIC[@VIEW]=NUMBER, e.g. ner.strict_f1=0.80")
        try:
            minimum = float(number)
        except ValueError:
            raise MetricError(f"bad --fail-under {text!r}: {number!r} is not a number") from None
        return cls(MetricRef.parse(name), minimum)


@dataclass(frozen=True, slots=True)
class GateResult:
    ref: MetricRef
    passed: bool
    detail: str

    def __str__(self) -> str:
        return f"gate {self.ref}: {self.detail}: {'ok' if self.passed else 'FAILED'}"


def check_thresholds(record: RunRecord, thresholds: Sequence[Threshold]) -> list[GateResult]:
    """One result per threshold; MetricError when a metric is not in the run."""
    out = []
    for threshold in thresholds:
        ref, row = resolve(record, threshold.ref)
        passed = row.value >= threshold.minimum - TOLERANCE
        out.append(GateResult(ref, passed, f"{row.value:.4f} {'>=' if passed else '<'} {threshold.minimum:g}"))
    return out


def default_refs(base: RunRecord) -> list[MetricRef]:
    """The headline of every task of the base run (NER in its gold view)."""
    return [MetricRef(task, *base.headline(task)) for task in base.tasks]


def check_drops(
    base: RunRecord, new: RunRecord, differences: Sequence[Difference], refs: Sequence[MetricRef], max_drop: float, significant_only: bool
) -> list[GateResult]:
    """Fail a metric that dropped more than `max_drop` from BASE to NEW (and, with
    `significant_only`, whose drop is significant); a task BASE has and NEW lacks fails."""
    paired = {d.ref: d for d in differences}
    out = []
    for wanted in refs:
        ref, base_row = resolve(base, wanted)
        if ref.task not in new.tasks:
            out.append(GateResult(ref, False, f"{ref.task} is in BASE but was not evaluated in NEW"))
            continue
        _, new_row = resolve(new, ref)
        drop = base_row.value - new_row.value
        difference = paired.get(ref)
        if difference is None and significant_only:
            raise MetricError(f"{ref} has no per-sentence counts, so --significant-only cannot test it; gate it without --significant-only")
        too_far = drop > max_drop + TOLERANCE
        significant = difference is not None and difference.significant
        passed = not too_far or (significant_only and not significant)
        detail = f"{base_row.value:.4f} -> {new_row.value:.4f} (B-A {signed(new_row.value - base_row.value)}, max drop {max_drop:g}"
        if difference is not None:
            detail += f", p={difference.p_value:.4f}{', significant' if significant else ', not significant'}"
        out.append(GateResult(ref, passed, detail + ")"))
    return out


def check_threshold_tasks(thresholds: Sequence[Threshold], evaluated: set[str]) -> None:
    """Before a run: every gated task will be evaluated (a typo costs no model run)."""
    for threshold in thresholds:
        if threshold.ref.task not in evaluated:
            raise MetricError(f"--fail-under {threshold.ref}: task {threshold.ref.task!r} is not evaluated in this run (evaluated: {', '.join(sorted(evaluated))})")
