"""Writing an export: pick the tables for the tasks, check the folder, call the format's
writer, and record what was written in `DIR/manifest.json`.

This is the function behind `bench export`; the CLI only parses options and prints the
summary. The `lm-eval` format writes no gold tables but a task folder for
lm-evaluation-harness (`bench/export/lmeval.py`), through the same checks and manifest. Everything that can go wrong with the input (an unknown format, a task the
format cannot hold, a non-empty folder without `force`, a missing `datasets`, bad gold)
raises a `BenchError` before anything is written. Each file is written whole or not at
all (`bench.atomic`), the manifest last, and only then are an earlier export's files
that this one did not write removed: an export that fails part-way (a full disk) is one
line and leaves the earlier export's files, `manifest.json` included, as they were.
The `hf` format also writes Parquet data files (`data/`) and the dataset card
(`README.md`, `bench.export.card`); both are an export's own files, so `--force`
replaces them (a `README.md` of your own in the folder included).
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Callable, Iterable, Mapping

from bench.atomic import write_json
from bench.documents.corpus import load_corpus
from bench.errors import BenchError, OutputError
from bench.export.tables import DOCUMENTS, SPLIT, Tables, build_tables, configs_for, task_tables

MANIFEST = "manifest.json"


class ExportFormat(str, Enum):
    HF = "hf"  # datasets.DatasetDict.save_to_disk, one folder per configuration
    CONLL = "conll"  # CoNLL-2003 columns: the tables of token rows with tags (NER's)
    JSONL = "jsonl"  # one JSON object per row, one file per configuration
    LMEVAL = "lm-eval"  # a task folder for lm-evaluation-harness: a YAML file per task, one module (not the gold)

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: per configuration, its path under `out_dir` and its row count."""

    format: ExportFormat
    out_dir: Path
    paths: Mapping[str, str]
    rows: Mapping[str, int]


def _writer(fmt: ExportFormat) -> Callable[[Tables, Path], dict[str, str]]:
    if fmt is ExportFormat.HF:
        from bench.export.hf import write_hf

        return write_hf
    if fmt is ExportFormat.CONLL:
        from bench.export.conll import write_conll

        return write_conll
    from bench.export.jsonl import write_jsonl

    return write_jsonl


def _configs(fmt: ExportFormat, tasks: tuple[str, ...]) -> tuple[str, ...]:
    from bench.tasks.registry import task_names

    if fmt is not ExportFormat.CONLL:
        return configs_for(tasks or task_names())
    from bench.export.conll import tagged_tables

    tagged = tagged_tables()
    holding = {task.name for name, (task, _) in task_tables().items() if name in tagged}
    others = [t for t in tasks if t not in holding]
    if others:
        raise BenchError(f"the conll format holds token tags only ({', '.join(sorted(holding))}), not {', '.join(others)}; export those with --format jsonl or hf")
    return tuple(name for name in tagged if not tasks or task_tables()[name][0].name in tasks)


def _owned_paths(out_dir: Path) -> list[Path]:
    """Every path any export writes into a folder (what --force replaces; nothing else is touched)."""
    from bench.export.conll import file_name, tagged_tables

    from bench.export.card import CARD
    from bench.export.hf import DATA
    from bench.export.lmeval import MODULE, task_file
    from bench.tasks.registry import task_names

    configs = [DOCUMENTS, *task_tables()]
    names = [MANIFEST, CARD, DATA, *(file_name(t) for t in tagged_tables())] + [n for c in configs for n in (c, f"{c}.jsonl")]
    names += [MODULE, *(task_file(t) for t in task_names())]
    return [out_dir / name for name in names]


def _prepare(out_dir: Path, force: bool) -> None:
    if out_dir.exists() and not out_dir.is_dir():
        raise BenchError(f"{out_dir} is not a folder")
    if out_dir.is_dir() and any(out_dir.iterdir()) and not force:
        raise BenchError(f"{out_dir} is not empty; pass --force to replace an earlier export there")


def _clear_stale(out_dir: Path, written: set[str]) -> None:
    """Remove what an earlier export wrote and this one did not (another format or task)."""
    for path in _owned_paths(out_dir):
        if path.name in written:
            continue
        try:
            if path.is_dir() and not path.is_symlink():
                shutil.rmtree(path)
            elif path.exists() or path.is_symlink():
                path.unlink()
        except OSError as exc:
            raise OutputError(f"{path}: cannot remove an earlier export's file: {exc.strerror or exc}") from None


