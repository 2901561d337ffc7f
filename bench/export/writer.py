"""Writing an export: pick the tables for the tasks, check the folder, call the format's
writer, and record what was written in `DIR/manifest.json`.

This is the function behind `bench export`; the CLI only parses options and prints the
summary. Everything that can go wrong with the input (an unknown format, a task the
format cannot hold, a non-empty folder without `force`, a missing `datasets`, bad gold)
raises a `BenchError` before anything is written. Each file is written whole or not at
all (`bench.atomic`), the manifest last, and only then are an earlier export's files
that this one did not write removed: an export that fails part-way (a full disk) is one
line and leaves the earlier export's files, `manifest.json` included, as they were.
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
from bench.export.tables import NER_TAG_NAMES, SPLIT, TASK_CONFIGS, Config, Tables, build_tables, configs_for
from bench.tasks.base import TaskName

MANIFEST = "manifest.json"


class ExportFormat(str, Enum):
    HF = "hf"  # datasets.DatasetDict.save_to_disk, one folder per configuration
    CONLL = "conll"  # CoNLL-2003 columns, NER only
    JSONL = "jsonl"  # one JSON object per row, one file per configuration

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True)
class ExportSummary:
    """What an export wrote: per configuration, its path under `out_dir` and its row count."""

    format: ExportFormat
    out_dir: Path
    paths: Mapping[Config, str]
    rows: Mapping[Config, int]


def _writer(fmt: ExportFormat) -> Callable[[Tables, Path], dict[Config, str]]:
    if fmt is ExportFormat.HF:
        from bench.export.hf import write_hf

        return write_hf
    if fmt is ExportFormat.CONLL:
        from bench.export.conll import write_conll

        return write_conll
    from bench.export.jsonl import write_jsonl

    return write_jsonl


def _configs(fmt: ExportFormat, tasks: Iterable[TaskName]) -> tuple[Config, ...]:
    tasks = tuple(tasks)
    if fmt is not ExportFormat.CONLL:
        return configs_for(tasks or tuple(TaskName))
    others = [t.value for t in tasks if t is not TaskName.NER]
    if others:
        raise BenchError(f"the conll format holds NER tags only, not {', '.join(others)}; export those with --format jsonl or hf")
    return (Config.NER,)


def _owned_paths(out_dir: Path) -> list[Path]:
    """Every path any export writes into a folder (what --force replaces; nothing else is touched)."""
    from bench.export.conll import FILE

    names = [MANIFEST, FILE] + [n for c in Config for n in (c.value, f"{c.value}.jsonl")]
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
    tasks: Iterable[TaskName | str] = (),
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
    known = {t.value: t for t in TaskName}
    requested = [str(t) for t in tasks]
    unknown = [t for t in requested if t not in known]
    if unknown:
        raise BenchError(f"unknown task {unknown[0]!r}; tasks: {', '.join(known)}")
    task_names = tuple(known[t] for t in requested)
    out_dir = Path(out_dir)
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
    exported_tasks = [t for t in TaskName if any(c in configs for c in TASK_CONFIGS[t])]
    manifest = {
        "benchmark": _benchmark(),
        "format": fmt.value,
        "split": SPLIT,
        "documents": list(tables.documents),
        "gold": {t.value: dict(zip(("version", "sha256"), gold_fingerprint(corpus.root, t.value, corpus))) for t in exported_tasks},
        "ner_tags": list(NER_TAG_NAMES) if Config.NER in configs else None,
        "configurations": {c.value: {"path": paths[c], "rows": len(tables.rows[c])} for c in paths},
    }
    write_json(out_dir / MANIFEST, manifest)  # atomically, like every file an export writes
    _clear_stale(out_dir, {MANIFEST, *paths.values()})
    return ExportSummary(fmt, out_dir, paths, {c: len(tables.rows[c]) for c in paths})


def _benchmark() -> dict[str, str]:
    from bench import BENCHMARK_NAME, __version__

    return {"name": BENCHMARK_NAME, "version": __version__}
