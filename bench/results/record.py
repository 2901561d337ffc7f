"""The results record: what one run of a system leaves behind.

Where it sits: stage 4, results (`bench/results/`). `make.record_of` builds it from the harness's `Run`; everything
after reads it.

A run writes one `RunRecord` (results JSON). Every number in it is a `MetricRow`
`{task, metric, value, ...}`: the headline NER row is
`{"task": "ner", "metric": "strict_f1", "view": "gold"}`. Per-sentence `UnitCounts`
and the bootstrap `Intervals` computed from them sit beside the rows. Reports, `bench
compare` and the leaderboard read only these files (`read_record`).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any, Mapping

from bench.harness.metadata import RunInfo, SystemInfo, TaskHeader, VariantInfo
from bench.tasks.score import MetricRow, TaskScore, UnitCounts  # noqa: F401 (TaskScore: importable from here too)

RESULTS_FORMAT = 1
# The largest results file, shared by the writer (`write_json_atomic`) and the readers
# (`read_raw_record`), so that `bench eval` never writes a file `bench compare` refuses.
MAX_RESULTS_BYTES = 32 * 1024 * 1024


class IntervalMethod(str, Enum):
    PERCENTILE_BOOTSTRAP = "percentile_bootstrap"


class ResampleUnit(str, Enum):
    SENTENCE = "sentence"


@dataclass(frozen=True, slots=True)
class IntervalSettings:
    """How intervals were computed: enough to reproduce them from the record's `units`."""

    method: IntervalMethod
    unit: ResampleUnit
    resamples: int
    seed: int
    level: float  # 0.95 for a 95% interval

    def to_json(self) -> dict[str, Any]:
        return {"method": self.method.value, "unit": self.unit.value, "resamples": self.resamples, "seed": self.seed, "level": self.level}


@dataclass(frozen=True, slots=True)
class Interval:
    """The interval of one metric (`view` for NER): the point estimate and its bounds."""

    task: str
    metric: str
    view: str | None
    value: float
    low: float
    high: float

    def to_json(self) -> dict[str, Any]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class Intervals:
    settings: IntervalSettings
    rows: tuple[Interval, ...]

    def find(self, task: str, metric: str, view: str | None = None) -> Interval | None:
        return next((r for r in self.rows if (r.task, r.metric, r.view) == (task, metric, view)), None)

    def to_json(self) -> dict[str, Any]:
        return {**self.settings.to_json(), "rows": [r.to_json() for r in self.rows]}


@dataclass(frozen=True)
class RunRecord:
    benchmark: Mapping[str, str]
    system: SystemInfo
    tasks: Mapping[str, TaskHeader]
    documents: Mapping[str, str]  # doc_id -> text sha256
    packages: Mapping[str, str]
    run: RunInfo
    metrics: tuple[MetricRow, ...]
    units: tuple[UnitCounts, ...] = ()
    errors: Mapping[str, tuple[Mapping[str, Any], ...]] = field(default_factory=dict)
    format: int = RESULTS_FORMAT
    intervals: Intervals | None = None  # bootstrap intervals over sentences (bench.results.bootstrap)
    variant: VariantInfo | None = None  # a run on a counterfactual variant tree (bench.variants): family, seed, hashes, base gold

    def row(self, task: str, metric: str, view: str | None = None, label: str | None = None) -> MetricRow | None:
        """The metric row of (task, metric, view, label), or None."""
        return next((r for r in self.metrics if (r.task, r.metric, r.view, r.label) == (task, metric, view, label)), None)

    def headline(self, task: str) -> tuple[str, str | None]:
        """(metric, view) of a task's headline: its first label view (by the task's
        catalogue) that the record has, for a task with views."""
        from bench.tasks.registry import get_task

        metric = self.tasks[task].headline
        views = [r.view for r in self.metrics if r.task == task and r.metric == metric and r.label is None]
        spec = get_task(task).catalogue.get(metric)
        preferred = [v for v in (spec.views if spec is not None else ()) if v in views]
        return metric, (preferred or views or [None])[0]

    def to_json(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "benchmark": dict(self.benchmark),
            "system": self.system.to_json(),
            "tasks": {k: v.to_json() for k, v in self.tasks.items()},
            "documents": dict(self.documents),
            "packages": dict(self.packages),
            "run": self.run.to_json(),
            "metrics": [row.to_json() for row in self.metrics],
            "errors": {k: list(v) for k, v in self.errors.items()},
            "units": [u.to_json() for u in self.units],
            **({"intervals": self.intervals.to_json()} if self.intervals is not None else {}),
            **({"variant": self.variant.to_json()} if self.variant is not None else {}),
        }

    @classmethod
    def from_json(cls, raw: Mapping[str, Any]) -> "RunRecord":
        """Read a record written by `to_json`; raises KeyError, TypeError or ValueError when malformed."""
        intervals = raw.get("intervals")
        if intervals is not None:
            settings = IntervalSettings(
                IntervalMethod(intervals["method"]), ResampleUnit(intervals["unit"]), int(intervals["resamples"]), int(intervals["seed"]), float(intervals["level"])
            )
            rows = tuple(Interval(r["task"], r["metric"], r.get("view"), r["value"], r["low"], r["high"]) for r in intervals["rows"])
            intervals = Intervals(settings, rows)
        return cls(
            benchmark=dict(raw["benchmark"]),
            system=SystemInfo.from_json(raw["system"]),
            tasks={k: TaskHeader.from_json(v) for k, v in raw["tasks"].items()},
            documents=dict(raw["documents"]),
            packages=dict(raw.get("packages", {})),
            run=RunInfo.from_json(raw.get("run", {})),
            metrics=tuple(MetricRow(**row) for row in raw["metrics"]),
            units=tuple(UnitCounts(**unit) for unit in raw.get("units", ())),
            errors={k: tuple(v) for k, v in raw.get("errors", {}).items()},
            format=int(raw.get("format", RESULTS_FORMAT)),
            intervals=intervals,
            variant=VariantInfo.from_json(raw["variant"]) if raw.get("variant") is not None else None,
        )


