"""Sparse matching (`bench.tasks.assignment`) against the dense reference it replaced.

Every scorer pairs gold and predicted items one overlap group at a time. These tests
check that the groups are right and that, on random inputs, the NER schemes, the NER
error classes, the casualty aligner and the attribution aligner give exactly what the
dense |gold| x |predicted| solver in `dense_reference.py` gives.
"""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit import dense_reference as dense
from bench.tasks.assignment import Ties, assign, overlap_groups
from bench.tasks.attribution import alignment as attribution
from bench.tasks.attribution.task import AttributionTask
from bench.tasks.casualties import alignment as casualties
from bench.tasks.casualties.task import CasualtyTask
from bench.tasks.casualties.types import Bounds, Kind, Outcome, TextSpan, Unit, VictimCategory
from bench.tasks.ner.matching import Scheme, align_and_match, align_spans, match_scheme, match_schemes
from bench.tasks.ner.types import Span

FAST = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@st.composite
def spans(draw, max_size: int = 14, length: int = 40):
    """Random labelled spans on a short line, so that overlaps, chains, nesting, identical
    spans and duplicates are all common."""
    out = []
    for _ in range(draw(st.integers(0, max_size))):
        start = draw(st.integers(0, length - 1))
        end = draw(st.integers(start + 1, min(length, start + 8)))
        out.append(Span(start, end, draw(st.sampled_from("ABC"))))
    return out


def _overlap(a, b) -> bool:
    return any(s < f and t < e for s, e in a for t, f in b)


@FAST
@given(st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), min_size=1, max_size=3), max_size=10),
       st.lists(st.lists(st.tuples(st.integers(0, 30), st.integers(1, 6)), min_size=1, max_size=3), max_size=10))
def test_groups_hold_every_overlapping_pair_once(gold, pred):
    gold = [[(s, s + n) for s, n in item] for item in gold]
    pred = [[(s, s + n) for s, n in item] for item in pred]
    groups = overlap_groups(gold, pred)
    where_g = {i: k for k, (rows, _) in enumerate(groups) for i in rows}
    where_p = {j: k for k, (_, cols) in enumerate(groups) for j in cols}
    assert len(where_g) == sum(len(rows) for rows, _ in groups)  # no item in two groups
    assert len(where_p) == sum(len(cols) for _, cols in groups)
    for i, g in enumerate(gold):
        for j, p in enumerate(pred):
            if _overlap(g, p):
                assert where_g[i] == where_p[j]
    for rows, cols in groups:
        assert rows == sorted(rows) and cols == sorted(cols) and rows and cols


def test_groups_by_hand():
    gold = [[(0, 5)], [(10, 12)], [(20, 25)], [(30, 31), (50, 52)]]
    pred = [[(4, 11)], [(40, 45)], [(51, 60)], [(25, 30)]]
    # a chain 0-5 / 4-11 / 10-12; a gold-only and a pred-only group; a split item joined;
    # touching ends (25, 30) do not overlap.
    assert overlap_groups(gold, pred) == [([0, 1], [0]), ([3], [2])]
    ties = Ties(["g0", "g1", "g2", "g3"], ["p0", "p1", "p2", "p3"])
    assert assign(gold, pred, lambda rows, cols: [[1.0] * len(cols) for _ in rows], ties) in ([(0, 0), (3, 2)], [(1, 0), (3, 2)])
    # A higher weight wins; a weight of 0 never pairs.
    assert assign(gold, pred, lambda rows, cols: [[float(i == 1 or i == 3) for _ in cols] for i in rows], ties) == [(1, 0), (3, 2)]
    assert assign(gold, pred, lambda rows, cols: [[0.0] * len(cols) for _ in rows], ties) == []


@FAST
@given(spans(), spans())
def test_ner_schemes_equal_the_dense_matching(gold, pred):
    together = match_schemes(gold, pred)
    for scheme in Scheme:
        expected = dense.match_scheme(gold, pred, scheme)
        assert match_scheme(gold, pred, scheme) == expected == together[scheme]


@FAST
@given(spans(), spans())
def test_ner_errors_equal_the_dense_matching(gold, pred):
    assert align_spans(gold, pred) == dense.align_spans(gold, pred)


@FAST
@given(spans(), spans(), st.randoms(use_true_random=False))
def test_ner_one_pass_equals_the_errors_and_the_schemes_apart(gold, pred, rnd):
    """What the scorer uses (one sweep over the overlap groups) gives exactly the errors and
    the four schemes' counts of the dense matching, with gold copies among the predictions."""
    pred = pred + [s for s in gold if rnd.random() < 0.5]
    rnd.shuffle(pred)
    alignment, schemes = align_and_match(gold, pred)
    assert alignment == align_spans(gold, pred) == dense.align_spans(gold, pred)
    assert schemes == match_schemes(gold, pred) == {s: dense.match_scheme(gold, pred, s) for s in Scheme}


