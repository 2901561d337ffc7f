"""Progress when stderr is not a terminal: one line every interval, none for a short run."""

from __future__ import annotations

import io
import threading
import time

from bench.progress import LineProgress, Progress, progress_for


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_short_run_prints_nothing():
    stream = io.StringIO()
    with LineProgress("smollm2", interval=30, stream=stream) as progress:
        progress.documents(2)
        progress.document_done(2)
    assert stream.getvalue() == ""


def test_one_line_per_interval_with_documents_requests_and_cache_hits():
    stream, clock = io.StringIO(), Clock()
    progress = LineProgress("smollm2", interval=0.05, stream=stream, clock=clock)
    progress.documents(2)
    progress.requests(111)
    for cached in (True, False, False):
        progress.request_done(cached)
    clock.now += 95
    time.sleep(0.3)
    progress.close()
    lines = stream.getvalue().splitlines()
    assert 2 <= len(lines) <= 10, lines
    assert lines[-1] == "bench: smollm2: documents 0/2, requests 3/111 (1 from cache), 1m 35s elapsed"
    after = stream.getvalue()
    time.sleep(0.15)
    assert stream.getvalue() == after, "a line after close()"


def test_piped_stderr_gets_lines_a_terminal_gets_the_bar(monkeypatch):
    import sys

    monkeypatch.setattr(sys.stderr, "isatty", lambda: False, raising=False)
    piped = progress_for("rules")
    try:
        assert isinstance(piped, LineProgress)
    finally:
        piped.close()
    assert type(progress_for("rules", enabled=False)) is Progress


def test_an_llm_run_feeds_the_line(corpus):
    """A slow stand-in backend behind the real LLM system: the lines count its requests."""
    from bench.systems.llm.client import Completion
    from bench.systems.llm.settings import LLMOptions
    from bench.systems.llm.system import LLMSystem
    from bench.tasks.ner.task import NerTask

    class SlowBackend:
        identity = "stand-in"

        def __init__(self) -> None:
            self.lock = threading.Lock()

        def complete(self, messages, schema, name, decoding):
            time.sleep(0.01)
            return Completion('{"people": [], "organisations": [], "countries_cities_and_towns": [], "other_places": [], "facilities": [], '
                              '"nationalities_religions_and_political_groups": [], "named_events": []}', "stop")

    stream = io.StringIO()
    with LineProgress("stand-in", interval=0.02, stream=stream) as progress:
        system = LLMSystem("stand-in", "stand-in", "0", SlowBackend(), (NerTask(),), LLMOptions(use_cache=False), progress, concurrency=1)
        system.predict(list(corpus.values()))
        time.sleep(0.1)
    lines = stream.getvalue().splitlines()
    requests = system.counters.requests
    assert lines and lines[-1].startswith(f"bench: stand-in: documents 0/0, requests {requests}/{requests} (0 from cache), ")
