"""bench: an evaluation benchmark for information extraction on conflict reporting.

The pipeline, one subpackage per stage, each importing only the stages before it:
documents (texts, tokens, sentences, windows, edits) -> tasks (one folder per task:
its gold, pairing, metrics, export and LLM protocol) -> variants (counterfactual
trees) -> systems (adapters that predict) -> harness (run and score; the predictions
file) -> results (run records, intervals, gates, comparisons) -> reports (terminal
tables, leaderboard, HTML page) -> integrations (the tasks run from Inspect AI and
lm-evaluation-harness, and their logs imported back). `cli/` is a thin layer over them;
`export/` writes the gold (and an lm-eval task folder) for other tools; `about.py`, `errors.py`, `atomic.py`, `safejson.py` and
`progress.py` are small modules every stage shares. docs/architecture.md is the map.

Importing this package is cheap: heavy libraries load only inside the functions
that need them, so `bench --help` stays fast.
"""

from bench.about import BENCHMARK_NAME, __version__

__all__ = ["BENCHMARK_NAME", "__version__", "load_dataset"]


def load_dataset(name: str | None = None, root=None):
    """A configuration of the benchmark as a `datasets.DatasetDict` with one split, `test`.

    `name`: `ner` (conll2003-shaped sentences), `casualties`, `non_casualty`,
    `attribution` or `documents`; see `bench.export`. Needs the `[hf]` extra; `datasets`
    is imported only here, so `import bench` stays cheap. Offline.
    """
    from bench.export.hf import load_dataset as _load_dataset

    return _load_dataset(name, root)
