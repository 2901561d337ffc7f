"""Does a results record agree with itself, and with the installed gold?

Where it sits: stage 4, results. `read_record` runs `problem` on every results file it
reads, so `bench compare`, the leaderboard, the report and the gates never show a number
that does not follow from its counts. `bench leaderboard --verify` (`rescore`) checks the
step before: that the counts follow from the predictions.

A results file may come from anyone; these rules are what the numbers of an honest one
satisfy, whatever system made it. A record that breaks one is refused, naming the rule:

 C1  Each (task, metric, view, label) row is there once; so is each interval row, and each
     (task, metric, view, document, sentence) unit.
 C2  Every number is finite; tp, fp, fn, support and predicted are >= 0; a share (an F1, a
     precision, a recall, an accuracy) lies in [0, 1]; a count is >= 0.
 C3  An F1 row with counts has value F1(tp, fp, fn) (within 1e-9), support tp + fn and
     predicted tp + fp, by `bench.tasks.score.Counts`.
 C4  The precision and recall rows beside it (same task, view, label and prefix) have the
     precision and recall of the same counts, and the same support and predicted.
 C5  An accuracy row with counts has value tp / support, and tp + fn = support.
 C6  An interval names a metric row and has its value; low <= value <= high, within [0, 1].
 C7  A unit names one of the record's documents. The units of a metric add up to the counts
     of its unlabelled row (within 1e-9 of the total). Every metric has one unit for each
     sentence of each document, the same sentences for every metric (a unit per sentence
     with zero counts included); for the installed articles (same ids and text sha256),
     exactly their sentences. Collapsing the units, or inflating them, changes the
     bootstrap and every p-value, so neither passes.
 C8  On the installed articles (same ids and text sha256), a task whose gold version is the
     installed gold's has the installed gold's sha256; for a variant run, the gold it was
     derived from. A run on another tree (`--data`, a part of the articles) is not held to it.
 C9  A task this bench knows has the headline metric its catalogue names.

C2-C5 follow the task's metric catalogue (`bench metrics`); a task this bench does not
know gets C1, C2's finiteness, C6 and C7.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache
from typing import TYPE_CHECKING, Iterator, Mapping

from bench.tasks.metrics import PARSE_FAILURES, MetricKind
from bench.tasks.score import Counts, MetricRow, ratio

if TYPE_CHECKING:
    from bench.results.record import RunRecord

TOLERANCE = 1e-9


class Kind:
    SHARE = "share"  # in [0, 1]
    COUNT = "count"  # >= 0


def problem(record: RunRecord) -> str | None:
    """The first rule the record breaks, as `C<n>: what`, or None."""
    return next(_problems(record), None)


def _problems(record: RunRecord) -> Iterator[str]:
    yield from _headlines(record)
    yield from _rows(record)
    yield from _intervals(record)
    yield from _units(record)
    yield from _gold(record)


def _name(row: MetricRow) -> str:
    where = "".join(f" {k} {v!r}" for k, v in (("view", row.view), ("label", row.label)) if v is not None)
    return f"{row.task}.{row.metric}{where}"


def _near(a: float, b: float, scale: float = 1.0) -> bool:
    return abs(a - b) <= TOLERANCE * max(1.0, abs(scale))


def _kinds(task: str) -> Mapping[str, tuple[str, MetricKind | None]] | None:
    """metric name -> (SHARE or COUNT, its F1/ACCURACY kind), from the task's catalogue; None for a task not installed."""
    from bench.errors import BenchError
    from bench.tasks.registry import get_task

    try:
        catalogue = get_task(task).catalogue
    except (BenchError, KeyError):
        return None
    out: dict[str, tuple[str, MetricKind | None]] = {PARSE_FAILURES: (Kind.COUNT, None)}
    for spec in catalogue.metrics:
        if spec.kind is MetricKind.F1:
            out[spec.name] = (Kind.SHARE, MetricKind.F1)
            out[f"{spec.prefix}precision"] = (Kind.SHARE, None)
            out[f"{spec.prefix}recall"] = (Kind.SHARE, None)
        elif spec.kind is MetricKind.ACCURACY:
            out[spec.name] = (Kind.SHARE, MetricKind.ACCURACY)
        else:
            out[spec.name] = (Kind.COUNT, None)
    return out


def _headlines(record: RunRecord) -> Iterator[str]:
    from bench.errors import BenchError
    from bench.tasks.registry import get_task

    for task, header in record.tasks.items():
        try:
            headline = get_task(task).headline
        except (BenchError, KeyError):
            continue
        if header.headline != headline:
            yield f"C9: {task} names {header.headline!r} as its headline; this task's headline is {headline!r} (`bench metrics`)"


