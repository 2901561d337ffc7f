"""Stage 5 of the pipeline, reports: presentations of results records.

Each reads only saved `RunRecord`s (and, for the HTML page, the predictions file a
record names, scored again), never a system, following HELM's rule that runs write
files and presentation reads only them. What they show of a task comes from the task:
its metric catalogue (`bench.tasks.metrics`) and its alignment's presentation
(`bench.tasks.alignment`):

- `tables.py`: the terminal tables of `bench eval`, `score` and `compare` (rich on a
  terminal, plain text when piped);
- `leaderboard.py`: `leaderboard.md`, rendered from the files in `results/`;
- `metrics.py`: the catalogues as a document (`bench metrics`, docs/metrics.md);
- `html/`: the static error-analysis page of `bench report`.

Nothing here is imported by `bench.cli` at start-up, so `bench --help` stays fast.
"""
