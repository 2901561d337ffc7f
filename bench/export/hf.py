"""The export as Hugging Face `datasets`: features per configuration, `load_dataset`, `save_to_disk`.

`datasets` is optional (the `[hf]` extra) and is imported only inside these functions,
so `import bench` and `bench --help` never load it. Without it, a one-line `BenchError`
says how to install it.

Each configuration is a `DatasetDict` with one split, `test`. The features mirror
conll2003 for `ner` (`tokens` a sequence of strings, `ner_tags` a sequence of
`ClassLabel` over `NER_TAG_NAMES`) and the gold's own nested shape for the records
(structs for spans, `None` where the gold has null). Enumerated fields other than
`ner_tags` (outcome, kind, mode, ...) stay strings, readable as they are in the gold.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from bench.atomic import atomic_folder
from bench.errors import BenchError
from bench.export.tables import NER_TAG_NAMES, SPLIT, Config, Tables, build_tables

INSTALL_HINT = "pip install torch==2.13.0 && pip install '.[hf]'"


def import_datasets() -> Any:
    try:
        import datasets
    except ImportError:
        raise BenchError(f"the Hugging Face export needs the `datasets` package; install it with: {INSTALL_HINT}") from None
    return datasets


def features(config: Config) -> Any:
    """The `datasets.Features` of one configuration."""
    d = import_datasets()
    string, int32 = d.Value("string"), d.Value("int32")
    span = {"start": int32, "end": int32, "text": string}
    argument = {**span, "entity": string}
    record = {"id": string, "doc_id": string, "sentence": int32}
    if config is Config.DOCUMENTS:
        names = ("doc_id", "text", "sha256", "outlet", "headline", "date", "date_as_written", "byline", "notes")
        return d.Features({name: string for name in names})
    if config is Config.NER:
        return d.Features(
            {
                **record,
                "start": int32,
                "end": int32,
                "text": string,
                "tokens": d.Sequence(string),
                "token_starts": d.Sequence(int32),
                "token_ends": d.Sequence(int32),
                "ner_tags": d.Sequence(d.ClassLabel(names=list(NER_TAG_NAMES))),
                "mentions": [{"id": string, "start": int32, "end": int32, "text": string, "label": string, "entity": string}],
            }
        )
    if config is Config.CASUALTIES:
        quantity = {**span, "kind": string, "low": int32, "high": int32, "point": int32, "qualifier": string, "vague_term": string}
        return d.Features(
            {
                **record,
                "quantity": quantity,
                "outcome": string,
                "unit": string,
                "victim": {"span": span, "category": string, "category_alternatives": d.Sequence(string)},
                "perpetrator": argument,
                "location": argument,
                "time": argument,
                "in_headline": d.Value("bool"),
                "attribution": string,
                "note": string,
            }
        )
    if config is Config.NON_CASUALTY:
        return d.Features({**record, **span, "kind": string})
    source = {"span": span, "type": string, "entity": string, "head": string}
    return d.Features(
        {
            **record,
            "source": source,
            "cue": span,
            "content": [span],  # a list of structs (not a struct of lists)
            "mode": string,
            "parent": string,
            "coverage": string,
            "figures": d.Sequence(string),
            "note": string,
        }
    )


def to_dataset_dict(tables: Tables, config: Config) -> Any:
    """One configuration's rows as a `DatasetDict` with the single split `test`."""
    d = import_datasets()
    dataset = d.Dataset.from_list(tables.rows[config], features=features(config), split=d.Split(SPLIT))
    return d.DatasetDict({SPLIT: dataset})


def load_dataset(name: Config | str = Config.NER, root: Path | None = None) -> Any:
    """A configuration of the benchmark (`ner`, `casualties`, `non_casualty`, `attribution`
    or `documents`) as a `datasets.DatasetDict` with one split, `test`; built in memory
    from the gold, offline. `root`: a benchmark tree other than the installed data."""
    from bench.documents.corpus import load_corpus

    try:
        config = Config(str(name))
    except ValueError:
        known = ", ".join(c.value for c in Config)
        raise BenchError(f"unknown configuration {str(name)!r}; configurations: {known}") from None
    import_datasets()
    corpus = load_corpus(root)
    return to_dataset_dict(build_tables(corpus, [config]), config)


def write_hf(tables: Tables, out_dir: Path) -> dict[Config, str]:
    """`save_to_disk` each configuration to `out_dir/<config>/`; returns config -> folder name."""
    d = import_datasets()
    quiet = not d.is_progress_bar_enabled()
    d.disable_progress_bars()
    try:
        written = {}
        for config in tables.rows:
            with atomic_folder(out_dir / config.value) as folder:  # whole or not at all
                to_dataset_dict(tables, config).save_to_disk(str(folder))
            written[config] = config.value
        return written
    finally:
        if not quiet:
            d.enable_progress_bars()
