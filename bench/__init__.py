"""bench: an evaluation benchmark for information extraction on conflict reporting.

The pipeline, one subpackage per stage:
documents (texts, tokens, sentences) -> tasks (gold and prediction types, scoring)
-> systems (adapters that predict) -> harness (run and score; the predictions file)
-> results (run records, gates, statistics) -> reports (terminal tables, leaderboard,
HTML page). `cli/` is a thin layer over them; `export/` writes the gold for other
tools; `errors.py` and `progress.py` are small modules every stage shares.

Importing this package is cheap: heavy libraries load only inside the functions
that need them, so `bench --help` stays fast.
"""

from bench.about import BENCHMARK_NAME, __version__


def load_dataset(name: str | None = None, root=None):
    """A configuration of the benchmark as a `datasets.DatasetDict` with one split, `test`.

    `name`: `ner` (conll2003-shaped sentences), `casualties`, `non_casualty`,
    `attribution` or `documents`; see `bench.export`. Needs the `[hf]` extra; `datasets`
    is imported only here, so `import bench` stays cheap. Offline.
    """
    from bench.export.hf import load_dataset as _load_dataset

    return _load_dataset(name, root)
