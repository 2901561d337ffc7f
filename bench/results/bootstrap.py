"""Confidence intervals for F1 metrics: a percentile bootstrap over sentences.

Where it sits: stage 4, results. `bench.results.make.record_of` calls `add_intervals` on every run's record, so
results files, terminal tables and the leaderboard carry a 95% interval for each
metric that has per-sentence counts (`RunRecord.units`); `bench compare` uses the same
resampling, paired, in `bench.results.paired`.

Why sentences. The benchmark is two articles, so resampling documents has two values
to draw from and says nothing. Sentences are the finest unit every task's scorer can
place an item in without splitting it: NER mentions, casualty figures (by the gold
figure's quantity) and attribution relations (by the start of their content) each
belong to one sentence. Paragraphs (one line of the article) would also work, but the
two articles have 37 of them against 54 sentences, and 25 of the 37 are one sentence,
so they would buy little independence for a third fewer units. Sentences of the same
paragraph are not fully independent (a quote and its source can sit in two sentences),
which makes these intervals somewhat narrow: read them as the noise of drawing other
sentences like these, not of other articles.

Ungrounded predictions (sentence -1: strings a system gave that are not in the text)
belong to a document but to no sentence. They are spread evenly over the document's
sentences (each of n sentences gets 1/n of each such false positive) rather than made
one more unit: a single unit holding, say, 30 hallucinated strings would be drawn 0, 1
or 2 times and make the resampled F1 jump between modes, and the set of units would
then differ between systems and tasks. Totals are unchanged, so the point estimate is
the scorer's.

Method: `RESAMPLES` resamples of the n sentences with replacement, drawn with a fixed
`SEED` (PCG64's raw output, the same with any numpy version), as an (R, n) matrix of
how often each sentence is drawn; times the (n, 3) tp/fp/fn matrix of a metric gives
every resample's counts at once (the metrics over the same sentences side by side, as
one (n, 3 x metrics) matrix, so one product serves them all). Where the sentences hold
whole counts and at most half as many distinct rows as sentences (a large corpus, where
most sentences look alike), the draws are counted per distinct row instead: the same
draws and, since whole counts add up exactly in any order, the same bits. The matrix is
made and used in blocks of rows (at most `CHUNK_CELLS` draws each), so memory stays bounded for any R and n; the blocks read the
same stream in the same order, so the draws are the same as in one piece. When there
are many blocks, runs of whole blocks go to threads, one per core (at most
`MAX_WORKERS`), each with the generator advanced to its first resample: every block
holds the same rows and draws as in one thread, so the result is the same, bit for bit,
and F1 = 2tp / (2tp + fp + fn) (1.0 when nothing is to be found and nothing was
predicted, as in the scorers). The interval is the 2.5th and 97.5th percentile. Units
are sorted by (document, sentence) first, so their order never changes a result; a
metric's interval depends only on its own units and the seed.
"""

from __future__ import annotations

import os
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator, Mapping, Sequence

from bench.results.metricref import MetricRef
from bench.results.record import Interval, IntervalMethod, Intervals, IntervalSettings, ResampleUnit, RunRecord, UnitCounts

if TYPE_CHECKING:
    import numpy as np

RESAMPLES = 10_000
CHUNK_CELLS = 250_000  # draws per block: 2 MB per working array, which stays in cache (8x larger blocks were 1.5x slower)
MAX_WORKERS = 4  # threads for the blocks of one draw (on 2 cores, 10^8 draws took 0.51 s instead of 0.70 s)
MIN_BLOCKS_PER_WORKER = 4  # each thread gets at least this many blocks, so a small draw stays in one thread
SEED = 20250306  # the first day of the clashes the articles report
LEVEL = 0.95
UNLOCATED = -1  # the sentence index of predictions with no place in the text

Key = tuple[str, int]  # (doc_id, sentence)
Counts3 = tuple[float, float, float]  # tp, fp, fn


def settings(resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL) -> IntervalSettings:
    return IntervalSettings(IntervalMethod.PERCENTILE_BOOTSTRAP, ResampleUnit.SENTENCE, resamples, seed, level)


def series(units: Iterable[UnitCounts], headlines: Mapping[str, str]) -> dict[MetricRef, dict[Key, Counts3]]:
    """Per metric, the counts of each sentence, with unlocated counts spread over their
    document's sentences. `headlines` names the metric of units whose `metric` is None."""
    raw: dict[MetricRef, dict[Key, list[float]]] = defaultdict(dict)
    for u in units:
        ref = MetricRef(u.task, u.metric or headlines[u.task], u.view)
        cell = raw[ref].setdefault((u.doc_id, u.sentence), [0.0, 0.0, 0.0])
        cell[0] += u.tp
        cell[1] += u.fp
        cell[2] += u.fn
    out: dict[MetricRef, dict[Key, Counts3]] = {}
    for ref, cells in raw.items():
        for doc_id, sentence in [k for k in cells if k[1] == UNLOCATED]:
            located = [k for k in cells if k[0] == doc_id and k[1] != UNLOCATED]
            if not located:
                continue  # a document with no sentence units: keep its unlocated counts as a unit
            extra = cells.pop((doc_id, sentence))
            for key in located:
                cells[key] = [c + e / len(located) for c, e in zip(cells[key], extra)]
        out[ref] = {key: (c[0], c[1], c[2]) for key, c in sorted(cells.items())}
    return out


