"""The attribution scorer: oracle and empty bounds, source matching through aliases and
head nouns, nesting, discontinuous content, grounding, order independence, additivity."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench.tasks.attribution.task import AttributionTask
from bench.tasks.base import ScoringContext
from bench.tasks.attribution.types import Mode, Relation, Source, SourceType
from bench.tasks.casualties.types import TextSpan

TASK = AttributionTask()
D0, D3 = "000_5cf36fedf2077db3", "003_a061056322098f3b"
BOTH = frozenset({"attribution", "casualties"})


@pytest.fixture(scope="module")
def gold(corpus):
    return TASK.load_gold(corpus.root, corpus)


@pytest.fixture(scope="module")
def oracle(gold):
    return {d: list(TASK.gold_as_predictions(g)) for d, g in gold.items()}


def run(corpus, gold, preds, evaluated=BOTH):
    return TASK.score(corpus, gold, preds, ScoringContext(evaluated=evaluated))


def value(score, metric, label=None):
    return score.row(metric, label=label).value


def only(oracle, doc_id, *ids):
    return {doc_id: [r for r in oracle[doc_id] if r.id in ids]}


def with_source(relation, text, type_=None):
    span = None if text is None else TextSpan(None, None, text)
    return replace(relation, source=Source(span, type_ or relation.source.type))


def by_id(oracle, doc_id, rid):
    return next(r for r in oracle[doc_id] if r.id == rid)


def test_gold_counts(gold):
    assert [len(gold[d].relations) for d in (D0, D3)] == [28, 11]
    assert sum(r.parent is not None for g in gold.values() for r in g.relations) == 9


def test_oracle_scores_one_and_empty_zero(corpus, gold, oracle):
    score = run(corpus, gold, oracle)
    for metric in ("f1", "content_partial_f1", "content_strict_f1", "cue_f1", "cue_head_f1", "source_accuracy", "source_type_accuracy", "nesting_f1", "figure_source_accuracy"):
        assert value(score, metric) == 1.0, metric
    for mode in Mode:
        assert value(score, "content_partial_f1", mode.value) == 1.0
    assert score.errors == ()
    empty = run(corpus, gold, {})
    assert value(empty, "f1") == value(empty, "content_partial_f1") == value(empty, "cue_f1") == value(empty, "cue_head_f1") == 0.0
    assert value(empty, "figure_source_accuracy") == 0.6  # the 6 figures the author states need no relation


def test_figure_metric_only_when_both_tasks_are_evaluated(corpus, gold, oracle):
    with pytest.raises(KeyError):
        run(corpus, gold, oracle, evaluated=frozenset({"attribution"})).row("figure_source_accuracy")


def test_nested_relations_sharing_content_align_by_source(corpus, gold, oracle):
    # 000-a05 (SOHR, citing) and 000-a06 (The National, reported) have the same content.
    preds = only(oracle, D0, "000-a05", "000-a06")
    for order in (preds[D0], preds[D0][::-1]):
        score = run(corpus, {D0: gold[D0]}, {D0: order})
        assert score.row("f1").tp == 2 and score.row("nesting_f1").tp == 1


@pytest.mark.parametrize(
    "rid, text, type_, right",
    [
        ("003-a04", "SOHR", None, True),  # alias of the Syrian Observatory for Human Rights
        ("003-a04", "the Syrian Observatory for Human Rights", None, True),
        ("003-a04", "Observatory", None, False),
        ("003-a04", "SANA", None, False),
        ("003-a03", "Ministry of Defense sources", None, True),  # unnamed: the head word
        ("003-a03", "Ministry of Defense sources", SourceType.MEDIA, True),  # the type no longer decides (scorer 1.1.0)
        ("003-a03", "the Ministry of Defense", None, False),
        ("003-a01", None, SourceType.UNSPECIFIED, True),  # agentless passive
        ("003-a01", "local media", SourceType.MEDIA, False),
    ],
)
def test_source_matching(corpus, gold, oracle, rid, text, type_, right):
    pred = with_source(by_id(oracle, D3, rid), text, type_)
    score = run(corpus, {D3: gold[D3]}, {D3: [pred]})
    assert score.row("f1").tp == int(right)
    assert value(score, "source_accuracy") == float(right)
    assert value(score, "content_strict_f1") > 0  # aligned either way


def test_a_source_given_by_offsets_alone_is_read_from_the_article(corpus, gold, oracle):
    relation = by_id(oracle, D3, "003-a04")  # the Syrian Observatory for Human Rights
    start = corpus[D3].text.index("the Syrian Observatory for Human Rights (SOHR)")
    pred = replace(relation, source=Source(TextSpan(start, start + len("the Syrian Observatory for Human Rights (SOHR)"), None), SourceType.MONITOR))
    assert run(corpus, {D3: gold[D3]}, {D3: [pred]}).row("f1").tp == 1


def test_a_lost_parent_costs_nesting_only(corpus, gold, oracle):
    preds = {d: [replace(r, parent=None) if r.id == "000-a22" else r for r in items] for d, items in oracle.items()}
    score = run(corpus, gold, preds)
    assert value(score, "f1") == 1.0
    assert score.row("nesting_f1").tp == 8 and score.row("nesting_f1").fn == 1


def test_discontinuous_content_gets_partial_credit(corpus, gold, oracle):
    full = by_id(oracle, D0, "000-a26")  # SOHR explained: a quote broken by the cue
    assert len(full.content) == 2
    half = replace(full, content=full.content[1:])
    score = run(corpus, {D0: gold[D0]}, {D0: [half]})
    assert value(score, "content_partial_precision") == 1.0  # every predicted word is right
    words = [len([t for t in corpus[D0].tokens if s.start <= t.start and t.end <= s.end and any(ch.isalnum() for ch in t.text)]) for s in full.content]
    # recall credit: the share of the relation's words found, over all 28 gold relations
    assert value(score, "content_partial_recall") == pytest.approx(words[1] / sum(words) / 28)
    strict = score.row("content_strict_f1")
    assert strict.tp == 0


def text_only(r: Relation) -> Relation:
    source = r.source if r.source.span is None else replace(r.source, span=TextSpan(None, None, r.source.span.text))
    return replace(r, source=source, cue=TextSpan(None, None, r.cue.text), content=tuple(TextSpan(None, None, c.text) for c in r.content))


def test_text_only_predictions_are_grounded(corpus, gold, oracle):
    preds = {d: [text_only(r) for r in items] for d, items in oracle.items()}
    score = run(corpus, gold, preds)
    for metric in ("f1", "content_strict_f1", "cue_f1", "nesting_f1", "figure_source_accuracy"):
        assert value(score, metric) == 1.0, metric


def test_invented_content_is_ungrounded(corpus, gold, oracle):
    invented = replace(text_only(oracle[D0][0]), id="x", content=(TextSpan(None, None, "the ceasefire held for a week"),))
    preds = {d: list(items) for d, items in oracle.items()}
    preds[D0].append(invented)
    score = run(corpus, gold, preds)
    assert value(score, "ungrounded") == 1.0 and score.row("f1").fp == 1 and value(score, "recall") == 1.0
    assert [e["kind"] for e in score.errors] == ["ungrounded"]


def test_figure_source_accuracy_follows_the_reporting_relation(corpus, gold, oracle):
    preds = {d: [r for r in items if r.id != "000-a08"] for d, items in oracle.items()}  # the eyewitness ("a lot" dying)
    assert value(run(corpus, gold, preds), "figure_source_accuracy") == pytest.approx(0.9)
    wrong = {d: [with_source(r, "The National", SourceType.MEDIA) if r.id == "000-a08" else r for r in items] for d, items in oracle.items()}
    assert value(run(corpus, gold, wrong), "figure_source_accuracy") == pytest.approx(0.9)


def _random_predictions(oracle, seed):
    rng = random.Random(seed)
    changes = [
        lambda r: r,
        text_only,
        lambda r: with_source(r, "someone", SourceType.UNNAMED_INDIVIDUAL),
        lambda r: replace(r, mode=Mode.MIXED),
        lambda r: replace(r, content=r.content[:1]),
        lambda r: replace(r, cue=TextSpan(None, None, "said")),
        lambda r: replace(r, cue=TextSpan(r.cue.start - 5, r.cue.end, None)),  # a cue with the word before it
        lambda r: with_source(r, f"the group, {r.source.text}" if r.source.text else "officials", SourceType.MEDIA),
    ]
    out = {}
    for doc_id, items in oracle.items():
        kept = [rng.choice(changes)(r) for r in items if rng.random() < 0.8]
        ids = {r.id for r in kept}
        kept = [replace(r, parent=None) if r.parent not in ids else r for r in kept]
        out[doc_id] = kept
    return out


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), shuffle_seed=st.integers(0, 10_000))
def test_input_order_never_changes_the_score(corpus, gold, oracle, seed, shuffle_seed):
    preds = _random_predictions(oracle, seed)
    rng = random.Random(shuffle_seed)
    shuffled = {d: rng.sample(items, len(items)) for d, items in preds.items()}
    a, b = run(corpus, gold, preds), run(corpus, gold, shuffled)
    assert [(r.metric, r.label, r.value) for r in a.rows] == [(r.metric, r.label, r.value) for r in b.rows]


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000))
def test_counts_add_up(corpus, gold, oracle, seed):
    preds = _random_predictions(oracle, seed)
    score = run(corpus, gold, preds)
    for metric in ("f1", "content_strict_f1", "cue_f1", "cue_head_f1", "nesting_f1"):  # the headline's units have metric None
        row, units = score.row(metric, label=None), [u for u in score.units if (u.metric or "f1") == metric]
        assert (row.tp, row.fp, row.fn) == tuple(sum(getattr(u, k) for u in units) for k in ("tp", "fp", "fn")), metric
    row = score.row("f1")
    assert row.tp + row.fp == sum(len(v) for v in preds.values()) and row.tp + row.fn == 39
    per_doc = [run(corpus, {d: gold[d]}, {d: preds[d]}).row("f1") for d in gold]
    assert (sum(r.tp for r in per_doc), sum(r.fp for r in per_doc)) == (row.tp, row.fp)
    assert value(score, "content_strict_f1") <= value(score, "content_partial_f1") + 1e-12
    confusion = [r for r in score.rows if r.metric == "source_type_confusion"]
    assert sum(r.value for r in confusion) == score.row("source_type_accuracy").support == score.row("source_accuracy").support
