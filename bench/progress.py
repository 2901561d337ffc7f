"""Progress on long runs: a rich progress bar on a terminal, a line every 30 s otherwise.

The harness counts documents; a system that sends requests (an LLM system) counts
requests too, and says which came from the cache. When stderr is not a terminal
(CI logs, pipes) nothing is drawn; instead, once a run has gone on for 30 seconds, one
plain line goes to stderr every 30 seconds (`LineProgress`), so a log shows that a long
`bench eval` of an LLM is moving; a run that ends sooner prints nothing. Use it as a
context manager.

Where it sits: a small shared module at the top of `bench/`, used by the harness and by
the systems that send requests.
"""

from __future__ import annotations

import sys
import threading
import time
from typing import IO, Any, Callable


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


class LineProgress(Progress):
    """One line on `stream` every `interval` seconds while the run lasts (none before the
    first interval has passed): documents, requests, cache hits, time elapsed."""

    def __init__(self, label: str, interval: float = 30.0, stream: IO[str] | None = None, clock: Callable[[], float] = time.monotonic) -> None:
        self._label = label
        self._interval = interval
        self._stream = stream
        self._clock = clock
        self._start = clock()
        self._lock = threading.Lock()
        self._docs = [0, 0]  # done, total
        self._reqs = [0, 0]
        self._hits = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="bench-progress", daemon=True)
        self._thread.start()

    def documents(self, total: int) -> None:
        with self._lock:
            self._docs[1] += total

    def document_done(self, count: int = 1) -> None:
        with self._lock:
            self._docs[0] += count

    def requests(self, total: int) -> None:
        with self._lock:
            self._reqs[1] += total

    def request_done(self, cached: bool) -> None:
        with self._lock:
            self._reqs[0] += 1
            self._hits += cached

    def line(self) -> str:
        with self._lock:
            (docs, doc_total), (reqs, req_total), hits = self._docs, self._reqs, self._hits
        elapsed = int(self._clock() - self._start)
        parts = [f"documents {docs}/{doc_total}"]
        if req_total:
            parts.append(f"requests {reqs}/{req_total} ({hits} from cache)")
        from bench.errors import printable

        return f"bench: {printable(self._label)}: " + ", ".join(parts) + f", {elapsed // 60}m {elapsed % 60:02d}s elapsed"

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            stream = self._stream or sys.stderr
            try:
                stream.write(self.line() + "\n")
                stream.flush()
            except (OSError, ValueError):  # stderr closed (a pipe whose reader left): stop quietly
                return

    def close(self) -> None:
        self._stop.set()
        self._thread.join()


def progress_for(label: str, enabled: bool | None = None) -> Progress:
    """A bar when stderr is a terminal (or `enabled`), a line every 30 s otherwise (or
    silence, when `enabled` is False)."""
    if enabled is None:
        return BarProgress(label) if sys.stderr.isatty() else LineProgress(label)
    return BarProgress(label) if enabled else Progress()
