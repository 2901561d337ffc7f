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

The public API for writing a system (`bench eval package.module:factory`), each loaded
on first use from the stage that owns it: `System` and `DocumentPrediction`
(`bench.systems.base`), `Document` (`bench.documents.corpus`), `TaskName`
(`bench.tasks.registry`: a `str` enum, `TaskName.NER == "ner"`; tasks are plain strings
everywhere) and `PredictedMention` (`bench.tasks.ner.types`, one NER mention).
"""

from bench.about import BENCHMARK_NAME, __version__

_LAZY = ("Document", "DocumentPrediction", "PredictedMention", "System", "TaskName")

__all__ = ["BENCHMARK_NAME", "__version__", "load_dataset", *_LAZY]


def __getattr__(name: str) -> object:
    # The system-writing API, imported on first use so that `import bench` stays cheap.
    if name in ("System", "DocumentPrediction"):
        from bench.systems import base

        return getattr(base, name)
    if name == "Document":
        from bench.documents.corpus import Document

        return Document
    if name == "TaskName":
        from bench.tasks.registry import TaskName

        return TaskName
    if name == "PredictedMention":
        from bench.tasks.ner.types import PredictedMention

        return PredictedMention
    raise AttributeError(f"module 'bench' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


def load_dataset(name: str | None = None, root=None):
    """A configuration of the benchmark as a `datasets.DatasetDict` with one split, `test`.

    `name`: `ner` (conll2003-shaped sentences), `casualties`, `non_casualty`,
    `attribution` or `documents`; see `bench.export`. Needs the `[hf]` extra; `datasets`
    is imported only here, so `import bench` stays cheap. Offline.
    """
    from bench.export.hf import load_dataset as _load_dataset

    return _load_dataset(name, root)
