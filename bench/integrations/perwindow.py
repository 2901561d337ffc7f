"""One window's answer on its own, for a harness's per-sample view (Inspect's log viewer).

Where it sits: stage 8, integrations, beside `bridge.py`. The window's answer is parsed
and merged as `LLMSystem` does, then scored by the task's scorer on its document as if
the document's other windows had no answer; what concerns the window is kept: every
error of its predictions, the gold missed inside it, and the headline's counts over its
sentences. The run's score is never a sum of these: it is the corpus-level one
(`bridge.score`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Corpus, load_corpus
from bench.integrations.bridge import WindowRequest, llm_task, strategy_of
from bench.systems.base import DocumentPrediction
from bench.systems.llm.prompts import load_prompt
from bench.systems.llm.requests import merge, place, requests
from bench.tasks.base import Task


@dataclass(frozen=True)
class WindowReport:
    """One window's answer alone, for a harness's per-sample view: its parsed items (as
    in a predictions file), its parse failure, the scorer's errors inside the window, and
    the headline's counts over the window's sentences."""

    items: tuple[Mapping[str, Any], ...]
    failures: tuple[Mapping[str, str], ...]
    errors: tuple[Mapping[str, Any], ...]
    counts: Mapping[str, float]

    @property
    def error_kinds(self) -> dict[str, int]:
        kinds: dict[str, int] = {}
        for error in self.errors:
            kinds[str(error.get("kind"))] = kinds.get(str(error.get("kind")), 0) + 1
        return kinds


_CORPORA: dict[str, Corpus] = {}
_GOLD: dict[tuple[str, str], Mapping[str, Any]] = {}


def _corpus(root: str) -> Corpus:
    if root not in _CORPORA:
        _CORPORA[root] = load_corpus(Path(root))
    return _CORPORA[root]


def _gold(corpus: Corpus, task: Task) -> Mapping[str, Any]:
    from bench.harness.run import load_checked_gold

    key = (str(corpus.root), task.name)
    if key not in _GOLD:
        _GOLD[key] = load_checked_gold(corpus, [task])[task.name]
    return _GOLD[key]


def _offsets(value: Any) -> list[tuple[int, int]]:
    """Every (start, end) pair inside an error's gold item."""
    if isinstance(value, Mapping):
        found = [(value["start"], value["end"])] if isinstance(value.get("start"), int) and isinstance(value.get("end"), int) else []
        return found + [pair for v in value.values() for pair in _offsets(v)]
    if isinstance(value, list):
        return [pair for v in value for pair in _offsets(v)]
    return []


def window_report(request: WindowRequest, text: str, truncated: bool, spec: str) -> WindowReport:
    """Score one window's answer on its own (its document's other windows unanswered), and
    keep what concerns the window: every error of its predictions, and gold missed in it."""
    from bench.harness.predictions import prediction_to_json
    from bench.harness.run import score_predictions

    task, strategy = llm_task(request.task), strategy_of(request.strategy)
    corpus = _corpus(request.data)
    document = corpus[request.doc_id]
    prompt = load_prompt(task, None, request.prompt_version)
    (r,) = [r for r in requests(task, prompt, document, strategy) if r.window.index == request.index]
    merged = merge(task, prompt, document, strategy, [(r, text, truncated)], place(spec, document, task))
    prediction = DocumentPrediction(document.id, {task.name: merged.items}, {task.name: merged.failures}, {task.name: merged.answers})
    where = {document.id: place(spec, document, task)}
    scored = score_predictions(corpus, [task], {task.name: _gold(corpus, task)}, {document.id: prediction}, where, {}, parsed_answers=True)[task.name]
    view = _headline_view(task, scored.units)
    lo, hi = r.window.start, r.window.end
    errors = []
    for error in scored.errors:
        if error.get("doc_id") != document.id or error.get("view") not in (None, view):
            continue
        spans = _offsets(error.get("gold"))
        if error.get("pred") is None and spans and not any(lo <= s and e <= hi for s, e in spans):
            continue  # gold of another window, missed because only this one was answered
        errors.append(error)
    inside = {s.index for s in document.sentences if lo <= s.start and s.end <= hi} | {-1}
    counts = {"tp": 0.0, "fp": 0.0, "fn": 0.0}
    for unit in scored.units:
        if unit.metric is None and unit.view == view and unit.doc_id == document.id and unit.sentence in inside:
            counts["tp"] += unit.tp
            counts["fp"] += unit.fp
            counts["fn"] += unit.fn
    line = prediction_to_json(prediction)
    key = task.predictions_key
    return WindowReport(tuple(line.get(key, ())), tuple(line.get("failures", {}).get(key, ())), tuple(errors), counts)


def _headline_view(task: Task, units: Sequence[Any]) -> str | None:
    """The view of a task's headline (by its catalogue's order) among the units scored."""
    views = {u.view for u in units if u.metric is None}
    spec = task.catalogue.get(task.headline)
    preferred = [v for v in (spec.views if spec is not None else ()) if v in views]
    return (preferred or sorted(views, key=str) or [None])[0]
