"""The prediction cache: a model's raw answers, keyed by everything that shapes them.

The key is the sha256 of: the system spec, the model identity (the GGUF file's sha256,
or the endpoint's model name and URL), the task and its prompt template hash, the
document's sha256, and the decoding parameters (and the response format asked for).
Change any of them and the entry is not reused. Raw answers are stored, not parsed
ones, so a repeated run re-parses them with the current code.

Each entry is one small JSON file, written atomically as soon as its answer arrives,
so an interrupted run keeps everything that finished. The location is the platform's
user cache folder (`$XDG_CACHE_HOME/syria-coast-ie/predictions` on Linux, usually
`~/.cache/...`), or `BENCH_CACHE_DIR` when set. `bench cache clear` empties it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bench import BENCHMARK_NAME

CACHE_FORMAT = 1


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


class PredictionCache:
    def __init__(self, directory: Path | None = None) -> None:
        self.directory = Path(directory) if directory is not None else default_cache_dir()

    def _path(self, key: str) -> Path:
        return self.directory / key[:2] / f"{key}.json"

    def get(self, key: str) -> CachedAnswer | None:
        try:
            raw = json.loads(self._path(key).read_text(encoding="utf-8"))
            return CachedAnswer(raw["text"], raw.get("finish_reason"))
        except (OSError, ValueError, KeyError, TypeError):
            return None  # absent or damaged: ask the model again

    def put(self, key: str, answer: CachedAnswer, parts: dict[str, Any]) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        payload = {"key": parts, "text": answer.text, "finish_reason": answer.finish_reason}
        tmp.write_text(json.dumps(payload, ensure_ascii=False), encoding="utf-8")
        tmp.replace(path)

    def entries(self) -> int:
        return sum(1 for _ in self.directory.glob("*/*.json")) if self.directory.is_dir() else 0

    def clear(self) -> int:
        """Remove every entry; returns how many there were."""
        count = self.entries()
        if self.directory.is_dir():
            shutil.rmtree(self.directory)
        return count
