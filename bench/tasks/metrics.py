"""The metric catalogue: what each metric of a task is, and how tables show it.

Where it sits: stage 2, tasks. Each task declares its `Catalogue` in its own
`metrics.py`: one `MetricSpec` per metric name its scorer writes (its kind, whether
higher is better, what it means, the label views it comes in, whether it is the
headline or a leaderboard column, whether the report charts it per label), and the
terminal tables (`TableSpec`) that show them. Everything that presents metrics is
derived from it: `bench eval`'s tables, the leaderboard's columns and headline
titles, the HTML report's charts, `bench metrics` and docs/metrics.md. No other stage
knows a task's metrics. (lm-evaluation-harness's `MetricSpec` and HELM's presentation
schema do the same.)

`parse_failures` is not in any catalogue: the harness adds it to every task an LLM
system answers, and every presentation shows it after the task's own metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Mapping

PARSE_FAILURES = "parse_failures"  # the harness's row (bench.harness.run), shown for every task that has it


class MetricKind(str, Enum):
    F1 = "f1"  # with `<prefix>precision` and `<prefix>recall` rows beside it, and tp/fp/fn
    ACCURACY = "accuracy"  # a share over aligned pairs (support), with tp and fn
    COUNT = "count"  # a number of items (ungrounded strings, false alarms)
    CONFUSION = "confusion"  # one row per `gold->predicted` label pair, the count of aligned pairs


@dataclass(frozen=True)
class MetricSpec:
    """One metric of a task, as every presentation of it needs it."""

    name: str  # the rows' `metric`: "strict_f1"
    kind: MetricKind
    title: str  # as a table column or row shows it: "exact F1"
    description: str  # one or two sentences: what it counts
    higher_is_better: bool = True
    headline: bool = False  # the task's headline (one per task)
    views: tuple[str | None, ...] = (None,)  # label views it is reported in, the headline's view first
    view_titles: Mapping[str, str] = field(default_factory=dict)  # view -> its title there, where the view must be named
    leaderboard: tuple[str | None, ...] = ()  # views shown as leaderboard columns (not counting the headline)
    per_label: str | None = None  # the name of its per-label rows' dimension ("label", "outcome", "mode"), when it has them
    chart: str | None = None  # the report charts it per label, under this title

    @property
    def prefix(self) -> str:
        """`strict_` for `strict_f1`: the name of its precision and recall rows without them."""
        return self.name[: -len("f1")] if self.kind is MetricKind.F1 else ""

    def titled(self, view: str | None) -> str:
        return self.view_titles.get(view, self.title) if view is not None else self.title


class TableKind(str, Enum):
    METRICS = "metrics"  # one row per F1 metric: precision, recall, f1, interval, counts
    LABELS = "labels"  # one row per label of one F1 metric (and its unlabelled total first, with `total`)
    CONFUSION = "confusion"  # one row per gold -> predicted pair of a confusion metric


@dataclass(frozen=True)
class TableSpec:
    """A terminal table. `title` may hold `{task}` and `{view}`; `rows`: (metric, shown name)
    for METRICS, or the one metric for LABELS and CONFUSION; `extra`: LABELS, another F1
    metric shown as one more column ("strict f1")."""

    title: str
    kind: TableKind
    rows: tuple[tuple[str, str], ...]
    first_column: str = "metric"
    per_view: bool = False  # one table per label view
    notes: bool = False  # the task's count and accuracy metrics go into the title, in brackets
    total: bool = False  # LABELS: the unlabelled row first, named "all"
    extra: tuple[str, str] | None = None  # LABELS: (metric, column title) of an F1 shown beside


@dataclass(frozen=True)
class Catalogue:
    metrics: tuple[MetricSpec, ...]
    tables: tuple[TableSpec, ...]

    def __post_init__(self) -> None:
        headlines = [m.name for m in self.metrics if m.headline]
        if len(headlines) != 1:
            raise ValueError(f"a catalogue has exactly one headline metric, not {headlines}")
        names = [m.name for m in self.metrics]
        if len(set(names)) != len(names):
            raise ValueError("a catalogue lists each metric once")

    @property
    def headline(self) -> MetricSpec:
        return next(m for m in self.metrics if m.headline)

    def get(self, name: str) -> MetricSpec | None:
        return next((m for m in self.metrics if m.name == name), None)

    def notes(self) -> tuple[MetricSpec, ...]:
        """The count and accuracy metrics, in catalogue order (shown beside a task's tables)."""
        return tuple(m for m in self.metrics if m.kind in (MetricKind.ACCURACY, MetricKind.COUNT))

    def charts(self) -> tuple[MetricSpec, ...]:
        return tuple(m for m in self.metrics if m.chart)
