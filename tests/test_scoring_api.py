"""The public span-scoring API (`bench.scoring`): plain (doc_id, start, end, label) spans
in, the four schemes out; checked against nervaluate on the same data, and by properties."""

from __future__ import annotations

import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator

from bench.scoring import ErrorKind, SchemeScore, score_spans
from test_ner_matching import LABELS, unambiguous_doc

FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
NERVALUATE_NAME = {"strict": "strict", "exact": "exact", "partial": "partial", "type": "ent_type"}
FIELDS = ("correct", "incorrect", "partial", "missed", "spurious", "possible", "actual")


def nervaluate(docs: dict[str, tuple[list, list]]) -> dict:
    """nervaluate 1.2.x on the same documents; its dict spans have an INCLUSIVE end."""
    as_dicts = lambda spans: [{"label": s.label, "start": s.start, "end": s.end - 1} for s in spans]  # noqa: E731
    ids = sorted(docs)
    return Evaluator([as_dicts(docs[d][0]) for d in ids], [as_dicts(docs[d][1]) for d in ids], tags=list(LABELS), loader="dict").evaluate()


def tuples(docs: dict[str, tuple[list, list]], side: int) -> list[tuple[str, int, int, str]]:
    return [(d, s.start, s.end, s.label) for d, pair in docs.items() for s in pair[side]]


def assert_same(ours: SchemeScore, theirs) -> None:
    assert tuple(getattr(ours, f) for f in FIELDS) == tuple(getattr(theirs, f) for f in FIELDS)
    if ours.possible or ours.actual:  # nervaluate gives 0 where nothing is gold or predicted; we give 1.0
        assert (ours.precision, ours.recall, ours.f1) == pytest.approx((theirs.precision, theirs.recall, theirs.f1))


def test_a_small_example_by_hand():
    gold = [("a", 0, 5, "PER"), ("b", 0, 5, "PER"), ("b", 10, 13, "ORG")]
    pred = [("a", 1, 5, "PER"), ("b", 10, 13, "LOC"), ("b", 0, 5, "PER")]
    result = score_spans(gold, pred)
    assert result.overall["strict"].f1 == pytest.approx(1 / 3)
    partial = result.overall["partial"]
    assert (partial.correct, partial.partial, partial.possible) == (2, 1, 3)
    assert partial.precision == pytest.approx(2.5 / 3)  # half credit kept across documents
    assert result.overall["type"].correct == 2 and result.overall["exact"].correct == 2
    assert result.per_label["PER"]["type"].f1 == 1.0
    assert (result.per_label["ORG"]["strict"].missed, result.per_label["LOC"]["strict"].spurious) == (1, 1)
    assert [(e.doc_id, e.kind) for e in result.errors] == [("a", ErrorKind.BOUNDARY), ("b", ErrorKind.TYPE)]
    assert result.errors[1].gold == ("b", 10, 13, "ORG") and result.errors[1].pred == ("b", 10, 13, "LOC")
    # The same numbers from nervaluate, which needs dicts with inclusive ends, one list per document.
    theirs = Evaluator([[{"label": "PER", "start": 0, "end": 4}], [{"label": "PER", "start": 0, "end": 4}, {"label": "ORG", "start": 10, "end": 12}]],
                       [[{"label": "PER", "start": 1, "end": 4}], [{"label": "LOC", "start": 10, "end": 12}, {"label": "PER", "start": 0, "end": 4}]],
                       tags=["PER", "ORG", "LOC"], loader="dict").evaluate()
    for name, ref in NERVALUATE_NAME.items():
        assert_same(result.overall[name], theirs["overall"][ref])


@FAST
@given(st.lists(unambiguous_doc(), min_size=1, max_size=4))
def test_equals_nervaluate_overall_and_per_label_when_unambiguous(docs):
    # Where no span overlaps two spans of the other side, greedy and optimal matching agree.
    docs = {f"doc{k}": doc for k, doc in enumerate(docs)}
    ours, theirs = score_spans(tuples(docs, 0), tuples(docs, 1)), nervaluate(docs)
    for name, ref in NERVALUATE_NAME.items():
        assert_same(ours.overall[name], theirs["overall"][ref])
        for label in LABELS:
            if label in ours.per_label:
                assert_same(ours.per_label[label][name], theirs["entities"][label][ref])


def test_differs_from_nervaluate_only_where_its_greedy_matching_depends_on_order():
    gold = [("d", 2, 4, "PER"), ("d", 0, 2, "PER")]
    first = [("d", 1, 3, "PER"), ("d", 2, 4, "PER")]
    assert score_spans(gold, first).overall["strict"].correct == 1
    assert score_spans(gold, first[::-1]).overall == score_spans(gold, first).overall


spans = st.lists(st.tuples(st.sampled_from(["a", "b"]), st.integers(0, 30), st.integers(1, 6), st.sampled_from(LABELS)), max_size=15).map(
    lambda xs: [(d, s, s + n, label) for d, s, n, label in xs]
)


@FAST
@given(spans, spans, st.randoms(use_true_random=False))
def test_input_order_changes_nothing(gold, pred, rnd):
    before = score_spans(gold, pred)
    rnd.shuffle(gold)
    rnd.shuffle(pred)
    assert score_spans(gold, pred) == before


@FAST
@given(spans)
def test_perfect_prediction_is_one_everywhere(gold):
    result = score_spans(gold, list(gold))
    assert result.errors == ()
    for by in [result.overall, *result.per_label.values(), *result.per_document.values()]:
        assert all(s.f1 == 1.0 and s.correct == s.possible == s.actual for s in by.values())


@FAST
@given(spans, spans)
def test_counts_add_up_over_documents_and_labels(gold, pred):
    result = score_spans(gold, pred)
    for name, total in result.overall.items():
        for field in FIELDS:
            assert getattr(total, field) == sum(getattr(by[name], field) for by in result.per_document.values())
        assert total.possible == len(gold) and total.actual == len(pred)
    strict = [by["strict"] for by in result.per_label.values()]
    assert sum(s.correct for s in strict) == result.overall["strict"].correct
    assert sum(s.possible for s in strict) == len(gold)
    assert result.to_json()["overall"]["strict"]["correct"] == result.overall["strict"].correct


@pytest.mark.parametrize(
    "gold, message",
    [
        ([("d", 0, 2)], r"gold\[0\]: expected \(doc_id, start, end, label\)"),
        ([("d", 0, 2, "PER"), ("d", 3, 3, "PER")], r"gold\[1\]: start and end must be integers with 0 <= start < end"),
        ([("d", "0", 2, "PER")], r"gold\[0\]: start and end"),
        ([(1, 0, 2, "PER")], r"gold\[0\]: doc_id and label must be strings"),
        (["d,0,2,PER"], r"gold\[0\]: expected"),
    ],
)
def test_bad_spans_are_named(gold, message):
    with pytest.raises(ValueError, match=message):
        score_spans(gold, [])


def test_importing_the_api_loads_no_heavy_library():
    probe = "import sys, bench.scoring; print(','.join(m for m in ('numpy', 'scipy', 'typer', 'rich') if m in sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == ""
