"""The casualty scorer: oracle and empty bounds, each credit rule biting, order
independence, grounding of text-only figures, and counts that add up."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.tasks.casualties.alignment import credit
from bench.tasks.casualties.task import CasualtyTask
from bench.tasks.base import ScoringContext
from bench.tasks.casualties.types import Bounds, Kind, Outcome, TextSpan, Unit, VictimCategory

TASK = CasualtyTask()
D0, D3 = "000_5cf36fedf2077db3", "003_a061056322098f3b"


@pytest.fixture(scope="module")
def gold(corpus):
    return TASK.load_gold(corpus.root, corpus)


@pytest.fixture(scope="module")
def oracle(gold):
    return {doc_id: list(TASK.gold_as_predictions(g)) for doc_id, g in gold.items()}


def run(corpus, gold, preds):
    return TASK.score(corpus, gold, preds)


def value(score, metric, **where):
    return score.row(metric, label=None, **where).value


def with_change(oracle, doc_id, index, change):
    preds = {d: list(items) for d, items in oracle.items()}
    preds[doc_id][index] = change(preds[doc_id][index])
    return preds


def set_bounds(figure, kind, low, high, point=None):
    return replace(figure, quantity=replace(figure.quantity, bounds=Bounds(kind, low, high, point)))


def find(oracle, doc_id, text):
    return next(i for i, f in enumerate(oracle[doc_id]) if f.quantity.span.text == text)


def test_gold_counts(gold):
    assert [len(gold[d].figures) for d in (D0, D3)] == [6, 4]
    assert [len(gold[d].non_casualty) for d in (D0, D3)] == [10, 5]


def test_oracle_scores_one_everywhere(corpus, gold, oracle):
    score = run(corpus, gold, oracle)
    for metric in ("f1", "precision", "recall", "strict_f1", "detection_f1", "value_accuracy", "victim_accuracy", "unit_accuracy"):
        assert value(score, metric) == 1.0, metric
    for metric in ("spurious_on_negatives", "ungrounded", "surplus"):
        assert value(score, metric) == 0.0
    assert score.errors == ()


def test_empty_scores_zero(corpus, gold):
    score = run(corpus, gold, {})
    assert value(score, "f1") == value(score, "recall") == value(score, "detection_f1") == 0.0
    assert score.row("f1", label=None).fn == 10
    assert {e["kind"] for e in score.errors} == {"missed"}


# Each credit rule, on one figure out of ten: (change, f1, strict_f1, detection_f1).
# 0.5 credit on one of ten: P = R = 9.5/10. 0 credit: P = R = 9/10.
# An outcome change unaligns the pair: one false positive and one false negative.
PERTURBATIONS = {
    "bound, overlapping (over 70 read as 70 or more)": (D0, "over 70", lambda f: set_bounds(f, Kind.LOWER_BOUND, 70, None), 0.95, 0.9, 1.0),
    "bound, disjoint (dozens as ACLED's point 12)": (D0, "Dozens", lambda f: set_bounds(f, Kind.EXACT, 12, 12, 12), 0.9, 0.9, 1.0),
    "kind only (same interval)": (D3, "Several", lambda f: set_bounds(f, Kind.RANGE, 3, 9), 0.95, 0.9, 1.0),
    "point inside the gold interval, interval outside": (D0, "over 70", lambda f: set_bounds(f, Kind.APPROX, 50, 60, 75), 0.95, 0.9, 1.0),
    "victim category (not in f1 since scorer 1.1.0)": (D0, "at least 13", lambda f: replace(f, victim_category=VictimCategory.CIVILIANS), 1.0, 0.9, 1.0),
    "unit": (D3, "Hundreds", lambda f: replace(f, unit=Unit.PERSONS), 0.95, 0.9, 1.0),
    "outcome": (D0, "over 70", lambda f: replace(f, outcome=Outcome.INJURED), 0.9, 0.9, 0.9),
}


@pytest.mark.parametrize("name", list(PERTURBATIONS))
def test_each_credit_rule_bites(corpus, gold, oracle, name):
    doc_id, text, change, f1, strict, detection = PERTURBATIONS[name]
    score = run(corpus, gold, with_change(oracle, doc_id, find(oracle, doc_id, text), change))
    assert value(score, "f1") == pytest.approx(f1)
    assert value(score, "strict_f1") == pytest.approx(strict)
    assert value(score, "detection_f1") == pytest.approx(detection)


def test_accuracies_name_what_differs(corpus, gold, oracle):
    i = find(oracle, D0, "at least 13")
    score = run(corpus, gold, with_change(oracle, D0, i, lambda f: replace(f, victim_category=VictimCategory.CIVILIANS)))
    assert value(score, "victim_accuracy") == pytest.approx(0.9)
    assert value(score, "victim_exact_accuracy") == pytest.approx(0.9)
    assert value(score, "value_accuracy") == value(score, "unit_accuracy") == 1.0
    (error,) = score.errors
    assert error["kind"] == "victim_mismatch" and error["mismatch"] == ["victim"] and error["gold"]["id"] == "000-c05"
    assert score.row("victim_confusion", label="state_forces->civilians").value == 1


def test_credit_rule_directly(gold):
    g = next(f for f in gold[D0].figures if f.quantity.span.text == "over 70")  # [71, inf)
    assert credit(g, g) == 1.0
    assert credit(g, set_bounds(g, Kind.EXACT, 80, 80, 80)) == 0.5  # a point inside
    assert credit(g, set_bounds(g, Kind.UPPER_BOUND, 1, 70)) == 0.0  # touches but does not overlap
    assert credit(g, set_bounds(g, Kind.UPPER_BOUND, 1, 71)) == 0.5


def test_spurious_on_negative_numbers(corpus, gold, oracle):
    crowd = next(n for n in gold[D3].non_casualty if n.kind.value == "crowd_size")  # "hundreds of citizens poured..."
    fake = replace(oracle[D3][0], quantity=replace(oracle[D3][0].quantity, span=TextSpan(crowd.start, crowd.end, crowd.text)))
    preds = {d: list(items) for d, items in oracle.items()}
    preds[D3].append(fake)
    score = run(corpus, gold, preds)
    assert value(score, "spurious_on_negatives") == 1.0
    assert value(score, "recall") == 1.0 and value(score, "precision") == pytest.approx(10 / 11)
    assert any(e["kind"] == "spurious_on_negative" and e["non_casualty"]["kind"] == "crowd_size" for e in score.errors)


def text_only(figure):
    return replace(figure, quantity=replace(figure.quantity, span=TextSpan(None, None, figure.quantity.span.text)))


def test_text_only_predictions_are_grounded(corpus, gold, oracle):
    preds = {d: [text_only(f) for f in items] for d, items in oracle.items()}
    score = run(corpus, gold, preds)
    assert value(score, "f1") == 1.0


def test_text_only_grounding_prefers_the_gold_figure_over_a_crowd(corpus, gold, oracle):
    # "hundreds" occurs three times in 003: a crowd (first), the killed Syrians, and "Hundreds" of kidnappings.
    killed = oracle[D3][find(oracle, D3, "hundreds")]
    score = run(corpus, gold, {D3: [text_only(killed)]})
    assert score.row("f1", label=None).tp == 1
    assert value(score, "spurious_on_negatives") == 0.0


def test_invented_and_surplus_figures_are_false_positives(corpus, gold, oracle):
    invented = replace(text_only(oracle[D0][0]), quantity=replace(oracle[D0][0].quantity, span=TextSpan(None, None, "at least 250")))
    dozens = text_only(oracle[D0][find(oracle, D0, "Dozens")])
    preds = {d: list(items) for d, items in oracle.items()}
    preds[D0] += [invented, dozens]  # every "dozens" in 000 is already taken by the oracle's figures
    score = run(corpus, gold, preds)
    assert value(score, "ungrounded") == 1.0 and value(score, "surplus") == 1.0
    assert value(score, "recall") == 1.0 and value(score, "precision") == pytest.approx(10 / 12)
    assert sorted(e["kind"] for e in score.errors) == ["surplus", "ungrounded"]


def _totals(score):
    """tp, fp, fn of every metric with per-sentence units: from its row, and summed from its units."""
    rows, units = [], []
    for metric in ("f1", "strict_f1", "detection_f1"):
        row = score.row(metric, label=None)
        mine = [u for u in score.units if (u.metric or "f1") == metric]
        rows += [row.tp, row.fp, row.fn]
        units += [sum(getattr(u, k) for u in mine) for k in ("tp", "fp", "fn")]
    return rows, units


def _random_predictions(oracle, seed):
    rng = random.Random(seed)
    changes = [
        lambda f: set_bounds(f, Kind.EXACT, 12, 12, 12),
        lambda f: set_bounds(f, f.quantity.bounds.kind, f.quantity.bounds.low + 1, f.quantity.bounds.high),
        lambda f: replace(f, victim_category=VictimCategory.MIXED),
        lambda f: replace(f, unit=Unit.INCIDENTS),
        lambda f: replace(f, outcome=Outcome.MISSING),
        text_only,
        lambda f: f,
    ]
    out = {}
    for doc_id, items in oracle.items():
        kept = [rng.choice(changes)(f) for f in items if rng.random() < 0.8]
        kept += [rng.choice(items) for _ in range(rng.randint(0, 2))]  # duplicates
        out[doc_id] = kept
    return out


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000), shuffle_seed=st.integers(0, 10_000))
def test_input_order_never_changes_the_score(corpus, gold, oracle, seed, shuffle_seed):
    preds = _random_predictions(oracle, seed)
    shuffled = {}
    rng = random.Random(shuffle_seed)
    for doc_id in sorted(preds, key=lambda _: rng.random()):
        items = list(preds[doc_id])
        rng.shuffle(items)
        shuffled[doc_id] = items
    a, b = run(corpus, gold, preds), run(corpus, gold, shuffled)
    assert [(r.metric, r.label, r.value, r.tp, r.fp, r.fn) for r in a.rows] == [(r.metric, r.label, r.value, r.tp, r.fp, r.fn) for r in b.rows]


@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_counts_add_up_across_sentences_documents_and_outcomes(corpus, gold, oracle, seed):
    preds = _random_predictions(oracle, seed)
    score = run(corpus, gold, preds)
    totals, from_units = _totals(score)
    assert totals == pytest.approx(from_units)
    row = score.row("f1", label=None)
    assert row.tp + row.fp == row.predicted == sum(len(v) for v in preds.values())
    assert row.tp + row.fn == row.support == 10
    per_doc = [run(corpus, {d: gold[d]}, {d: preds.get(d, [])}).row("f1", label=None) for d in gold]
    assert (sum(r.tp for r in per_doc), sum(r.fp for r in per_doc), sum(r.fn for r in per_doc)) == pytest.approx(totals[:3])  # the headline's
    outcomes = [r for r in score.rows if r.metric == "f1" and r.label is not None]
    assert sum(r.tp for r in outcomes) == pytest.approx(row.tp)
    assert sum(r.support for r in outcomes) == row.support and sum(r.predicted for r in outcomes) == row.predicted
    assert 0.0 <= value(score, "f1") <= 1.0
    assert value(score, "strict_f1") <= value(score, "f1") <= value(score, "detection_f1")
    confusion = [r for r in score.rows if r.metric == "victim_confusion"]
    assert sum(r.value for r in confusion) == score.row("victim_accuracy").support  # every aligned pair, once


def test_a_bad_figure_from_a_system_names_the_record(corpus, gold, oracle):
    from bench.errors import PredictionError

    bad = set_bounds(oracle[D0][0], Kind.RANGE, 9, 3)
    with pytest.raises(PredictionError, match=r"system 'x', document 000_5cf36fedf2077db3: casualties\[0\]\.quantity: low 9 > high 3"):
        TASK.score(corpus, gold, {D0: [bad]}, ScoringContext(where={D0: "system 'x', document 000_5cf36fedf2077db3"}))