def _rows(record: RunRecord) -> Iterator[str]:
    seen: set[tuple] = set()
    by_key: dict[tuple, MetricRow] = {}
    for row in record.metrics:
        key = (row.task, row.metric, row.view, row.label)
        if key in seen:
            yield f"C1: the row {_name(row)} appears twice"
        seen.add(key)
        by_key[key] = row
        numbers = {"value": row.value, **{k: getattr(row, k) for k in ("tp", "fp", "fn", "support", "predicted") if getattr(row, k) is not None}}
        for field, number in numbers.items():
            if not math.isfinite(number):
                yield f"C2: {_name(row)} has {field} {number!r}, not a finite number"
            if field != "value" and number < 0:
                yield f"C2: {_name(row)} has {field} {number!r}, below 0"
    for row in record.metrics:
        kinds = _kinds(row.task)
        if kinds is None or row.metric not in kinds:
            continue
        kind, family = kinds[row.metric]
        if kind == Kind.SHARE and not 0.0 <= row.value <= 1.0:
            yield f"C2: {_name(row)} is {row.value!r}, outside [0, 1]"
        if kind == Kind.COUNT and row.value < 0:
            yield f"C2: {_name(row)} is {row.value!r}, below 0"
        if family is MetricKind.F1 and None not in (row.tp, row.fp, row.fn):
            yield from _f1(row, by_key)
        if family is MetricKind.ACCURACY and row.tp is not None and row.support is not None:
            if not _near(row.value, ratio(row.tp, row.support)):
                yield f"C5: {_name(row)} is {row.value!r}, but tp / support = {row.tp!r} / {row.support!r} = {ratio(row.tp, row.support)!r}"
            if row.fn is not None and not _near(row.tp + row.fn, row.support, row.support):
                yield f"C5: {_name(row)} has tp + fn = {row.tp + row.fn!r}, not its support {row.support!r}"


def _f1(row: MetricRow, by_key: Mapping[tuple, MetricRow]) -> Iterator[str]:
    counts = Counts(row.tp, row.fp, row.fn)
    if not _near(row.value, counts.f1):
        yield f"C3: {_name(row)} is {row.value!r}, but its counts (tp {row.tp!r}, fp {row.fp!r}, fn {row.fn!r}) give {counts.f1!r}"
    for field, expected in (("support", counts.support), ("predicted", counts.predicted)):
        stored = getattr(row, field)
        if stored is not None and not _near(stored, expected, expected):
            yield f"C3: {_name(row)} has {field} {stored!r}, but its counts give {expected!r}"
    prefix = row.metric[: -len("f1")]
    for name, expected in ((f"{prefix}precision", counts.precision), (f"{prefix}recall", counts.recall)):
        other = by_key.get((row.task, name, row.view, row.label))
        if other is None:
            continue
        if not _near(other.value, expected):
            yield f"C4: {_name(other)} is {other.value!r}, but the counts of {row.metric} give {expected!r}"
        for field in ("support", "predicted"):
            a, b = getattr(other, field), getattr(row, field)
            if a is not None and b is not None and a != b:
                yield f"C4: {_name(other)} has {field} {a!r}, but {row.metric} has {b!r}"


def _intervals(record: RunRecord) -> Iterator[str]:
    if record.intervals is None:
        return
    seen: set[tuple] = set()
    for interval in record.intervals.rows:
        key = (interval.task, interval.metric, interval.view)
        where = f"the interval of {interval.task}.{interval.metric}" + (f" view {interval.view!r}" if interval.view else "")
        if key in seen:
            yield f"C1: {where} appears twice"
        seen.add(key)
        numbers = (interval.low, interval.value, interval.high)
        if not all(isinstance(x, (int, float)) and math.isfinite(x) for x in numbers):
            yield f"C2: {where} holds a number that is not finite"
            continue
        row = record.row(*key)
        if row is None:
            yield f"C6: {where} names no metric row of the record"
        elif not _near(row.value, interval.value):
            yield f"C6: {where} has value {interval.value!r}, but the row says {row.value!r}"
        if not (0.0 <= interval.low <= interval.value <= interval.high <= 1.0):
            yield f"C6: {where} is [{interval.low!r}, {interval.high!r}] around {interval.value!r}; an interval holds its value, within [0, 1]"


