"""The LLM system: one prompt per window per task, answers parsed into predictions.

For each (document, task, window) it builds the messages from the task's template,
looks the answer up in the prediction cache, asks the backend when it is not there (up
to `concurrency` requests at once, in threads), stores the raw answer, and parses it.
The windows (`--window document|paragraph|sentence`) and how their records are merged
are in `windows.py`. A window whose answer cannot be parsed loses only its own records:
its parse failure is kept on the document's prediction and counted by the harness in
the task's `parse_failures` row. The results record the model identity, the prompt
versions and hashes, the window strategy and the number of windows per task, the
decoding parameters, duplicates removed and the cache hits.

The requests run on daemon threads (`_answers`). On Ctrl-C the main thread asks the
backend to `cancel()` (an endpoint's client cuts off every request in flight) and
returns at once, without waiting for answers in flight: each answer that arrived is
already in the cache, written whole (`bench.atomic`), so a rerun resumes there.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from bench.documents.corpus import Document
from bench.progress import Progress
from bench.systems.base import DocumentPrediction, ParseFailure
from bench.systems.llm.answers import answer_schema, parse_answer
from bench.systems.llm.cache import CachedAnswer, PredictionCache, cache_key
from bench.systems.llm.client import Completion, Decoding
from bench.systems.llm.copying import choices
from bench.systems.llm.prompts import LATEST, Prompt, load_prompt
from bench.systems.llm.windows import Window, WindowStrategy, dedupe, localise, make_windows, max_items
from bench.systems.options import SystemOptions
from bench.tasks.base import Task, TaskName


class Backend(Protocol):
    identity: str  # what the model is: a file hash, or model name and endpoint

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding) -> Completion: ...


@dataclass
class Counters:
    requests: int = 0
    cache_hits: int = 0
    backend_calls: int = 0


class LLMSystem:
    parses_answers = True  # the harness adds parse_failures rows

    def __init__(
        self,
        spec: str,
        name: str,
        version: str,
        backend: Backend,
        tasks: Sequence[Task],
        options: SystemOptions,
        progress: Progress | None = None,
        concurrency: int | None = None,
        default_window: WindowStrategy = WindowStrategy.DOCUMENT,
    ) -> None:
        self.spec = spec
        self.name = name
        self.version = version
        self.backend = backend
        self._tasks = tuple(tasks)
        self.tasks = frozenset(t.name for t in self._tasks)
        self.options = options
        self.concurrency = max(1, concurrency or options.concurrency)
        self.progress = progress or Progress()
        version = options.prompt_version or LATEST
        self.prompts: dict[TaskName, Prompt] = {t.name: load_prompt(t.name, options.prompts_dir, version) for t in self._tasks}
        self.window = WindowStrategy(options.window) if options.window else default_window
        self.windows: dict[TaskName, int] = {t.name: 0 for t in self._tasks}
        self.duplicates_removed: dict[TaskName, int] = {t.name: 0 for t in self._tasks}
        self.cache = PredictionCache(options.cache_dir) if options.use_cache else None
        self.counters = Counters()
        self._lock = threading.Lock()

    @property
    def metadata(self) -> dict[str, Any]:
        """Goes into the results' `system` block."""
        return {
            "model": self.backend.identity,
            "prompts": {task.value: p.describe() for task, p in self.prompts.items()},
            "window": self.window.value,
            "windows": {task.value: n for task, n in self.windows.items()},
            "duplicates_removed": {task.value: n for task, n in self.duplicates_removed.items()},
            "decoding": self.options.decoding.to_json(),
            "response_format": fmt.value if (fmt := getattr(self.backend, "response_format", None)) else "grammar from the answer schema",
            "requests": self.counters.requests,
            "cache_hits": self.counters.cache_hits,
        }

    def _key_parts(self, task: TaskName, document: Document, window: Window, bound: int | None) -> dict[str, Any]:
        parts = {
            "system": self.spec,
            "model": self.backend.identity,
            "task": task.value,
            "prompt_sha256": self.prompts[task].sha256,
            "document_sha256": document.sha256,
            "decoding": self.options.decoding.to_json(),
            "response_format": self.options.response_format.value,
        }
        if self.window is not WindowStrategy.DOCUMENT or bound is not None:  # part of the prompt identity
            parts["window"] = {"strategy": self.window.value, **window.describe(), "max_items": bound}
        return parts

    def _bound(self, task: TaskName, document: Document, window: Window) -> int | None:
        return max_items(task, window, document) if self.prompts[task].bounded else None

    def _answer(self, task: TaskName, document: Document, window: Window) -> CachedAnswer:
        bound = self._bound(task, document, window)
        parts = self._key_parts(task, document, window, bound)
        key = cache_key(parts)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            with self._lock:
                self.counters.cache_hits += 1
            self.progress.request_done(cached=True)
            return cached
        prompt = self.prompts[task]
        messages = prompt.messages(window.prompt_text(document))
        phrases = choices(task, document, window.ground_start, window.ground_end, prompt.capitalised, prompt.clauses) if prompt.copies and bound is not None else None
        schema = answer_schema(task, bound, phrases, prompt.by_label)
        completion = self.backend.complete(messages, schema, f"{task.value}_answer", self.options.decoding)
        answer = CachedAnswer(completion.text, completion.finish_reason)
        with self._lock:
            self.counters.backend_calls += 1
        if self.cache:
            self.cache.put(key, answer, parts)  # at once: an interrupted run keeps it
        self.progress.request_done(cached=False)
        return answer

    def _answers(self, jobs: list[tuple[TaskName, Document, Window]]) -> list[CachedAnswer]:
        """The answers of `jobs`, in order, `concurrency` at a time on daemon threads.

        A job that fails stops new ones from starting; the answers in flight finish (and
        are cached), then the first failure in job order is raised. An interrupt (Ctrl-C)
        cancels the backend's requests in flight and is raised at once: daemon threads
        are not waited for at exit."""
        results: list[CachedAnswer | None] = [None] * len(jobs)
        failures: dict[int, BaseException] = {}
        queue = iter(range(len(jobs)))
        lock, stop = threading.Lock(), threading.Event()

        def work() -> None:
            while not stop.is_set():
                with lock:
                    index = next(queue, None)
                if index is None:
                    return
                try:
                    results[index] = self._answer(*jobs[index])
                except BaseException as exc:  # kept for the main thread, which raises it
                    with lock:
                        failures[index] = exc
                    stop.set()
                    return

        threads = [threading.Thread(target=work, name=f"bench-request-{n}", daemon=True) for n in range(min(self.concurrency, len(jobs)))]
        try:
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        except BaseException:  # Ctrl-C: cut off what is in flight and return now
            stop.set()
            cancel = getattr(self.backend, "cancel", None)
            if callable(cancel):
                cancel()
            raise
        if failures:
            raise failures[min(failures)]
        return results  # type: ignore[return-value]

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        jobs = [(task, doc, window) for doc in documents for task in self._tasks for window in make_windows(doc, self.window, task.name)]
        self.counters.requests += len(jobs)
        for task, _, _ in jobs:
            self.windows[task.name] += 1
        self.progress.requests(len(jobs))
        answers = self._answers([(task.name, doc, window) for task, doc, window in jobs])
        windowed = self.window is not WindowStrategy.DOCUMENT
        items: dict[str, dict[TaskName, list[Any]]] = {d.id: {t.name: [] for t in self._tasks} for d in documents}
        failures: dict[str, dict[TaskName, list]] = {d.id: {t.name: [] for t in self._tasks} for d in documents}
        answered: dict[str, dict[TaskName, int]] = {d.id: {t.name: 0 for t in self._tasks} for d in documents}
        for (task, doc, window), answer in zip(jobs, answers):
            where = f"system {self.spec!r}, document {doc.id}, {task.name.value} answer"
            if windowed:
                where += f", {self.window.value} window {window.index} [{window.start}, {window.end})"
            bound = self._bound(task.name, doc, window)
            answered[doc.id][task.name] += 1
            parsed = parse_answer(task, answer.text, doc, where, answer.finish_reason == "length", bound, self.prompts[task.name].by_label)
            if parsed.failure:
                failure = parsed.failure
                if windowed:
                    failure = ParseFailure(failure.kind, f"{self.window.value} window {window.index} [{window.start}, {window.end}): {failure.message}")
                failures[doc.id][task.name].append(failure)
            items[doc.id][task.name].extend(localise(task.name, parsed.items, window, windowed))
        out = []
        for doc in documents:
            merged: dict[TaskName, tuple[Any, ...]] = {}
            for task in self._tasks:
                kept, removed = dedupe(task.name, items[doc.id][task.name], doc) if self.prompts[task.name].bounded else (items[doc.id][task.name], 0)
                self.duplicates_removed[task.name] += removed
                merged[task.name] = tuple(kept)
            out.append(DocumentPrediction(doc.id, merged, {t: tuple(f) for t, f in failures[doc.id].items()}, answered[doc.id]))
        return out
