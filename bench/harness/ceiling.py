"""The LLM protocol's ceiling: the headline a perfect model reaches through an answer format.

Where it sits: stage 4, the harness, generic over each task's LLM protocol. For one
task, prompt version and window strategy, `ceiling` asks the task, window by window,
for a perfect model's answer (`LLMProtocol.ideal_answer`, `bench.tasks.ceiling`): the
gold written through that version's answer format and copy rule. Each answer is checked
against the schema the window's request would send (the `enum` of phrases included), so
it is one a constrained decoder could write; it is then sent, as JSON text, through
`bench.systems.llm.requests.merge` (the parser, window tagging and dedupe a model's
answer takes) and scored by the task's scorer with its grounding. The result is the
headline a perfect model can reach, and, for the gold it cannot, how many items and why.

`lost` counts gold items the ideal answer gave that still earned no credit (a string
grounded on another occurrence, a record dropped as a duplicate): the harness's share
of the shortfall, beside the format's (`left_out`). The shortfall in credited gold
items is `left_out` plus `lost`.

The ceiling reads the gold by design: it measures the harness and the answer formats,
not a model. It must never be used to choose or tune prompts. (The LLM adapter is
imported when a ceiling is computed, so that reading a `Ceiling` imports no system.)
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from bench.documents.corpus import Corpus
from bench.documents.windows import WindowStrategy
from bench.errors import BenchError
from bench.tasks.base import ScoringContext, Task
from bench.tasks.goldfiles import gold_fingerprint

if TYPE_CHECKING:
    from bench.systems.llm.prompts import Prompt


@dataclass(frozen=True)
class Ceiling:
    """One task under one prompt version and window strategy, answered perfectly."""

    task: str
    prompt_version: str
    prompt_sha256: str
    window: str
    metric: str  # the task's headline metric ...
    view: str | None  # ... in its headline view
    value: float  # what the perfect answer scores
    support: int  # gold items of the headline
    credited: float  # of them, credited (the headline's tp)
    false_positives: float
    exact: int  # gold items given as the gold has them
    approximated: Mapping[str, int] = field(default_factory=dict)  # given short of the gold, by reason (credited or not)
    left_out: Mapping[str, int] = field(default_factory=dict)  # not in any answer, by reason: the format cannot hold them
    lost: float = 0  # given, yet not credited
    windows: int = 0
    duplicates_removed: int = 0

    @property
    def unreachable(self) -> int:
        return sum(self.left_out.values())

    def to_json(self) -> dict[str, Any]:
        return {
            "task": self.task, "prompt_version": self.prompt_version, "prompt_sha256": self.prompt_sha256, "window": self.window,
            "metric": self.metric, "view": self.view, "value": self.value, "support": self.support, "credited": _whole(self.credited),
            "false_positives": _whole(self.false_positives), "exact": self.exact, "approximated": dict(sorted(self.approximated.items())),
            "left_out": dict(sorted(self.left_out.items())), "lost": _whole(self.lost), "windows": self.windows, "duplicates_removed": self.duplicates_removed,
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "Ceiling":
        return cls(**{k: raw[k] for k in cls.__dataclass_fields__})


def _whole(value: float) -> float | int:
    return int(value) if float(value).is_integer() else value


def has_ceiling(task: Task) -> bool:
    """Whether the task's LLM protocol can say what a perfect answer is."""
    return callable(getattr(getattr(task, "llm", None), "ideal_answer", None))


def ceiling(task: Task, prompt: Prompt, strategy: WindowStrategy, corpus: Corpus, gold: Mapping[str, Any]) -> Ceiling:
    """The ceiling of one task under `prompt`'s answer format and `strategy`'s windows."""
    from jsonschema import Draft202012Validator

    from bench.systems.llm.requests import merge, requests

    protocol, fmt = task.llm, prompt.format
    predictions: dict[str, tuple[Any, ...]] = {}
    outcomes: dict[str, Any] = {}
    windows = removed = 0
    for doc_id in sorted(gold):
        document = corpus[doc_id]
        answered = []
        for request in requests(task, prompt, document, strategy):
            ideal = protocol.ideal_answer(gold[doc_id], document, request.window, fmt)
            where = f"the {task.name} ideal answer of document {doc_id}, {strategy.value} window {request.window.index}"
            error = next(iter(Draft202012Validator(request.schema(prompt, document)).iter_errors(ideal.answer)), None)
            if error is not None:
                path = "/".join(map(str, error.absolute_path)) or "(top level)"
                raise BenchError(f"{where} breaks the schema its request sends, at {path}: {error.message[:200]}")
            for item in ideal.items:
                if (doc_id, item.id) in outcomes:
                    raise BenchError(f"{where} accounts again for gold item {item.id!r}, which another window owns")
                outcomes[(doc_id, item.id)] = item
            answered.append((request, json.dumps(ideal.answer, ensure_ascii=False), False))
        merged = merge(task, prompt, document, strategy, answered, f"the {task.name} ceiling, document {doc_id}")
        if merged.failures:
            raise BenchError(f"the {task.name} ideal answer of document {doc_id} did not parse: {merged.failures[0].message}")
        predictions[doc_id] = merged.items
        windows += merged.answers
        removed += merged.duplicates_removed
    spec = task.catalogue.headline
    view = spec.views[0] if spec.views else None
    score = task.score(corpus, gold, predictions, ScoringContext(evaluated=frozenset({task.name})))
    row = score.row(spec.name, view=view, label=None)
    support = int(row.support or 0)
    if len(outcomes) != support:
        raise BenchError(f"the {task.name} ideal answers account for {len(outcomes)} gold items, the headline counts {support}")
    items = list(outcomes.values())
    left_out = Counter(item.reason for item in items if not item.given)
    approximated = Counter(item.reason for item in items if item.given and item.reason)
    credited = float(row.tp or 0)
    lost = support - credited - sum(left_out.values())
    return Ceiling(
        str(task.name), prompt.version, prompt.sha256, strategy.value, spec.name, view, row.value, support, credited, float(row.fp or 0),
        sum(1 for item in items if item.exact), dict(approximated), dict(left_out), lost, windows, removed,
    )


def ceilings(corpus: Corpus, tasks: Sequence[Task], versions: Iterable[str] | None = None, strategies: Iterable[WindowStrategy] | None = None) -> list[Ceiling]:
    """Every task x prompt version x window strategy asked for (default: all of them), in that order."""
    from bench.systems.llm.prompts import load_prompt

    out = []
    for task in tasks:
        if not has_ceiling(task):
            continue
        gold = task.load_gold(corpus.root, corpus)
        for version in versions or task.llm.versions:
            prompt = load_prompt(task, None, version)
            for strategy in strategies or WindowStrategy:
                out.append(ceiling(task, prompt, strategy, corpus, gold))
    return out


def gold_of(corpus: Corpus, tasks: Sequence[Task]) -> dict[str, dict[str, str]]:
    """task -> the version and sha256 of the gold the ceilings were computed on, with its scorer version."""
    out = {}
    for task in tasks:
        if has_ceiling(task):
            version, sha = gold_fingerprint(corpus.root, task.name, corpus)
            out[str(task.name)] = {"gold_version": version, "gold_sha256": sha, "scorer_version": task.scorer_version}
    return out


__all__ = ["Ceiling", "ceiling", "ceilings", "gold_of", "has_ceiling"]
