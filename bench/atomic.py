"""Writing files whole or not at all: every file `bench` writes goes through here.

A file is written to a temporary file in the same folder (`.NAME.PID.tmp`), flushed to
disk, then renamed over the target, which is atomic on POSIX and Windows. A run that
fails or is interrupted half-way (an exception, Ctrl-C) removes the temporary file, so
the target is either the old file, untouched, or the complete new one. Text is
encoded as strict UTF-8 before the target is touched: a string that cannot be encoded
(a lone surrogate) fails the write, as one `BenchError` line, instead of leaving
invalid bytes.

Used by `--out`, `--save-predictions`, `bench leaderboard`, `bench export` (files, and
the `hf` format's folders through `atomic_folder`), `bench report` and the prediction cache.

Where it sits: shared infrastructure at the top of `bench/`, like `bench/errors.py`.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from bench.errors import BenchError


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


@contextmanager
def atomic_open(path: Path) -> Iterator[IO[str]]:
    """A text handle (strict UTF-8, `\\n` line ends) whose content replaces `path` only
    when the block ends without an exception."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        with tmp.open("w", encoding="utf-8", errors="strict", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException as exc:
        tmp.unlink(missing_ok=True)
        if isinstance(exc, UnicodeEncodeError):
            raise _unencodable(path, exc) from None
        raise


def _unencodable(path: Path, exc: UnicodeEncodeError) -> BenchError:
    bad = exc.object[exc.start : exc.end].encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    return BenchError(f"{path}: not written: it would hold {bad}, which is no character UTF-8 can encode (a lone surrogate)")


def write_text(path: Path, text: str) -> None:
    """Replace `path` with `text` atomically."""
    path = Path(path)
    try:
        data = text.encode("utf-8")  # fails here, before any file exists, on unencodable text
    except UnicodeEncodeError as exc:
        raise _unencodable(path, exc) from None
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder that becomes `path` (replacing it) only when the block ends
    without an exception; for writers that fill a folder (`datasets.save_to_disk`)."""
    import shutil

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(path)
    try:
        tmp.mkdir()
        yield tmp
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        tmp.replace(path)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def write_json(path: Path, payload: Any, *, indent: int | None = 2) -> None:
    """Replace `path` with `payload` as JSON (UTF-8, a final newline) atomically."""
    write_text(path, json.dumps(payload, indent=indent, ensure_ascii=False, allow_nan=False) + "\n")