def _units(record: RunRecord) -> Iterator[str]:
    if not record.units:
        return
    seen: set[tuple] = set()
    sums: dict[tuple, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    located: dict[tuple, dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for u in record.units:
        if u.task not in record.tasks:
            yield f"C7: a unit names the task {u.task!r}, which the record does not have"
            return
        metric = u.metric or record.tasks[u.task].headline
        key = (u.task, metric, u.view, u.doc_id, u.sentence)
        if key in seen:
            yield f"C1: the unit of {u.task}.{metric} for {u.doc_id!r} sentence {u.sentence} appears twice"
        seen.add(key)
        if u.doc_id not in record.documents:
            yield f"C7: a unit names the document {u.doc_id!r}, which the record does not list"
            return
        if not all(math.isfinite(x) and x >= 0 for x in (u.tp, u.fp, u.fn)):
            yield f"C2: the unit of {u.task}.{metric} for {u.doc_id!r} sentence {u.sentence} holds a count that is negative or not finite"
            return
        total = sums[(u.task, metric, u.view)]
        total[0] += u.tp
        total[1] += u.fp
        total[2] += u.fn
        if u.sentence >= 0:
            located[(u.task, metric, u.view)][u.doc_id].add(u.sentence)
    for (task, metric, view), (tp, fp, fn) in sums.items():
        row = record.row(task, metric, view)
        where = f"{task}.{metric}" + (f" view {view!r}" if view else "")
        if row is None or None in (row.tp, row.fp, row.fn):
            yield f"C7: the units of {where} have no row with counts to add up to"
            continue
        for field, have, want in (("tp", tp, row.tp), ("fp", fp, row.fp), ("fn", fn, row.fn)):
            if not _near(have, want, want):
                yield f"C7: the units of {where} add up to {field} {have!r}, but the row says {want!r}"
    expected = _installed_sentences(record.documents)
    shapes = {ref: {d: frozenset(s) for d, s in docs.items()} for ref, docs in located.items()}
    first = next(iter(shapes.items()), None)
    for ref, shape in shapes.items():
        where = f"{ref[0]}.{ref[1]}" + (f" view {ref[2]!r}" if ref[2] else "")
        want = expected if expected is not None else first[1]
        if shape != want:
            whose = "the installed articles'" if expected is not None else f"those of {first[0][0]}.{first[0][1]}"
            yield f"C7: the units of {where} are not one per sentence ({_count(shape)} units over {len(shape)} documents; {whose}: {_count(want)})"
            return


def _count(shape: Mapping[str, frozenset[int]]) -> int:
    return sum(len(s) for s in shape.values())


def _installed_sentences(documents: Mapping[str, str]) -> dict[str, frozenset[int]] | None:
    """The sentence indices of each installed article, when `documents` are the installed articles."""
    installed = _installed_articles()
    if installed is None or dict(documents) != installed[0]:
        return None
    return installed[1]


def _gold(record: RunRecord) -> Iterator[str]:
    installed = _installed_articles()
    if record.variant is None and (installed is None or dict(record.documents) != installed[0]):
        return  # another tree (`--data`): its gold may be a part of the installed one, under the same version
    for task, header in record.tasks.items():
        claimed = header
        if record.variant is not None:
            claimed = record.variant.base_gold.get(task)
            if claimed is None:
                continue
        mine = _installed_gold(task)
        if mine is not None and claimed.gold_version == mine[0] and claimed.gold_sha256 != mine[1]:
            yield (f"C8: {task} claims gold {claimed.gold_version}, whose sha256 is {mine[1][:12]}..., "
                   f"but records {str(claimed.gold_sha256)[:12]}...")


@lru_cache(maxsize=1)
def _installed_articles() -> tuple[dict[str, str], dict[str, frozenset[int]]] | None:
    """(doc_id -> text sha256, doc_id -> sentence indices) of the installed articles."""
    from bench.documents.corpus import load_corpus
    from bench.errors import BenchError

    try:
        corpus = load_corpus()
    except (BenchError, OSError):
        return None
    return {i: d.sha256 for i, d in corpus.items()}, {i: frozenset(s.index for s in d.sentences) for i, d in corpus.items()}


@lru_cache(maxsize=None)
def _installed_gold(task: str) -> tuple[str, str] | None:
    """(gold version, content sha256) of the installed gold of `task`; None for a task the installed tree has no gold for."""
    from bench.documents.corpus import load_corpus
    from bench.errors import BenchError
    from bench.tasks.goldfiles import gold_fingerprint, read_versions

    try:
        corpus = load_corpus()
        if task not in read_versions(corpus.root):
            return None
        return gold_fingerprint(corpus.root, task, corpus)
    except (BenchError, OSError, KeyError):
        return None
