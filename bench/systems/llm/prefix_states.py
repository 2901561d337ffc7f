"""Evaluated prompt prefixes of the llama.cpp backend, kept for later prompts and runs.

Where it sits: stage 3, the LLM adapter's llama.cpp backend (`local.py`), beside the
prediction cache (`cache.py`). Every prompt of a task starts with the same few hundred
tokens (the instructions and the worked examples: 724 of SmolLM2's ~770 for NER).
llama-cpp-python reuses them between consecutive prompts of one task, but a run that
moves to the next task, or to the next document's first task, and every new run,
evaluates them again. This store keeps the model's state after a prefix (llama.cpp's
per-sequence state: the key/value cache of those tokens, about 23 kB a token for
SmolLM2) in memory for the run and, when the prediction cache is on, on disk for later
runs, in the cache's folder (`<cache>/llama-states/<key>.state`).

The key is the sha256 (made like the prediction cache's) of the model identity (the
GGUF file's sha256), the llama-cpp-python version, llama.cpp's CPU feature line and the
prefix tokens themselves: change the model, the library, the machine's kernels or one
token of the template and the state is not reused. A file is a JSON header line (the
key's parts, the tokens, the state's size and sha256) and the state's bytes; one that
does not match its header, its key or the tokens asked for (truncated, edited, another
program's) is a miss with a warning, and is rewritten. The folder is bounded
(`MAX_DISK_BYTES`): the least recently used states are removed first. `bench cache
clear` removes them with the answers.

Restoring a state gives the same key/value cache, byte for byte, as evaluating the
prefix again (llama.cpp's CPU kernels compute each token's row alike whatever the batch
it comes in; `tests/test_llm_real.py` checks answers with and without it).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections import OrderedDict
from pathlib import Path
from typing import Any, Callable, Sequence

from bench import atomic, safejson
from bench.paths import open_regular

STATE_FORMAT = 1
STATES_FOLDER = "llama-states"
STATE_FILE = re.compile(r"[0-9a-f]{64}\.state")
MAX_DISK_BYTES = 512 * 1024 * 1024  # about 30 task prefixes of SmolLM2
MAX_MEMORY_BYTES = 256 * 1024 * 1024
MIN_PREFIX_TOKENS = 64  # shorter shared prefixes are evaluated again, not stored
_MAX_HEADER = 1024 * 1024  # the token list of an 8,192-token context is ~50 kB
_LIMITS = safejson.Limits(max_depth=8)


def tokens_sha256(tokens: Sequence[int]) -> str:
    return hashlib.sha256(",".join(map(str, tokens)).encode("ascii")).hexdigest()


class PrefixStates:
    """States of evaluated prefixes: the run's in memory, every run's in `directory`."""

    def __init__(self, identity: dict[str, Any], directory: Path | None, warn: Callable[[str], None], *, max_disk_bytes: int = MAX_DISK_BYTES, max_memory_bytes: int = MAX_MEMORY_BYTES) -> None:
        self.identity = dict(identity)  # model, library version, CPU features
        self.directory = Path(directory) if directory is not None else None
        self.warn = warn
        self.max_disk_bytes = max_disk_bytes
        self.max_memory_bytes = max_memory_bytes
        self._memory: OrderedDict[str, tuple[tuple[int, ...], bytes]] = OrderedDict()
        self.hits = {"memory": 0, "disk": 0}
        self.stored = 0

    def _parts(self, tokens: Sequence[int]) -> dict[str, Any]:
        return {"kind": "llama.cpp prompt prefix state", "state_format": STATE_FORMAT, **self.identity, "n_tokens": len(tokens), "tokens_sha256": tokens_sha256(tokens)}

    def key(self, tokens: Sequence[int]) -> str:
        from bench.systems.llm.cache import cache_key

        return cache_key(self._parts(tokens))

    def _path(self, key: str) -> Path:
        assert self.directory is not None
        return self.directory / f"{key}.state"

    def get(self, tokens: Sequence[int]) -> bytes | None:
        """The state after `tokens`, or None (absent, or damaged: then with a warning)."""
        tokens = tuple(tokens)
        key = self.key(tokens)
        if key in self._memory and self._memory[key][0] == tokens:
            self._memory.move_to_end(key)
            self.hits["memory"] += 1
            return self._memory[key][1]
        if self.directory is None:
            return None
        path = self._path(key)
        if self.directory.is_symlink():
            return None
        try:
            blob = self._read(path, key, tokens)
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            self.warn(f"{path}: unusable prompt-prefix state ({getattr(exc, 'strerror', None) or exc}); evaluating the prefix again")
            return None
        try:
            os.utime(path)  # recently used: evicted last
        except OSError:
            pass
        self.hits["disk"] += 1
        self._remember(key, tokens, blob)
        return blob

    def _read(self, path: Path, key: str, tokens: tuple[int, ...]) -> bytes:
        if path.is_symlink():
            raise ValueError("a symbolic link, not a state this cache wrote")
        with open_regular(path) as handle:
            line = handle.readline(_MAX_HEADER + 1)
            if not line.endswith(b"\n"):
                raise ValueError("no header line")
            try:
                header = safejson.loads(line, _LIMITS)
            except safejson.UnsafeJSON as exc:
                raise ValueError(f"header: {exc.problem}") from None
            if not isinstance(header, dict) or header.get("key") != self._parts(tokens) or header.get("tokens") != list(tokens):
                raise ValueError("its header is not this prefix's")
            size, digest = header.get("bytes"), header.get("sha256")
            if not isinstance(size, int) or not 0 < size <= self.max_disk_bytes or not isinstance(digest, str):
                raise ValueError("its header gives no size and sha256")
            blob = handle.read(size + 1)
        if len(blob) != size or hashlib.sha256(blob).hexdigest() != digest:
            raise ValueError(f"the state is not the {size:,} bytes its header describes")
        if path.name != f"{key}.state":
            raise ValueError("misnamed")
        return blob

    def _remember(self, key: str, tokens: tuple[int, ...], blob: bytes) -> None:
        if len(blob) > self.max_memory_bytes:
            return
        self._memory[key] = (tokens, blob)
        self._memory.move_to_end(key)
        while sum(len(b) for _, b in self._memory.values()) > self.max_memory_bytes:
            self._memory.popitem(last=False)

    def put(self, tokens: Sequence[int], blob: bytes) -> None:
        """Keep the state after `tokens`: in memory, and on disk (bounded) when there is a folder.
        A folder that cannot be written is warned about once; the run goes on."""
        tokens = tuple(tokens)
        key = self.key(tokens)
        self._remember(key, tokens, blob)
        self.stored += 1
        if self.directory is None or len(blob) > self.max_disk_bytes:
            return
        if self.directory.is_symlink():  # never write or evict outside the cache's own folder
            self.warn(f"{self.directory}: a symbolic link; the prompt-prefix states are kept in memory only")
            self.directory = None
            return
        header = {"format": STATE_FORMAT, "key": self._parts(tokens), "tokens": list(tokens), "bytes": len(blob), "sha256": hashlib.sha256(blob).hexdigest()}
        try:
            atomic.write_bytes(self._path(key), json.dumps(header, separators=(",", ":")).encode("ascii") + b"\n" + blob)
            self._evict(keep=key)
        except Exception as exc:  # an OutputError line (full or read-only folder): the run does not need the file
            self.warn(f"cannot keep the prompt-prefix state: {exc}")
            self.directory = None

    def _evict(self, keep: str) -> None:
        """Remove the least recently used state files until the folder is within its bound."""
        assert self.directory is not None
        files = []
        for path in self.directory.iterdir():
            if STATE_FILE.fullmatch(path.name) and path.is_file() and not path.is_symlink():
                stat = path.stat()
                files.append((stat.st_mtime, path.name, stat.st_size, path))
        total = sum(size for _, _, size, _ in files)
        for _, name, size, path in sorted(files):
            if total <= self.max_disk_bytes:
                break
            if name != f"{keep}.state":
                path.unlink(missing_ok=True)
                total -= size


def clear_states(directory: Path) -> int:
    """Remove the state files (and temporary files of interrupted writes) in `directory`,
    then the folder when it is left empty; nothing else. Returns how many states there were."""
    count = 0
    if not directory.is_dir() or directory.is_symlink():
        return 0
    for path in directory.iterdir():
        if path.is_symlink() or not path.is_file():
            continue  # not a file this cache wrote
        ours = STATE_FILE.fullmatch(path.name)
        if ours or re.fullmatch(r"\.[0-9a-f]{64}\.state\.[0-9]+\.tmp", path.name):
            path.unlink(missing_ok=True)
            count += bool(ours)
    try:
        directory.rmdir()
    except OSError:
        pass
    return count
