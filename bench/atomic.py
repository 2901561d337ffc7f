"""Writing files whole or not at all: every file `bench` writes goes through here.

A file is written to a temporary file in the same folder (`.NAME.PID.tmp`), flushed to
disk, then renamed over the target, which is atomic on POSIX and Windows. A run that
fails or is interrupted half-way (an exception, Ctrl-C) removes the temporary file, so
the target is either the old file, untouched, or the complete new one. Text is
encoded as strict UTF-8 before the target is touched: a string that cannot be encoded
(a lone surrogate) fails the write, as one `BenchError` line, instead of leaving
invalid bytes. Any `OSError` on the way (a folder where the file should go, a
read-only folder, a full disk) is one `OutputError` line naming the file, and the old
file is left as it was.

Used by `--out`, `--save-predictions`, `bench leaderboard`, `bench export` (files, and
the `hf` format's folders through `atomic_folder`), `bench report` and the prediction cache.

Where it sits: shared infrastructure at the top of `bench/`, like `bench/errors.py`.
"""

from __future__ import annotations

import errno
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, Iterator

from bench.errors import BenchError, OutputError


def _temporary(path: Path) -> Path:
    return path.with_name(f".{path.name}.{os.getpid()}.tmp")


def _unwritable(path: Path, exc: OSError) -> OutputError:
    reason = exc.strerror or type(exc).__name__
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        reason += " (the disk is full)"
    return OutputError(f"{path}: cannot write: {reason}; the file that was there is left as it was")


def _parent(path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _unwritable(path, exc) from None


@contextmanager
def atomic_open(path: Path) -> Iterator[IO[str]]:
    """A text handle (strict UTF-8, `\\n` line ends) whose content replaces `path` only
    when the block ends without an exception."""
    path = Path(path)
    _parent(path)
    tmp = _temporary(path)
    try:
        with tmp.open("w", encoding="utf-8", errors="strict", newline="\n") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException as exc:
        _discard(tmp)
        if isinstance(exc, UnicodeEncodeError):
            raise _unencodable(path, exc) from None
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


def _discard(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:  # a read-only folder: there is no temporary file to remove
        pass


def _unencodable(path: Path, exc: UnicodeEncodeError) -> BenchError:
    bad = exc.object[exc.start : exc.end].encode("utf-8", "backslashreplace").decode("ascii", "backslashreplace")
    return BenchError(f"{path}: not written: it would hold {bad}, which is no character UTF-8 can encode (a lone surrogate)")


def write_text(path: Path, text: str, *, max_bytes: int | None = None) -> None:
    """Replace `path` with `text` atomically; refused (one line, nothing written) when its
    UTF-8 would take more than `max_bytes`."""
    path = Path(path)
    try:
        data = text.encode("utf-8")  # fails here, before any file exists, on unencodable text
    except UnicodeEncodeError as exc:
        raise _unencodable(path, exc) from None
    if max_bytes is not None and len(data) > max_bytes:
        raise OutputError(f"{path}: not written: it would take {len(data):,} bytes, more than the {max_bytes:,} its readers accept")
    write_bytes(path, data)


def write_bytes(path: Path, data: bytes) -> None:
    """Replace `path` with `data` atomically."""
    path = Path(path)
    _parent(path)
    tmp = _temporary(path)
    try:
        with tmp.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.replace(path)
    except BaseException as exc:
        _discard(tmp)
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


@contextmanager
def atomic_folder(path: Path) -> Iterator[Path]:
    """A temporary folder that becomes `path` (replacing it) only when the block ends
    without an exception; for writers that fill a folder (`datasets.save_to_disk`)."""
    import shutil

    path = Path(path)
    _parent(path)
    tmp = _temporary(path)
    old = path.with_name(f".{path.name}.{os.getpid()}.old")  # the folder replaced, until the new one is in place
    try:
        tmp.mkdir()
        yield tmp
        if path.is_dir() and not path.is_symlink():
            path.replace(old)
        try:
            tmp.replace(path)
        except BaseException:
            if old.is_dir():
                old.replace(path)
            raise
        shutil.rmtree(old, ignore_errors=True)
    except BaseException as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        if isinstance(exc, OSError):
            raise _unwritable(path, exc) from None
        raise


def write_json(path: Path, payload: Any, *, indent: int | None = 2, max_bytes: int | None = None) -> None:
    """Replace `path` with `payload` as JSON (UTF-8, a final newline) atomically."""
    if indent is None:
        text = json.dumps(payload, ensure_ascii=False, allow_nan=False)
    else:
        from bench import prettyjson  # json.dumps(indent=...) itself, with the C encoder: seconds less on large records

        text = prettyjson.dumps(payload, indent)
    write_text(path, text + "\n", max_bytes=max_bytes)
