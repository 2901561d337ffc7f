"""The LLM system: one prompt per task per document, answers parsed into predictions.

For each (document, task) it builds the messages from the task's template, looks the
answer up in the prediction cache, asks the backend when it is not there (up to
`concurrency` requests at once, in threads), stores the raw answer, and parses it.
A parse failure is kept on the document's prediction and counted by the harness in
the task's `parse_failures` row. The results record the model identity, the prompt
versions and hashes, the decoding parameters and the cache hits.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, Protocol, Sequence

from bench.documents.corpus import Document
from bench.progress import Progress
from bench.systems.base import DocumentPrediction
from bench.systems.llm.answers import answer_schema, parse_answer
from bench.systems.llm.cache import CachedAnswer, PredictionCache, cache_key
from bench.systems.llm.client import Completion, Decoding
from bench.systems.llm.prompts import Prompt, load_prompt
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
        self.prompts: dict[TaskName, Prompt] = {t.name: load_prompt(t.name, options.prompts_dir) for t in self._tasks}
        self.cache = PredictionCache(options.cache_dir) if options.use_cache else None
        self.counters = Counters()
        self._lock = threading.Lock()

    @property
    def metadata(self) -> dict[str, Any]:
        """Goes into the results' `system` block."""
        return {
            "model": self.backend.identity,
            "prompts": {task.value: p.describe() for task, p in self.prompts.items()},
            "decoding": self.options.decoding.to_json(),
            "response_format": fmt.value if (fmt := getattr(self.backend, "response_format", None)) else "grammar from the answer schema",
            "requests": self.counters.requests,
            "cache_hits": self.counters.cache_hits,
        }

    def _key_parts(self, task: TaskName, document: Document) -> dict[str, Any]:
        return {
            "system": self.spec,
            "model": self.backend.identity,
            "task": task.value,
            "prompt_sha256": self.prompts[task].sha256,
            "document_sha256": document.sha256,
            "decoding": self.options.decoding.to_json(),
            "response_format": self.options.response_format.value,
        }

    def _answer(self, task: TaskName, document: Document) -> CachedAnswer:
        parts = self._key_parts(task, document)
        key = cache_key(parts)
        cached = self.cache.get(key) if self.cache else None
        if cached is not None:
            with self._lock:
                self.counters.cache_hits += 1
            self.progress.request_done(cached=True)
            return cached
        completion = self.backend.complete(self.prompts[task].messages(document.text), answer_schema(task), f"{task.value}_answer", self.options.decoding)
        answer = CachedAnswer(completion.text, completion.finish_reason)
        with self._lock:
            self.counters.backend_calls += 1
        if self.cache:
            self.cache.put(key, answer, parts)  # at once: an interrupted run keeps it
        self.progress.request_done(cached=False)
        return answer

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        jobs = [(task, doc) for doc in documents for task in self._tasks]
        self.counters.requests += len(jobs)
        self.progress.requests(len(jobs))
        pool = ThreadPoolExecutor(max_workers=self.concurrency)
        try:
            futures = [pool.submit(self._answer, task.name, doc) for task, doc in jobs]
            answers = [f.result() for f in futures]
        except BaseException:
            pool.shutdown(wait=True, cancel_futures=True)  # finished answers are already cached
            raise
        pool.shutdown()
        items: dict[str, dict[TaskName, tuple[Any, ...]]] = {d.id: {} for d in documents}
        failures: dict[str, dict[TaskName, tuple]] = {d.id: {} for d in documents}
        for (task, doc), answer in zip(jobs, answers):
            parsed = parse_answer(task, answer.text, doc, f"system {self.spec!r}, document {doc.id}, {task.name.value} answer", answer.finish_reason == "length")
            items[doc.id][task.name] = parsed.items
            failures[doc.id][task.name] = (parsed.failure,) if parsed.failure else ()
        return [DocumentPrediction(d.id, items[d.id], failures[d.id]) for d in documents]
