"""A run's results record: what the harness ran, with its bootstrap intervals.

Where it sits: stage 4, results. The harness returns a `Run` (`bench.harness.run`);
`record_of` turns it into the `RunRecord` that results files, tables, gates and the
leaderboard read, with a 95% interval for every metric that has per-sentence counts
(`bench.results.bootstrap`).
"""

from __future__ import annotations

from bench.harness.run import Run
from bench.results.bootstrap import add_intervals
from bench.results.record import RunRecord


def record_of(run: Run) -> RunRecord:
    scores = run.scores.values()
    record = RunRecord(
        benchmark=dict(run.benchmark),
        system=run.system,
        tasks=dict(run.tasks),
        documents=dict(run.documents),
        packages=dict(run.packages),
        run=run.run,
        metrics=tuple(row for s in scores for row in s.rows),
        units=tuple(unit for s in scores for unit in s.units),
        errors={name: s.errors for name, s in run.scores.items()},
        variant=run.variant,
    )
    return add_intervals(record)
