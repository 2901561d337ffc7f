"""A reference to one aggregate metric of a run: `TASK.METRIC[@VIEW]`.

Where it sits: stage 4, results; it names the rows of a `RunRecord`.

Gates (`--fail-under ner.strict_f1=0.8`), `bench compare --metric` and the bootstrap's
series all name a metric this way. NER rows come in label views; a reference without
`@VIEW` means the task's headline view ("gold" for NER), so `ner.strict_f1` and
`ner.strict_f1@gold` are the same metric and `ner.strict_f1@conll` is the CoNLL view.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable

from bench.errors import BenchError

if TYPE_CHECKING:
    from bench.results.record import MetricRow, RunRecord

_REF = re.compile(r"^(?P<task>[a-z_]+)\.(?P<metric>[a-z0-9_]+)(?:@(?P<view>[a-z0-9_]+))?$")
SYNTAX = "TASK.METRIC or TASK.METRIC@VIEW, e.g. ner.strict_f1, ner.strict_f1@conll, casualties.f1"


class MetricError(BenchError):
    """A metric reference that is malformed or names no metric of the run."""


@dataclass(frozen=True, slots=True, order=True)
class MetricRef:
    task: str
    metric: str
    view: str | None = None  # None: no view (casualties, attribution) or, when parsed, the headline view

    def __str__(self) -> str:
        return f"{self.task}.{self.metric}" + (f"@{self.view}" if self.view else "")

    @classmethod
    def parse(cls, text: str) -> "MetricRef":
        match = _REF.match(text.strip())
        if match is None:
            raise MetricError(f"bad metric {text!r}: expected {SYNTAX}")
        return cls(match["task"], match["metric"], match["view"])


def suggest(wanted: MetricRef, known: Iterable[MetricRef]) -> str:
    """' (did you mean ...?)' for the closest known metric, or ''."""
    names = sorted({str(ref) for ref in known})
    close = difflib.get_close_matches(str(wanted), names, n=1, cutoff=0.5)
    return f" (did you mean {close[0]!r}?)" if close else ""


def aggregate_refs(record: "RunRecord") -> list[MetricRef]:
    """Every aggregate metric (no per-label rows) of a run, with its view."""
    return sorted({MetricRef(r.task, r.metric, r.view) for r in record.metrics if r.label is None})


def resolve(record: "RunRecord", ref: MetricRef) -> tuple[MetricRef, "MetricRow"]:
    """The full reference (view filled in) and the row it names; MetricError with a hint when none."""
    if ref.task not in record.tasks:
        raise MetricError(f"unknown metric {str(ref)!r}: task {ref.task!r} is not in this run (tasks: {', '.join(record.tasks)})")
    views = [r.view for r in record.metrics if r.task == ref.task and r.metric == ref.metric and r.label is None]
    view = ref.view
    if view is None and None not in views and views:
        view = "gold" if "gold" in views else sorted(views)[0]
    row = record.row(ref.task, ref.metric, view)
    if row is None:
        raise MetricError(f"unknown metric {str(ref)!r}{suggest(ref, aggregate_refs(record))}; metrics are named {SYNTAX}")
    return MetricRef(ref.task, ref.metric, view), row