@FAST
@given(spans(max_size=30, length=200), spans(max_size=30, length=200), st.randoms(use_true_random=False))
def test_ner_sparse_matching_ignores_input_order(gold, pred, rnd):
    shuffled = pred[:]
    rnd.shuffle(shuffled)
    assert align_spans(gold, pred) == align_spans(gold, shuffled)
    assert match_schemes(gold, pred) == match_schemes(gold, shuffled)


# --- casualties and attribution: the real gold, randomly disturbed -------------------------


@pytest.fixture(scope="module")
def casualty_gold(corpus):
    return CasualtyTask().load_gold(corpus.root, corpus)


@pytest.fixture(scope="module")
def attribution_gold(corpus):
    return AttributionTask().load_gold(corpus.root, corpus)


def _shift(span: TextSpan, rnd: random.Random, text: str) -> TextSpan:
    start = max(0, span.start + rnd.randint(-6, 6))
    end = min(len(text), max(start + 1, span.end + rnd.randint(-6, 6)))
    return TextSpan(start, end, text[start:end])


def _disturb_figure(figure, rnd: random.Random, text: str):
    q = figure.quantity
    if rnd.random() < 0.5:
        q = replace(q, span=_shift(q.span, rnd, text))
    if rnd.random() < 0.3:
        low = rnd.randint(0, 5)
        q = replace(q, bounds=Bounds(Kind.EXACT, low, low))
    out = replace(figure, quantity=q, id=None)
    if rnd.random() < 0.2:
        out = replace(out, outcome=rnd.choice(list(Outcome)))
    if rnd.random() < 0.2:
        out = replace(out, unit=rnd.choice(list(Unit)), victim_category=rnd.choice(list(VictimCategory)))
    return out


@FAST
@given(st.randoms(use_true_random=False))
def test_casualty_alignment_equals_the_dense_one(corpus, casualty_gold, rnd):
    for doc_id, gold in casualty_gold.items():
        text = corpus[doc_id].text
        figures = list(gold.figures)
        pred = [_disturb_figure(rnd.choice(figures), rnd, text) for _ in range(rnd.randint(0, 2 * len(figures)))]
        gold_part = [f for f in figures if rnd.random() < 0.8]
        assert casualties.align(gold_part, pred) == dense.align_figures(gold_part, pred)


def _disturb_relation(relation, rnd: random.Random, text: str, k: int):
    content = tuple(_shift(s, rnd, text) if rnd.random() < 0.5 else s for s in relation.content)
    out = replace(relation, content=content, id=f"p{k}", parent=None)
    if rnd.random() < 0.3:
        out = replace(out, source=replace(out.source, span=TextSpan(None, None, rnd.choice(["they", "officials", "the ministry", ""]))))
    return out


def _attribution_case(corpus, attribution_gold, rnd):
    for doc_id, gold in attribution_gold.items():
        document = corpus[doc_id]
        relations = list(gold.relations)
        pred = [_disturb_relation(rnd.choice(relations), rnd, document.text, k) for k in range(rnd.randint(0, 2 * len(relations)))]
        gold_part = [r for r in relations if rnd.random() < 0.8]
        yield attribution.align(document, gold_part, pred, gold.entity_names), dense.align_relations(document, gold_part, pred, gold.entity_names)


# Derandomized: with fresh random examples, about one in 1,300 (seed 1302 of random.Random's
# first 1,303) hit the known tie of the test after this one, which failed a CI run by chance.
@settings(FAST, derandomize=True)
@given(st.randoms(use_true_random=False))
def test_attribution_alignment_equals_the_dense_one(corpus, attribution_gold, rnd):
    for sparse, reference in _attribution_case(corpus, attribution_gold, rnd):
        assert sparse == reference


@pytest.mark.xfail(strict=True, reason="known, not yet traced: two predictions equal but for their id (p26, p27) "
                   "tie for gold 000-a05; the sparse solver pairs p26, the dense reference p27 (the same counts, "
                   "another id). Likely their tie breaks round away at the two solvers' different scales")
def test_attribution_alignment_equals_the_dense_one_on_a_tie_below_float_resolution(corpus, attribution_gold):
    for sparse, reference in _attribution_case(corpus, attribution_gold, random.Random(1302)):
        assert sparse == reference


def test_attribution_words_equal_a_full_scan(corpus, attribution_gold):
    for doc_id, gold in attribution_gold.items():
        for relation in gold.relations:
            assert attribution.words(corpus[doc_id], relation) == dense.words(corpus[doc_id], relation)