def block_rows(n: int, resamples: int = RESAMPLES, cells: int | None = None) -> int:
    """Resamples a block holds: as many as fit in `cells` draws (at least one)."""
    return min(max(1, (CHUNK_CELLS if cells is None else cells) // max(n, 1)), max(resamples, 1))


def drawn_chunks(n: int, resamples: int = RESAMPLES, seed: int = SEED, cells: int | None = None, start: int = 0, stop: int | None = None) -> Iterator["np.ndarray"]:
    """The drawn units themselves, as (rows, n) blocks of indices below n (each block a
    reused buffer), at most `cells` draws a block: resample r is PCG64's raw outputs
    r*n to (r+1)*n - 1, each modulo n. `resample_chunks` counts them per unit.

    `start` and `stop` give a run of the resamples (the generator is advanced to
    `start`); with `start` a multiple of `block_rows`, its blocks are those of the whole run."""
    import numpy as np

    generator = np.random.PCG64(seed)
    stop = resamples if stop is None else stop
    if start:
        generator.advance(start * n)
    per_block = block_rows(n, resamples, cells)
    quotients = np.empty(per_block * n, dtype=np.uint64)
    divisor = np.uint64(max(n, 1))
    for first in range(start, stop, per_block):
        rows = min(per_block, stop - first)
        drawn = generator.random_raw(rows * n)
        # drawn mod n, as drawn - (drawn // n) * n: numpy divides by a scalar with libdivide,
        # 2-3x faster than its remainder here; in place, since fresh arrays cost page faults
        quotient = quotients[: rows * n]
        np.floor_divide(drawn, divisor, out=quotient)
        np.multiply(quotient, divisor, out=quotient)
        np.subtract(drawn, quotient, out=drawn)
        yield drawn.view(np.int64).reshape(rows, n)  # every value is below n, so the bits agree


def resample_chunks(n: int, resamples: int = RESAMPLES, seed: int = SEED, cells: int | None = None) -> Iterator["np.ndarray"]:
    """The rows of `resample_counts`, a block of at most `cells` draws at a time (at
    least one resample per block), so memory stays bounded whatever `resamples` is.
    The blocks read the generator's stream in order: stacked, they are exactly the
    matrix one call would make. Each block is one reused buffer: copy it to keep it."""
    yield from _counted(drawn_chunks(n, resamples, seed, cells), None, n)


def _counted(blocks: Iterator["np.ndarray"], group_of: "np.ndarray | None", groups: int) -> Iterator["np.ndarray"]:
    """Each block of draws as a float (rows, groups) matrix of how often each group (each
    unit, when `group_of` is None) was drawn in each resample."""
    import numpy as np

    weights = None
    for index in blocks:
        rows = len(index)
        if weights is None:
            weights = np.empty((rows, groups))  # float, so that the product with the counts is one BLAS call
            offsets = groups * np.arange(rows)[:, None]
            gathered = np.empty(index.shape, dtype=np.int64)
        if group_of is not None:
            index = np.take(group_of, index, out=gathered[:rows])  # take, not group_of[index]: several times faster
        index += offsets[:rows]
        np.copyto(weights[:rows], np.bincount(index.ravel(), minlength=rows * groups).reshape(rows, groups))
        yield weights[:rows]


def resample_counts(n: int, resamples: int = RESAMPLES, seed: int = SEED) -> "np.ndarray":
    """(resamples, n): how often each of n units is drawn in each resample (rows sum to n).

    The draws are PCG64's raw 64-bit outputs modulo n (a bias below 1e-17), not numpy's
    sampling routines, whose streams may change between numpy versions: the same seed
    gives the same resamples with any numpy. Resample r takes outputs r*n to (r+1)*n - 1.
    Whole, this matrix takes resamples x n x 8 bytes: the scorers use `resample_chunks`."""
    import numpy as np

    return np.concatenate([block.copy() for block in resample_chunks(n, resamples, seed)])


def resampled_f1s(cell_sets: Sequence[Mapping[Key, Counts3]], resamples: int = RESAMPLES, seed: int = SEED, workers: int | None = None) -> list["np.ndarray"]:
    """The F1 of every resample for each of several series over the same sorted keys,
    drawn once and streamed in blocks (see `resample_chunks`), runs of blocks in
    `workers` threads (None: one per core, see `worker_count`)."""
    import numpy as np

    if not cell_sets:
        return []
    n = len(cell_sets[0])
    counts = np.hstack([_matrix(cells) for cells in cell_sets])  # (n, 3 x series): one product a block
    # Sentences whose counts are all the same add up the same: count the draws per distinct
    # row instead of per sentence, when that shrinks the matrix. Only for whole counts,
    # whose sums are exact in any order, so the result is the per-sentence one, bit for bit.
    rows, group_of = np.unique(counts, axis=0, return_inverse=True)
    if 2 * len(rows) <= n and np.array_equal(counts, np.round(counts)):
        counts, group_of, groups = rows, group_of.reshape(-1), len(rows)
    else:
        group_of, groups = None, n
    out = np.empty((len(cell_sets), resamples))

    def fill(start: int, stop: int) -> None:
        done = start
        for weights in _counted(drawn_chunks(n, resamples, seed, start=start, stop=stop), group_of, groups):
            summed = weights @ counts
            for k, values in enumerate(out):
                values[done : done + len(weights)] = f1(summed[:, 3 * k], summed[:, 3 * k + 1], summed[:, 3 * k + 2])
            done += len(weights)

    runs = _runs(n, resamples, worker_count() if workers is None else workers)
    if len(runs) == 1:
        fill(*runs[0])
    else:
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(len(runs), thread_name_prefix="bench-bootstrap") as pool:
            for future in [pool.submit(fill, *run) for run in runs]:
                future.result()
    return list(out)


def worker_count() -> int:
    """Threads for one draw: the cores this process may use, at most `MAX_WORKERS`."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return max(1, min(MAX_WORKERS, cores))


def _runs(n: int, resamples: int, workers: int) -> list[tuple[int, int]]:
    """[start, stop) runs of whole blocks, one a thread, as even as blocks allow."""
    per_block = block_rows(n, resamples)
    blocks = -(-resamples // per_block)
    workers = max(1, min(workers, blocks // MIN_BLOCKS_PER_WORKER))
    bounds = [min(resamples, per_block * (blocks * w // workers)) for w in range(workers + 1)]
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b] or [(0, resamples)]


def _matrix(cells: Mapping[Key, Counts3]) -> "np.ndarray":
    """The (n, 3) tp/fp/fn matrix of a series, in the order of its sorted keys."""
    import numpy as np

    return np.asarray(list(cells.values()), dtype=float).reshape(-1, 3)


def f1(tp: "np.ndarray", fp: "np.ndarray", fn: "np.ndarray") -> "np.ndarray":
    """F1 from summed counts, elementwise; 1.0 where there is nothing to find and nothing predicted."""
    import numpy as np

    den = 2 * tp + fp + fn
    return np.divide(2 * tp, den, out=np.ones_like(den, dtype=float), where=den > 0)


def resampled_f1(cells: Mapping[Key, Counts3], weights: "np.ndarray") -> "np.ndarray":
    """F1 of every resample: `weights` is (R, n) over the sorted keys of `cells`."""
    summed = weights @ _matrix(cells)
    return f1(summed[:, 0], summed[:, 1], summed[:, 2])


def point_f1(cells: Mapping[Key, Counts3]) -> float:
    tp, fp, fn = (sum(c[i] for c in cells.values()) for i in range(3))
    den = 2 * tp + fp + fn
    return 2 * tp / den if den else 1.0


def percentiles(values: "np.ndarray", level: float = LEVEL) -> tuple[float, float]:
    import numpy as np

    tail = 100 * (1 - level) / 2
    low, high = np.percentile(values, [tail, 100 - tail])
    return float(low), float(high)


def intervals(
    units: Iterable[UnitCounts], headlines: Mapping[str, str], resamples: int = RESAMPLES, seed: int = SEED, level: float = LEVEL
) -> Intervals:
    """A percentile-bootstrap interval for every metric that has units."""
    by_metric = series(units, headlines)
    # Metrics over the same sentences share one draw; the draw depends only on n and the seed.
    by_keys: dict[tuple[Key, ...], list[MetricRef]] = defaultdict(list)
    for ref, cells in by_metric.items():
        by_keys[tuple(cells)].append(ref)
    values: dict[MetricRef, "np.ndarray"] = {}
    for refs in by_keys.values():
        values.update(zip(refs, resampled_f1s([by_metric[ref] for ref in refs], resamples, seed)))
    rows = []
    for ref, cells in sorted(by_metric.items(), key=lambda item: str(item[0])):
        low, high = percentiles(values[ref], level)
        rows.append(Interval(ref.task, ref.metric, ref.view, point_f1(cells), low, high))
    return Intervals(settings(resamples, seed, level), tuple(rows))


def headlines_of(record: RunRecord) -> dict[str, str]:
    return {task: header.headline for task, header in record.tasks.items()}


def add_intervals(record: RunRecord, resamples: int = RESAMPLES, seed: int = SEED) -> RunRecord:
    """The record with `intervals` filled in from its units."""
    return replace(record, intervals=intervals(record.units, headlines_of(record), resamples, seed))
