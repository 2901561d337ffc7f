"""The export as Hugging Face `datasets`: features per configuration, `load_dataset`, `save_to_disk`.

`datasets` is optional (the `[hf]` extra) and is imported only inside these functions,
so `import bench` and `bench --help` never load it. Without it, a one-line `BenchError`
says how to install it.

Each configuration is a `DatasetDict` with one split, `test`, written twice: a
`save_to_disk` folder (`DIR/<config>/`, for `datasets.load_from_disk`) and a Parquet data
file (`DIR/data/<config>/test.parquet`) that the dataset card's `configs:` block names
(`DIR/README.md`, `card.py`), for `datasets.load_dataset(DIR, CONFIG)`, which reads the
folder as the Hub would, offline. Each task's table says
its own features (`bench.tasks.exporting`): conll2003's shape for NER (`ner_tags` a
sequence of `ClassLabel`), the gold's own nested shape for records (structs for
spans, `None` where the gold has null; enumerated fields stay strings).
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from bench.atomic import atomic_folder
from bench.errors import BenchError
from bench.export.tables import DOCUMENTS, SPLIT, Tables, build_tables

INSTALL_HINT = "pip install torch==2.13.0 && pip install '.[hf]'"
DATA = "data"  # the Parquet data files the card's `configs:` block names


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
    with _quiet(d):
        written = {}
        for config in tables.rows:
            with atomic_folder(out_dir / config) as folder:  # whole or not at all
                to_dataset_dict(tables, config).save_to_disk(str(folder))
            written[config] = config
        return written


@contextmanager
def _quiet(d: Any) -> Iterator[None]:
    quiet = not d.is_progress_bar_enabled()
    d.disable_progress_bars()
    try:
        yield
    finally:
        if not quiet:
            d.enable_progress_bars()


def data_file(config: str) -> str:
    """Where a configuration's Parquet data file sits in the export (the card's `configs:` block names it)."""
    return f"{DATA}/{config}/{SPLIT}.parquet"


def write_data_files(tables: Tables, out_dir: Path) -> dict[str, str]:
    """Each configuration as Parquet under `out_dir/data/` (one folder, whole or not at all), with
    its features in the file's schema; returns config -> path relative to `out_dir`."""
    d = import_datasets()
    with _quiet(d), atomic_folder(out_dir / DATA) as folder:
        for config in tables.rows:
            target = folder / config / f"{SPLIT}.parquet"
            target.parent.mkdir()
            to_dataset_dict(tables, config)[SPLIT].to_parquet(str(target))
    return {config: data_file(config) for config in tables.rows}


def dataset_info(tables: Tables) -> list[dict[str, Any]]:
    """The card's `dataset_info`: each configuration's features and split size, as `datasets` writes them."""
    from datasets.info import DatasetInfo, DatasetInfosDict
    from datasets.splits import SplitDict, SplitInfo
    from huggingface_hub import DatasetCardData

    infos = {}
    for config, rows in tables.rows.items():
        splits = SplitDict()
        splits.add(SplitInfo(name=SPLIT, num_examples=len(rows)))
        infos[config] = DatasetInfo(features=features(config), splits=splits)
    card = DatasetCardData()
    DatasetInfosDict(infos).to_dataset_card_data(card)
    info = card.to_dict()["dataset_info"]
    return info if isinstance(info, list) else [info]


def write_card(tables: Tables, corpus: Any, out_dir: Path, folders: dict[str, str], gold: dict[str, dict[str, str]]) -> dict[str, str]:
    """The Parquet data files and the dataset card (`README.md`, `bench.export.card`) beside the
    `save_to_disk` folders; returns config -> data file."""
    from bench.atomic import write_text
    from bench.export.card import CARD, card_text, metadata
    from bench.export.tables import task_tables
    from bench.tasks.registry import get_task

    data_files = write_data_files(tables, out_dir)
    owners = {name: task.name for name, (task, _) in task_tables().items()}
    tasks = [get_task(name) for name in dict.fromkeys(owners[c] for c in tables.rows if c in owners)]
    rows = {config: len(r) for config, r in tables.rows.items()}
    front = metadata(tasks, data_files, rows, dataset_info(tables))
    listed = {config: (owners.get(config, ""), n) for config, n in rows.items()}
    write_text(out_dir / CARD, card_text(corpus, tasks, listed, folders, gold, front))
    return data_files
