"""The export as Hugging Face `datasets`: features per configuration, `load_dataset`, `save_to_disk`.

`datasets` is optional (the `[hf]` extra) and is imported only inside these functions,
so `import bench` and `bench --help` never load it. Without it, a one-line `BenchError`
says how to install it.

Each configuration is a `DatasetDict` with one split, `test`. Each task's table says
its own features (`bench.tasks.exporting`): conll2003's shape for NER (`ner_tags` a
sequence of `ClassLabel`), the gold's own nested shape for records (structs for
spans, `None` where the gold has null; enumerated fields stay strings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.atomic import atomic_folder
from bench.errors import BenchError
from bench.export.tables import DOCUMENTS, SPLIT, Tables, build_tables

INSTALL_HINT = "pip install torch==2.13.0 && pip install '.[hf]'"


def import_datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise BenchError(f"the Hugging Face export needs the `datasets` package; install it with: {INSTALL_HINT}") from None
    return datasets


def features(config: str) -> Any:
    """The `datasets.Features` of one configuration: the articles' here, a task table's its own."""
    from bench.export.tables import task_tables

    d = import_datasets()
    if config == DOCUMENTS:
        names = ("doc_id", "text", "sha256", "outlet", "headline", "date", "date_as_written", "byline", "notes", "source_url")
        string = d.Value("string")
        return d.Features({**{name: string for name in names}, "copyright": {"status": string, "holder": string, "notice": string}})
    return task_tables()[config][1].features(d)


def to_dataset_dict(tables: Tables, config: str) -> Any:
    """One configuration's rows as a `DatasetDict` with the single split `test`."""
    d = import_datasets()
    dataset = d.Dataset.from_list(tables.rows[config], features=features(config), split=d.Split(SPLIT))
    return d.DatasetDict({SPLIT: dataset})


def load_dataset(name: str | None = None, root: Path | None = None) -> Any:
    """A configuration of the benchmark (a task's table, or `documents`; default: the first
    task's first table) as a `datasets.DatasetDict` with one split, `test`; built in memory
    from the gold, offline. `root`: a benchmark tree other than the installed data."""
    from bench.documents.corpus import load_corpus
    from bench.export.tables import task_tables

    known = [*task_tables(), DOCUMENTS]
    config = str(name) if name is not None else known[0]
    if config not in known:
        raise BenchError(f"unknown configuration {config!r}; configurations: {', '.join(known)}")
    import_datasets()
    corpus = load_corpus(root)
    return to_dataset_dict(build_tables(corpus, [config]), config)


def write_hf(tables: Tables, out_dir: Path) -> dict[str, str]:
    """`save_to_disk` each configuration to `out_dir/<config>/`; returns config -> folder name."""
    d = import_datasets()
    quiet = not d.is_progress_bar_enabled()
    d.disable_progress_bars()
    try:
        written = {}
        for config in tables.rows:
            with atomic_folder(out_dir / config) as folder:  # whole or not at all
                to_dataset_dict(tables, config).save_to_disk(str(folder))
            written[config] = config
        return written
    finally:
        if not quiet:
            d.enable_progress_bars()
