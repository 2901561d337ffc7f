"""Progress on long runs: a rich progress bar on a terminal, silence otherwise.

The harness counts documents; a system that sends requests (an LLM system) counts
requests too, and says which came from the cache. When stderr is not a terminal
(CI logs, pipes) nothing is drawn. Use it as a context manager.

Where it sits: a small shared module at the top of `bench/`, used by the harness and by
the systems that send requests.
"""

from __future__ import annotations

import sys
import threading
from typing import Any


class Progress:
    """The interface, and the silent implementation."""

    def __enter__(self) -> "Progress":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def documents(self, total: int) -> None: ...

    def document_done(self, count: int = 1) -> None: ...

    def requests(self, total: int) -> None: ...

    def request_done(self, cached: bool) -> None: ...

    def close(self) -> None: ...


class BarProgress(Progress):
    """Two bars on stderr: documents, and requests (with cache hits)."""

    def __init__(self, label: str) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, TextColumn, TimeElapsedColumn
        from rich.progress import Progress as RichProgress

        self._bar = RichProgress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=Console(stderr=True), transient=True)
        self._label = label
        self._docs: Any = None
        self._reqs: Any = None
        self._hits = 0
        self._lock = threading.Lock()
        self._bar.start()

    def documents(self, total: int) -> None:
        self._docs = self._bar.add_task(f"{self._label}: documents", total=total)

    def document_done(self, count: int = 1) -> None:
        if self._docs is not None:
            self._bar.advance(self._docs, count)

    def requests(self, total: int) -> None:
        with self._lock:
            if self._reqs is None:
                self._reqs = self._bar.add_task(f"{self._label}: requests", total=total)
            else:
                self._bar.update(self._reqs, total=self._bar.tasks[self._reqs].total + total)

    def request_done(self, cached: bool) -> None:
        with self._lock:
            self._hits += cached
            if self._reqs is not None:
                self._bar.update(self._reqs, advance=1, description=f"{self._label}: requests ({self._hits} from cache)")

    def close(self) -> None:
        self._bar.stop()


def progress_for(label: str, enabled: bool | None = None) -> Progress:
    """A bar when stderr is a terminal (or `enabled`), the silent `Progress` otherwise."""
    enabled = sys.stderr.isatty() if enabled is None else enabled
    return BarProgress(label) if enabled else Progress()
