"""The LLM system: one prompt per window per task, answers parsed into predictions.

For each (document, task, window) it builds the messages from the task's template,
looks the answer up in the prediction cache, asks the backend when it is not there (up
to `concurrency` requests at once, in threads), stores the raw answer, and parses it.
The windows (`--window document|paragraph|sentence`) are `bench.documents.windows`;
building a window's request and merging the answers is `requests.py`, over each task's
LLM protocol (`bench.tasks.llm`). A window whose answer cannot be parsed loses only its own records:
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
from bench.documents.windows import WindowStrategy
from bench.progress import Progress
from bench.systems.base import DocumentPrediction
from bench.systems.llm.cache import CachedAnswer, PredictionCache, cache_key
from bench.systems.llm.client import Completion, Decoding
from bench.systems.llm.prompts import Prompt, latest, load_prompt
from bench.systems.llm.requests import Request, merge, place, requests
from bench.systems.llm.schema_limits import EnumLimit, Treatment, limit_for
from bench.systems.llm.settings import GRAMMAR, LLMOptions
from bench.tasks.base import Task


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
        options: LLMOptions,
        progress: Progress | None = None,
        concurrency: int | None = None,
        default_window: WindowStrategy = WindowStrategy.DOCUMENT,
        default_limit: EnumLimit | None = None,
    ) -> None:
        self.spec = spec
        self.name = name
        self.version = version
        self.backend = backend
        self._tasks = tuple(t for t in tasks if getattr(t, "llm", None) is not None)  # the tasks an LLM can be asked for
        self.tasks = frozenset(t.name for t in self._tasks)
        self.options = options
        self.concurrency = max(1, concurrency or options.concurrency)
        self.progress = progress or Progress()
        version = options.prompt_version or latest(self._tasks)
        self.prompts: dict[str, Prompt] = {t.name: load_prompt(t, options.prompts_dir, version) for t in self._tasks}
        self.window = WindowStrategy(options.window) if options.window else default_window
        self.windows: dict[str, int] = {t.name: 0 for t in self._tasks}
        self.duplicates_removed: dict[str, int] = {t.name: 0 for t in self._tasks}
        self.cache = PredictionCache(options.cache_dir) if options.use_cache else None
        self.limit = limit_for(options.max_enum, default_limit)  # the answer schema's enum limit (schema_limits.py)
        self.treatments: dict[str, dict[str, int]] = {t.name: {} for t in self._tasks}  # task -> treatment -> requests
        self.copy_dropped: dict[str, int] = {t.name: 0 for t in self._tasks}
        self.sent: dict[str, int] = {}  # response format actually sent -> requests (cached ones as they were sent)
        self.counters = Counters()
        self._lock = threading.Lock()

    @property
    def metadata(self) -> dict[str, Any]:
        """Goes into the results' `system` block."""
        out: dict[str, Any] = {
            "model": self.backend.identity,
            "prompts": {str(task): p.describe() for task, p in self.prompts.items()},
            "window": self.window.value,
            "windows": {str(task): n for task, n in self.windows.items()},
            "duplicates_removed": {str(task): n for task, n in self.duplicates_removed.items()},
            "decoding": self.options.decoding.to_json(),
            "response_format": ", ".join(sorted(self.sent)) if self.sent else self._default_format(),
            "requests": self.counters.requests,
            "cache_hits": self.counters.cache_hits,
            "requests_by_response_format": dict(sorted(self.sent.items())),
        }
        if self.limit is not None:
            out["schema_limit"] = self.limit.describe()
        if any(t != Treatment.WHOLE.value for counts in self.treatments.values() for t in counts):
            out["schema_treatment"] = {task: dict(sorted(counts.items())) for task, counts in self.treatments.items()}
            out["copy_check_dropped"] = dict(self.copy_dropped)
        return out

    def _default_format(self) -> str:
        """The backend's form, for answers cached before each entry kept the form it was sent in."""
        fmt = getattr(self.backend, "response_format", None)
        return fmt.value if fmt else GRAMMAR

    def _key_parts(self, task: str, document: Document, request: Request) -> dict[str, Any]:
        """The cache key's parts: the system, the model, the prompt identity, the document,
        the window (strategy, span, answer bound) and the decoding."""
        parts = {
            "system": self.spec,
            "model": self.backend.identity,
            "task": str(task),
            "prompt_sha256": self.prompts[task].sha256,
            "document_sha256": document.sha256,
            "decoding": self.options.decoding.to_json(),
            "response_format": self.options.response_format.value,
        }
        if self.window is not WindowStrategy.DOCUMENT or request.max_items is not None:  # part of the prompt identity
            parts["window"] = {"strategy": self.window.value, **request.window.describe(), "max_items": request.max_items}
        if request.treatment is not Treatment.WHOLE:  # only then: whole windows keep their keys
            parts["schema"] = {"treatment": request.treatment.value, **(self.limit.describe() if self.limit else {})}
        return parts

    def _answer(self, task: str, document: Document, request: Request) -> CachedAnswer:
        parts = self._key_parts(task, document, request)
        key = cache_key(parts)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            with self._lock:
                self.counters.cache_hits += 1
            self.progress.request_done(cached=True)
            self._count_sent(cached.response_format or self._default_format())
            return cached
        prompt = self.prompts[task]
        completion = self.backend.complete(request.messages(prompt, document), request.schema(prompt, document), request.schema_name, self.options.decoding)
        answer = CachedAnswer(completion.text, completion.finish_reason, completion.response_format)
        self._count_sent(completion.response_format or self._default_format())
        with self._lock:
            self.counters.backend_calls += 1
        if self.cache:
            self.cache.put(key, answer, parts)  # at once: an interrupted run keeps it
        self.progress.request_done(cached=False)
        return answer

    def _count_sent(self, form: str) -> None:
        with self._lock:
            self.sent[form] = self.sent.get(form, 0) + 1

    def _answers(self, jobs: list[tuple[str, Document, Request]]) -> list[CachedAnswer]:
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
        jobs = [(task, doc, request) for doc in documents for task in self._tasks for request in requests(task, self.prompts[task.name], doc, self.window, self.limit)]
        self.counters.requests += len(jobs)
        for task, _, request in jobs:
            self.windows[task.name] += 1
            counts = self.treatments[task.name]
            counts[request.treatment.value] = counts.get(request.treatment.value, 0) + 1
        self.progress.requests(len(jobs))
        answers = self._answers([(task.name, doc, request) for task, doc, request in jobs])
        answered: dict[tuple[str, str], list] = {}
        for (task, doc, request), answer in zip(jobs, answers):
            answered.setdefault((doc.id, task.name), []).append((request, answer.text, answer.finish_reason == "length"))
        out = []
        for doc in documents:
            items, failures, counts = {}, {}, {}
            for task in self._tasks:
                merged = merge(task, self.prompts[task.name], doc, self.window, answered.get((doc.id, task.name), []), place(self.spec, doc, task))
                self.duplicates_removed[task.name] += merged.duplicates_removed
                self.copy_dropped[task.name] += merged.copy_dropped
                items[task.name], failures[task.name], counts[task.name] = merged.items, merged.failures, merged.answers
            out.append(DocumentPrediction(doc.id, items, failures, counts))
        return out