def results_schema() -> dict[str, Any]:
    """The JSON Schema of a results file (`bench schema results`)."""
    import json
    from importlib import resources

    return json.loads(resources.files(__package__).joinpath("results.schema.json").read_text(encoding="utf-8"))


def schema_problem(raw: Any) -> str | None:
    """The first way `raw` breaks the results schema (`results.schema.json` beside this module), as `path: problem`, or None."""
    from bench.schemafit import compile_schema

    schema = results_schema()
    if compile_schema(schema)(raw) is True:
        return None
    from jsonschema import Draft202012Validator

    error = next(Draft202012Validator(schema).iter_errors(raw), None)  # the first only: a file of many errors costs one
    if error is None:
        return None
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error.absolute_path).lstrip(".") or "(top level)"
    message = error.message if len(error.message) <= 160 else error.message[:160] + "..."
    return f"{where}: {message}"


def read_raw_record(path: Path) -> dict[str, Any]:
    """A results file's JSON, decoded with the caps of `bench.safejson` and checked against
    the results schema (`bench schema results`); otherwise one `ResultsError` line naming it."""
    from bench.errors import ResultsError
    from bench.paths import read_regular
    from bench.safejson import UnsafeJSON, loads

    path = Path(path)
    try:
        raw = loads(read_regular(path, MAX_RESULTS_BYTES))  # a regular file, at most MAX_RESULTS_BYTES
    except OSError as exc:
        raise ResultsError(f"{path}: cannot read: {exc.strerror}") from None
    except UnsafeJSON as exc:
        raise ResultsError(f"{path}: not a results file: {exc.problem}") from None
    if not isinstance(raw, dict):
        raise ResultsError(f"{path}: not a results file: expected a JSON object")
    if raw.get("format", RESULTS_FORMAT) != RESULTS_FORMAT:
        raise ResultsError(f"{path}: results format {raw['format']!r}; this bench reads format {RESULTS_FORMAT}")
    problem = schema_problem(raw)
    if problem is not None:
        raise ResultsError(f"{path}: not a valid results file (see `bench schema results`): {problem}")
    return raw


def read_record(path: Path) -> RunRecord:
    """Load a results file; a missing, malformed or inconsistent file (`bench.results.consistency`)
    is one `ResultsError` line naming it."""
    from bench.errors import ResultsError

    from bench.results.consistency import problem

    raw = read_raw_record(path)
    try:
        record = RunRecord.from_json(raw)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise ResultsError(f"{path}: not a results file written by `bench eval --out` or `bench score --out` ({type(exc).__name__}: {exc})") from None
    broken = problem(record)
    if broken is not None:
        raise ResultsError(f"{path}: inconsistent results, refused: {broken}")
    return record


def write_json_atomic(path: Path, payload: Any) -> None:
    """Write JSON whole or not at all (`bench.atomic`): a failed run never leaves half a file,
    nor one larger than MAX_RESULTS_BYTES, which the readers would refuse."""
    from bench.atomic import write_json

    write_json(path, payload, max_bytes=MAX_RESULTS_BYTES)