def export(
    fmt: ExportFormat | str,
    out_dir: Path,
    tasks: Iterable[str] = (),
    *,
    root: Path | None = None,
    force: bool = False,
) -> ExportSummary:
    """Export the gold of `tasks` (default: all the format can hold) to `out_dir` in `fmt`.

    `force` writes into a non-empty folder, replacing only what an export writes there.
    """
    from bench.tasks.goldfiles import gold_fingerprint

    try:
        fmt = ExportFormat(str(fmt))
    except ValueError:
        raise BenchError(f"unknown export format {str(fmt)!r}; formats: {', '.join(f.value for f in ExportFormat)}") from None
    from bench.tasks.registry import get_task

    requested = tuple(str(t) for t in tasks)
    for name in requested:
        get_task(name)  # an unknown task: one line with a "did you mean"
    task_names = requested
    out_dir = Path(out_dir)
    if fmt is ExportFormat.LMEVAL:
        return _export_lmeval(out_dir, task_names, root, force)
    configs = _configs(fmt, task_names)
    _prepare(out_dir, force)
    if fmt is ExportFormat.HF:
        from bench.export.hf import import_datasets

        import_datasets()  # fail before writing anything
    corpus = load_corpus(root)
    tables = build_tables(corpus, configs)

    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the folder: {exc.strerror or exc}") from None
    paths = _writer(fmt)(tables, out_dir)  # each file replaced whole, or left as it was
    exported_tasks = list(dict.fromkeys(task.name for name, (task, _) in task_tables().items() if name in configs))
    gold = {t: dict(zip(("version", "sha256"), gold_fingerprint(corpus.root, t, corpus))) for t in exported_tasks}
    written = {MANIFEST, *paths.values()}
    data_files: dict[str, str] = {}
    if fmt is ExportFormat.HF:  # the Parquet data files and the dataset card, for datasets.load_dataset(DIR, CONFIG)
        from bench.export.card import CARD
        from bench.export.hf import DATA, write_card

        data_files = write_card(tables, corpus, out_dir, dict(paths), gold)
        written |= {DATA, CARD}
    tags = {table.tag_field: (list(table.tags) if name in configs else None) for name, (_, table) in task_tables().items() if table.tags}
    manifest = {
        "benchmark": _benchmark(),
        "format": fmt.value,
        "split": SPLIT,
        "documents": list(tables.documents),
        "gold": gold,
        **tags,
        "configurations": {c: {"path": paths[c], "rows": len(tables.rows[c]), **({"data_file": data_files[c]} if c in data_files else {})} for c in paths},
        **({"card": "README.md"} if data_files else {}),
    }
    write_json(out_dir / MANIFEST, manifest)  # atomically, like every file an export writes
    _clear_stale(out_dir, written)
    return ExportSummary(fmt, out_dir, paths, {c: len(tables.rows[c]) for c in paths})


def _export_lmeval(out_dir: Path, tasks: tuple[str, ...], root: Path | None, force: bool) -> ExportSummary:
    """The lm-eval task folder (bench/export/lmeval.py), with its manifest."""
    from bench.export.lmeval import MODULE, lmeval_tasks, write_lmeval

    chosen = lmeval_tasks(tasks)
    _prepare(out_dir, force)
    load_corpus(root)  # a bad tree fails before anything is written
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"{out_dir}: cannot create the folder: {exc.strerror or exc}") from None
    paths, rows = write_lmeval(chosen, out_dir, root)
    manifest = {
        "benchmark": _benchmark(),
        "format": ExportFormat.LMEVAL.value,
        "data": str(Path(root).resolve()) if root is not None else None,
        "module": MODULE,
        "configurations": {c: {"path": paths[c], "rows": rows[c]} for c in paths},
    }
    write_json(out_dir / MANIFEST, manifest)
    _clear_stale(out_dir, {MANIFEST, MODULE, *paths.values()})
    return ExportSummary(ExportFormat.LMEVAL, out_dir, paths, rows)


def _benchmark() -> dict[str, str]:
    from bench.about import BENCHMARK_NAME, __version__

    return {"name": BENCHMARK_NAME, "version": __version__}
