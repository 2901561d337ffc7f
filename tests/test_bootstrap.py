"""The sentence bootstrap and the paired comparison: properties that must hold for any counts."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.results.metricref import MetricRef
from bench.results.record import RunRecord, UnitCounts
from bench.results.bootstrap import add_intervals, intervals, point_f1, resample_chunks, resample_counts, resampled_f1, series
from bench.results.paired import compare_records, paired_difference

HEADLINES = {"casualties": "f1", "ner": "strict_f1"}
PINNED = [2, 3, 1, 1, 0, 0, 1, 3, 0, 3, 1, 0]  # how often sentences 0-11 are drawn in the first resample
R = 2000  # fewer resamples keep the properties quick; the default (10,000) is tested on real runs

counts = st.integers(0, 4).map(float) | st.sampled_from([0.5, 1.5])


@st.composite
def unit_lists(draw, perfect=False, min_size=1):
    """Units of one metric: distinct (doc, sentence) keys with tp/fp/fn counts."""
    keys = draw(st.lists(st.tuples(st.sampled_from(["d1", "d2"]), st.integers(0, 15)), min_size=min_size, max_size=30, unique=True))
    out = []
    for doc_id, sentence in keys:
        tp = draw(counts)
        fp, fn = (0.0, 0.0) if perfect else (draw(counts), draw(counts))
        out.append(UnitCounts("casualties", None, doc_id, sentence, tp, fp, fn))
    return out


def _one(units, resamples=R, seed=7):
    rows = intervals(units, HEADLINES, resamples=resamples, seed=seed).rows
    assert len(rows) == 1
    return rows[0]


@settings(max_examples=60, deadline=None)
@given(unit_lists(perfect=True))
def test_perfect_prediction_gives_the_interval_one_one(units):
    row = _one(units)
    assert (row.low, row.value, row.high) == (1.0, 1.0, 1.0)


@settings(max_examples=60, deadline=None)
@given(unit_lists(), st.randoms(use_true_random=False))
def test_unit_order_never_changes_the_interval(units, random):
    shuffled = list(units)
    random.shuffle(shuffled)
    assert _one(units) == _one(shuffled)


@settings(max_examples=100, deadline=None)
@given(unit_lists())
def test_point_estimate_lies_in_the_interval(units):
    row = _one(units)
    assert row.low <= row.value <= row.high
    assert 0.0 <= row.low <= row.high <= 1.0


@settings(max_examples=60, deadline=None)
@given(unit_lists())
def test_a_run_against_itself_differs_by_zero_with_p_one(units):
    cells = series(units, HEADLINES)[MetricRef("casualties", "f1")]
    d = paired_difference(MetricRef("casualties", "f1"), cells, cells, resamples=R)
    assert (d.diff, d.low, d.high, d.p_value) == (0.0, 0.0, 0.0, 1.0)
    assert not d.significant


@settings(max_examples=40, deadline=None)
@given(unit_lists(), unit_lists())
def test_swapping_the_runs_flips_the_difference(a_units, b_units):
    ref = MetricRef("casualties", "f1")
    a, b = series(a_units, HEADLINES)[ref], series(b_units, HEADLINES)[ref]
    ab, ba = paired_difference(ref, a, b, resamples=R), paired_difference(ref, b, a, resamples=R)
    assert ab.diff == pytest.approx(-ba.diff)
    assert (ab.low, ab.high) == pytest.approx((-ba.high, -ba.low))
    assert ab.p_value == ba.p_value


def test_vectorised_resampling_equals_a_plain_loop():
    """The count matrix times the unit matrix is the same as summing drawn units one by one,
    and the draws are PCG64's raw outputs modulo n, whatever numpy's samplers do."""
    units = [UnitCounts("casualties", None, "d", i, float(i % 3), float(i % 2), float(i % 4 == 0)) for i in range(9)]
    cells = series(units, HEADLINES)[MetricRef("casualties", "f1")]
    rows = list(cells.values())
    drawn = (np.random.PCG64(11).random_raw(50 * len(rows)) % np.uint64(len(rows))).astype(int).reshape(50, len(rows))
    plain = []
    for resample in drawn:
        tp, fp, fn = (sum(rows[j][k] for j in resample) for k in range(3))
        plain.append(2 * tp / (2 * tp + fp + fn) if (2 * tp + fp + fn) else 1.0)
    weights = resample_counts(len(rows), 50, 11)
    assert (weights == np.array([np.bincount(r, minlength=len(rows)) for r in drawn])).all()
    assert (weights.sum(axis=1) == len(rows)).all()
    assert resampled_f1(cells, weights) == pytest.approx(plain)
    # Pinned: the first resample of the 54 sentences under the recorded seed never changes.
    assert resample_counts(54, 1, 20250306)[0, :12].astype(int).tolist() == PINNED


@pytest.mark.parametrize("cells", [1, 7, 54, 55, 1000, 10**9])
def test_blocks_of_resamples_stack_up_to_the_one_piece_matrix(cells):
    """Streaming in blocks reads the same stream: resample r takes outputs r*n .. (r+1)*n - 1."""
    n, resamples = 54, 23
    drawn = (np.random.PCG64(5).random_raw(resamples * n) % np.uint64(n)).astype(int).reshape(resamples, n)
    whole = np.array([np.bincount(r, minlength=n) for r in drawn])
    blocks = [block.copy() for block in resample_chunks(n, resamples, 5, cells=cells)]  # each block is a reused buffer
    assert all(len(b) * n <= max(cells, n) for b in blocks)
    assert (np.concatenate(blocks) == whole).all()


@settings(max_examples=30, deadline=None)
@given(unit_lists(), st.sampled_from([1, 5, 64, 10**9]))
def test_block_size_never_changes_an_interval(units, cells):
    import bench.results.bootstrap as bootstrap

    whole = _one(units, resamples=300)
    saved = bootstrap.CHUNK_CELLS
    try:
        bootstrap.CHUNK_CELLS = cells
        assert _one(units, resamples=300) == whole
    finally:
        bootstrap.CHUNK_CELLS = saved


def test_unlocated_predictions_are_spread_over_their_document():
    units = [UnitCounts("casualties", None, "d1", i, 1.0, 0.0, 0.0) for i in range(4)]
    units += [UnitCounts("casualties", None, "d2", 0, 1.0, 0.0, 0.0), UnitCounts("casualties", None, "d1", -1, 0.0, 2.0, 0.0)]
    cells = series(units, HEADLINES)[MetricRef("casualties", "f1")]
    assert ("d1", -1) not in cells
    assert [cells[("d1", i)] for i in range(4)] == [(1.0, 0.5, 0.0)] * 4
    assert cells[("d2", 0)] == (1.0, 0.0, 0.0)
    assert point_f1(cells) == pytest.approx(2 * 5 / (2 * 5 + 2))


def test_a_metric_interval_ignores_other_metrics_and_depends_on_the_seed():
    mine = [UnitCounts("casualties", None, "d", i, float(i % 2), float(i % 3 == 0), float(i % 5 == 0)) for i in range(20)]
    other = [UnitCounts("ner", "gold", "d", i, 1.0, 1.0, 0.0) for i in range(33)]
    alone = intervals(mine, HEADLINES, resamples=R).find("casualties", "f1")
    assert intervals(mine + other, HEADLINES, resamples=R).find("casualties", "f1") == alone
    assert intervals(mine, HEADLINES, resamples=R).find("casualties", "f1") == alone
    assert intervals(mine, HEADLINES, resamples=R, seed=8).find("casualties", "f1") != alone


def test_a_clear_improvement_is_significant_and_a_missing_key_counts_zero():
    ref = MetricRef("casualties", "f1")
    a = {("d", i): (0.0, 1.0, 1.0) for i in range(30)}
    b = {("d", i): (1.0, 0.0, 0.0) for i in range(30)}
    d = paired_difference(ref, a, b, resamples=R)
    assert d.diff == 1.0 and d.low == d.high == 1.0 and d.significant and d.p_value < 0.001
    # One sentence better, the rest equal: a real difference, but not a significant one.
    b_one = dict(a) | {("d", 0): (1.0, 0.0, 0.0)}
    small = paired_difference(ref, a, b_one, resamples=R)
    assert small.diff > 0 and not small.significant and small.low == 0.0
    # A key only B has is zero in A: B's extra false positive lowers B.
    extra = paired_difference(ref, b, dict(b) | {("d", 99): (0.0, 3.0, 0.0)}, resamples=R)
    assert extra.diff < 0 and extra.a == 1.0


def test_real_run_intervals_are_recorded_and_reproducible():
    from bench.documents import load_corpus
    from bench.harness.run import evaluate
    from bench.results.make import record_of
    from bench.systems.registry import SystemContext, create_system
    from bench.tasks import all_tasks

    corpus, tasks = load_corpus(), all_tasks()
    run, _ = evaluate(create_system("rules", SystemContext(corpus.root, tasks)), "rules", corpus, tasks)
    record = record_of(run)
    assert record.intervals is not None
    assert (record.intervals.settings.resamples, record.intervals.settings.seed) == (10_000, 20250306)
    for task in record.tasks:
        metric, view = record.headline(task)
        row, interval = record.row(task, metric, view), record.intervals.find(task, metric, view)
        assert interval is not None and interval.low <= row.value <= interval.high and interval.low < interval.high
        assert interval.value == pytest.approx(row.value)
    again = RunRecord.from_json(json.loads(json.dumps(record.to_json())))
    assert add_intervals(again).intervals == record.intervals == again.intervals
    assert compare_records(record, again)[0].p_value == 1.0


def test_terminal_tables_show_the_headline_intervals():
    from conftest import run_bench

    result = run_bench("eval", "rules")
    assert result.returncode == 0, result.stderr
    first = result.stdout.splitlines()[0]
    for task in ("ner.strict_f1[gold]=", "casualties.f1=", "attribution.f1="):
        value = first.split(task)[1].split("  ")[0]
        assert re.fullmatch(r"\d\.\d{4} \[\d\.\d{3}, \d\.\d{3}\]", value), first
    strict = next(line for line in result.stdout.splitlines() if line.startswith("strict "))
    assert re.search(r"0\.9169\s+\[0\.\d{3}, 0\.\d{3}\]", strict), strict


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 1)), min_size=1, max_size=80), st.booleans())
def test_draws_counted_per_distinct_row_give_the_per_sentence_f1s_bit_for_bit(rows, fractional):
    """`resampled_f1s` counts draws per distinct count row when that shrinks the matrix;
    every resample's F1 is still the per-sentence product's, exactly."""
    from bench.results.bootstrap import resampled_f1s

    a = {("d", i): (float(tp), float(fp) + (0.25 if fractional and i == 0 else 0.0), float(fn)) for i, (tp, fp, fn) in enumerate(rows)}
    b = {key: (fn, tp, fp) for key, (tp, fp, fn) in a.items()}
    weights = resample_counts(len(rows), 120, 3)
    got = resampled_f1s([a, b], 120, 3)
    assert got[0].tobytes() == resampled_f1(a, weights).tobytes()
    assert got[1].tobytes() == resampled_f1(b, weights).tobytes()


@given(unit_lists())
def test_a_unit_writes_every_field_as_asdict_would(units):
    from dataclasses import asdict

    from dataclasses import replace

    for u in units + [replace(u, metric="strict_f1", view="v") for u in units]:
        expected = {k: v for k, v in asdict(u).items() if k != "metric" or v is not None}
        assert u.to_json() == expected and list(u.to_json()) == list(expected)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 2), st.integers(0, 2), st.integers(0, 1)), min_size=1, max_size=60),
    st.booleans(),
    st.integers(1, 400),
    st.integers(1, 5),
    st.integers(1, 300),
)
def test_blocks_drawn_in_threads_give_one_threads_f1s_bit_for_bit(rows, fractional, resamples, workers, cells):
    """Runs of whole blocks in several threads, each with the generator advanced to its
    first resample, give exactly the F1s of one thread, grouped or per sentence."""
    from bench.results import bootstrap

    a = {("d", i): (float(tp), float(fp) + (0.25 if fractional and i == 0 else 0.0), float(fn)) for i, (tp, fp, fn) in enumerate(rows)}
    b = {key: (fn, tp, fp) for key, (tp, fp, fn) in a.items()}
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(bootstrap, "CHUNK_CELLS", cells)  # small blocks: many of them, so the runs split
        patch.setattr(bootstrap, "MIN_BLOCKS_PER_WORKER", 1)
        one = bootstrap.resampled_f1s([a, b], resamples, 7, workers=1)
        runs = bootstrap._runs(len(rows), resamples, workers)
        threaded = bootstrap.resampled_f1s([a, b], resamples, 7, workers=workers)
    assert [f.tobytes() for f in threaded] == [f.tobytes() for f in one]
    per_block = max(1, cells // len(rows))
    assert runs[0][0] == 0 and runs[-1][1] == resamples and all(b == c for (_, b), (c, _) in zip(runs, runs[1:]))
    assert all(start % per_block == 0 for start, _ in runs) and len(runs) <= workers


def test_the_two_articles_draw_in_one_thread_and_a_large_draw_splits_on_block_edges():
    from bench.results import bootstrap

    assert bootstrap._runs(54, bootstrap.RESAMPLES, 4) == [(0, bootstrap.RESAMPLES)]  # the two articles' 54 sentences: 3 blocks
    runs = bootstrap._runs(10_361, bootstrap.RESAMPLES, 2)
    assert len(runs) == 2 and runs[0][1] % bootstrap.block_rows(10_361) == 0
    assert 1 <= bootstrap.worker_count() <= bootstrap.MAX_WORKERS
