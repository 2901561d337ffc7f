"""Stage 4 of the pipeline, results: what a run leaves behind, and what may be said of it.

The harness scores a run into a `Run`; `make.record_of` turns it into a `RunRecord` with
its intervals, written as a results file; every later step (gates, comparisons, the
leaderboard, the reports) reads only those files. One concept per module:

- `record.py`: the typed record (`RunRecord` with its metric rows, per-sentence units and
  `Intervals`), read and written as JSON;
- `make.py`: a run's record;
- `compat.py`: which records may be set side by side (same gold, same scorer);
- `metricref.py`: naming one metric of a run, `TASK.METRIC[@VIEW]`;
- `gates.py`: `--fail-under` and `--max-drop`, turned into exit codes;
- `bootstrap.py`: percentile-bootstrap intervals over sentences;
- `paired.py`: the paired comparison of two runs (`bench compare`);
- `robustness.py`: original against variants;
- `rescore.py`: a saved run scored again from its predictions, checked against its record.

numpy is imported inside functions, so importing these modules costs nothing at
`bench --help`.
"""
