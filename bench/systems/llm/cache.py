"""The prediction cache: a model's raw answers, keyed by everything that shapes them.

The key is the sha256 of: the system spec, the model identity (the GGUF file's sha256,
or the endpoint's model name and URL), the task and its prompt template hash, the
document's sha256, and the decoding parameters (and the response format asked for).
Change any of them and the entry is not reused. Raw answers are stored, not parsed
ones, so a repeated run re-parses them with the current code: an answer that failed to
parse fails the same way when it comes from the cache, and is counted the same.

Each entry is one small JSON file `<key[:2]>/<key>.json` holding the key's parts, the
answer text and the finish reason, written atomically (`bench.atomic`) as soon as its
answer arrives, so an interrupted run keeps everything that finished. Text is stored
with ASCII escapes, so an answer holding a lone surrogate is kept as it came and the
file is still valid UTF-8. A file that cannot be read back (truncated, not JSON, the
wrong shape) is a miss with a warning on stderr: the model is asked again and the
entry rewritten. The location is the platform's user cache folder
(`$XDG_CACHE_HOME/syria-coast-ie/predictions` on Linux, usually `~/.cache/...`), or
`BENCH_CACHE_DIR` when set. `bench cache list`, `remove` and `clear` manage it, and
touch only what the cache writes: files named `<64 hex digits>.json` in a folder named
by their first two digits (and the temporary files of interrupted writes beside them).
Anything else in the folder (another program's files, when `BENCH_CACHE_DIR` points at
a shared folder) is never listed, read or deleted.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping

from bench import atomic, safejson
from bench.about import BENCHMARK_NAME
from bench.errors import OutputError, printable
from bench.paths import read_regular

CACHE_FORMAT = 1
_SHARD = re.compile(r"[0-9a-f]{2}")
_ENTRY = re.compile(r"[0-9a-f]{64}\.json")
_TEMPORARY = re.compile(r"\.[0-9a-f]{64}\.json\.[0-9]+\.tmp")  # bench.atomic's, left by a killed write
_LIMITS = safejson.Limits(max_depth=16)  # an entry nests 3 levels; answers are kept as strings


def default_cache_dir() -> Path:
    if os.environ.get("BENCH_CACHE_DIR"):
        return Path(os.environ["BENCH_CACHE_DIR"])
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(BENCHMARK_NAME)) / "predictions"


def cache_key(parts: dict[str, Any]) -> str:
    canonical = json.dumps({"format": CACHE_FORMAT, **parts}, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class CachedAnswer:
    text: str
    finish_reason: str | None
    response_format: str | None = None  # the form sent for it; None in entries written before it was kept


@dataclass(frozen=True)
class Entry:
    """One cached answer as `bench cache list` shows it."""

    path: Path
    parts: Mapping[str, Any]  # the key's parts: system, model, task, document_sha256, ...
    size: int  # bytes on disk

    def matches(self, system: str | None, task: str | None, document_sha256: str | None) -> bool:
        return (
            (system is None or self.parts.get("system") == system)
            and (task is None or self.parts.get("task") == task)
            and (document_sha256 is None or self.parts.get("document_sha256") == document_sha256)
        )


_STDERR_LOCK = threading.Lock()


def _warn_stderr(message: str) -> None:
    # Requests run on threads: one locked write per line, so two warnings never share a line.
    with _STDERR_LOCK:
        sys.stderr.write(f"bench: warning: {printable(message)}\n")
        sys.stderr.flush()


def _read_entry(path: Path) -> dict[str, Any]:
    """An entry file's JSON; ValueError (with a one-line reason) when it is damaged."""
    try:
        raw = safejson.loads(read_regular(path), _LIMITS, check_text=False)  # a regular file only
    except safejson.UnsafeJSON as exc:
        raise ValueError(exc.problem) from None
    if not isinstance(raw, dict) or not isinstance(raw.get("text"), str) or not isinstance(raw.get("key", {}), dict):
        raise ValueError("not a cache entry (expected an object with a text string)")
    if not isinstance(raw.get("finish_reason"), (str, type(None))):
        raise ValueError("not a cache entry (finish_reason is not a string)")
    return raw


class PredictionCache:
    def __init__(self, directory: Path | None = None, warn: Callable[[str], None] = _warn_stderr) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()
        self.warn = warn

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedAnswer | None:
        """The cached answer, or None: absent, or damaged (then with a warning)."""
        path = self._path(key)
        try:
            raw = _read_entry(path)
        except FileNotFoundError:
            return None
        except OSError as exc:
            self.warn(f"{path}: cannot read the cached answer ({exc.strerror}); asking the model again")
            return None
        except ValueError as exc:
            self.warn(f"{path}: damaged cache entry ({exc}); asking the model again")
            return None
        sent = raw.get("response_format")
        return CachedAnswer(raw["text"], raw.get("finish_reason"), sent if isinstance(sent, str) else None)

    def put(self, key: str, answer: CachedAnswer, parts: dict[str, Any]) -> None:
        payload = {"key": parts, "text": answer.text, "finish_reason": answer.finish_reason}
        if answer.response_format is not None:
            payload["response_format"] = answer.response_format
        atomic.write_text(self._path(key), json.dumps(payload, ensure_ascii=True))  # ASCII: surrogates survive

    def _shards(self) -> Iterator[Path]:
        """The cache's own sub-folders (`00` ... `ff`), never a link to elsewhere."""
        if self.directory.is_dir():
            for shard in sorted(self.directory.iterdir()):
                if _SHARD.fullmatch(shard.name) and shard.is_dir() and not shard.is_symlink():
                    yield shard

    def _files(self) -> Iterator[Path]:
        """The entry files, by the cache's own layout: `<key[:2]>/<key>.json`."""
        for shard in self._shards():
            for path in sorted(shard.iterdir()):
                if _ENTRY.fullmatch(path.name) and path.name.startswith(shard.name):
                    yield path

    def entries(self) -> int:
        return sum(1 for _ in self._files())

    def list(self, system: str | None = None, task: str | None = None, document_sha256: str | None = None) -> list[Entry]:
        """The entries whose key matches every filter given; damaged files are warned about and left out."""
        found = []
        for path in self._files():
            try:
                raw = _read_entry(path)
                size = path.stat().st_size
            except (OSError, ValueError) as exc:
                self.warn(f"{path}: damaged cache entry ({getattr(exc, 'strerror', None) or exc}); `bench cache clear` removes it")
                continue
            entry = Entry(path, raw.get("key", {}), size)
            if entry.matches(system, task, document_sha256):
                found.append(entry)
        return found

    def remove(self, system: str | None = None, task: str | None = None, document_sha256: str | None = None) -> int:
        """Remove the entries that match every filter given; returns how many."""
        entries = self.list(system, task, document_sha256)
        for entry in entries:
            _delete(entry.path)
        return len(entries)

    def clear(self) -> int:
        """Remove every entry (and temporary files of interrupted writes), then the
        sub-folders they leave empty; nothing else. Returns how many entries there were."""
        count = 0
        for shard in self._shards():
            for path in shard.iterdir():
                ours = _ENTRY.fullmatch(path.name) and path.name.startswith(shard.name)
                if ours or _TEMPORARY.fullmatch(path.name):
                    _delete(path)
                    count += bool(ours)
            try:
                shard.rmdir()  # only when empty: another program's file keeps it
            except OSError:
                pass
        return count


def _delete(path: Path) -> None:
    try:
        path.unlink(missing_ok=True)
    except OSError as exc:
        raise OutputError(f"{path}: cannot delete the cached answer: {exc.strerror or exc}") from None
