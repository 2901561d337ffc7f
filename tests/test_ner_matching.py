"""NER matching schemes: checked against seqeval and nervaluate, and by properties."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nervaluate import Evaluator
from seqeval.metrics import classification_report, f1_score, precision_score, recall_score
from seqeval.scheme import IOB2

from bench.documents.corpus import ArticleMeta, Document, sha256_bytes
from bench.tasks.ner.bio import bio_tokens, from_bio, to_bio
from bench.tasks.ner.matching import ErrorKind, NerError, Scheme, SchemeCounts, classify_errors, match_scheme
from bench.tasks.ner.types import Span

LABELS = ("PER", "ORG", "LOC")
NERVALUATE_NAME = {Scheme.STRICT: "strict", Scheme.EXACT: "exact", Scheme.PARTIAL: "partial", Scheme.TYPE: "ent_type"}
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def counts_tuple(c) -> tuple[int, int, int, int, int]:
    return (c.correct, c.incorrect, c.partial, c.missed, c.spurious)


# --- seqeval: strict scheme on IOB2 tags ---------------------------------------------------


@st.composite
def sentence_spans(draw, n: int) -> list[tuple[int, int, str]]:
    """Random non-overlapping token spans in a sentence of n tokens."""
    spans, i = [], 0
    while i < n:
        if draw(st.booleans()):
            length = draw(st.integers(1, min(3, n - i)))
            spans.append((i, i + length, draw(st.sampled_from(LABELS))))
            i += length
        else:
            i += 1
    return spans


@st.composite
def tagged_corpus(draw):
    """Sentences of (length, gold token spans, predicted token spans)."""
    out = []
    for _ in range(draw(st.integers(1, 4))):
        n = draw(st.integers(1, 12))
        out.append((n, draw(sentence_spans(n)), draw(sentence_spans(n))))
    return out


def iob2(n: int, spans) -> list[str]:
    tags = ["O"] * n
    for start, end, label in spans:
        tags[start] = f"B-{label}"
        for k in range(start + 1, end):
            tags[k] = f"I-{label}"
    return tags


def doc_spans(corpus, which: int) -> list[Span]:
    """Token i of the concatenated sentences spans [i, i + 1)."""
    out, offset = [], 0
    for sentence in corpus:
        out += [Span(offset + s, offset + e, label) for s, e, label in sentence[which]]
        offset += sentence[0]
    return out


@FAST
@given(tagged_corpus())
def test_strict_equals_seqeval(corpus):
    y_true = [iob2(n, gold) for n, gold, _ in corpus]
    y_pred = [iob2(n, pred) for n, _, pred in corpus]
    gold, pred = doc_spans(corpus, 1), doc_spans(corpus, 2)
    ours = match_scheme(gold, pred, Scheme.STRICT)
    assert ours.possible == len(gold) and ours.actual == len(pred)
    if not gold and not pred:
        assert (ours.precision, ours.recall, ours.f1) == (1.0, 1.0, 1.0)
        return
    kw = dict(mode="strict", scheme=IOB2, zero_division=0)
    assert ours.precision == pytest.approx(precision_score(y_true, y_pred, **kw))
    assert ours.recall == pytest.approx(recall_score(y_true, y_pred, **kw))
    assert ours.f1 == pytest.approx(f1_score(y_true, y_pred, **kw))

    report = classification_report(y_true, y_pred, output_dict=True, **kw)
    labels = {s.label for s in gold} | {s.label for s in pred}
    assert {k for k in report if not k.endswith(" avg")} == labels
    for label in labels:
        per = match_scheme([s for s in gold if s.label == label], [s for s in pred if s.label == label], Scheme.STRICT)
        assert report[label]["support"] == per.possible == sum(s.label == label for s in gold)
        assert report[label]["precision"] == pytest.approx(per.precision if per.actual else 0.0)
        assert report[label]["recall"] == pytest.approx(per.recall if per.possible else 0.0)
        assert report[label]["f1-score"] == pytest.approx(per.f1 if per.actual and per.possible else 0.0)


# --- nervaluate -----------------------------------------------------------------------------


def nervaluate(gold, pred) -> dict:
    """nervaluate 1.2.x overall results; its dict spans have an INCLUSIVE end."""
    as_dicts = lambda spans: [{"label": s.label, "start": s.start, "end": s.end - 1} for s in spans]  # noqa: E731
    evaluator = Evaluator([as_dicts(gold)], [as_dicts(pred)], tags=list(LABELS), loader="dict")
    return evaluator.evaluate()["overall"]


def assert_same_as_nervaluate(gold, pred) -> None:
    theirs = nervaluate(gold, pred)
    for scheme in Scheme:
        ours, ref = match_scheme(gold, pred, scheme), theirs[NERVALUATE_NAME[scheme]]
        assert counts_tuple(ours) == counts_tuple(ref), scheme
        assert (ours.possible, ours.actual) == (ref.possible, ref.actual)
        if gold or pred:  # nervaluate gives 0.0 where nothing is gold or predicted; we give 1.0
            assert ours.precision == pytest.approx(ref.precision), scheme
            assert ours.recall == pytest.approx(ref.recall), scheme
            assert ours.f1 == pytest.approx(ref.f1), scheme


P, O, L = LABELS


def by_scheme(strict, exact, partial, type_):
    return {Scheme.STRICT: strict, Scheme.EXACT: exact, Scheme.PARTIAL: partial, Scheme.TYPE: type_}


HAND_CASES = {
    # name: (gold, pred, {scheme: (correct, incorrect, partial, missed, spurious)})
    "exact match": ([Span(0, 2, P)], [Span(0, 2, P)], dict.fromkeys(Scheme, (1, 0, 0, 0, 0))),
    "wrong type": (
        [Span(0, 2, P)],
        [Span(0, 2, O)],
        by_scheme((0, 1, 0, 0, 0), (1, 0, 0, 0, 0), (1, 0, 0, 0, 0), (0, 1, 0, 0, 0)),
    ),
    "boundary overlap": (
        [Span(0, 3, P)],
        [Span(1, 3, P)],
        by_scheme((0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 1, 0, 0), (1, 0, 0, 0, 0)),
    ),
    "boundary and type": (
        [Span(0, 3, P)],
        [Span(2, 5, O)],
        by_scheme((0, 1, 0, 0, 0), (0, 1, 0, 0, 0), (0, 0, 1, 0, 0), (0, 1, 0, 0, 0)),
    ),
    "spurious": ([], [Span(0, 2, P)], dict.fromkeys(Scheme, (0, 0, 0, 0, 1))),
    "missed": ([Span(0, 2, P)], [], dict.fromkeys(Scheme, (0, 0, 0, 1, 0))),
    "adjacent, not overlapping": ([Span(0, 2, P)], [Span(2, 4, P)], dict.fromkeys(Scheme, (0, 0, 0, 1, 1))),
    "mixed": (
        [Span(0, 2, P), Span(5, 8, O), Span(10, 12, L)],
        [Span(0, 2, P), Span(6, 8, O), Span(14, 15, L)],
        by_scheme((1, 1, 0, 1, 1), (1, 1, 0, 1, 1), (1, 0, 1, 1, 1), (2, 0, 0, 1, 1)),
    ),
}


@pytest.mark.parametrize("name", HAND_CASES)
def test_hand_cases(name):
    gold, pred, expected = HAND_CASES[name]
    for scheme in Scheme:
        assert counts_tuple(match_scheme(gold, pred, scheme)) == expected[scheme], scheme
    assert_same_as_nervaluate(gold, pred)


def test_partial_credit_values():
    c = match_scheme([Span(0, 3, P), Span(5, 6, O)], [Span(1, 3, O), Span(5, 6, O)], Scheme.PARTIAL)
    assert (c.correct, c.partial, c.credit) == (1, 1, 1.5)
    assert (c.precision, c.recall, c.f1) == (0.75, 0.75, 0.75)
    assert SchemeCounts().f1 == 1.0 and SchemeCounts(missed=1).f1 == 0.0 and SchemeCounts(spurious=1).precision == 0.0


@st.composite
def unambiguous_doc(draw):
    """Gold and predictions where every span overlaps at most one span on the other side."""
    gold, pred, cursor = [], [], 0
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["gold", "pred", "pair"]))
        a, b = sorted(draw(st.tuples(st.integers(0, 5), st.integers(0, 5))))
        g = Span(cursor + a, cursor + b + 1, draw(st.sampled_from(LABELS)))
        if kind == "pair":
            c, d = sorted(draw(st.tuples(st.integers(0, 5), st.integers(0, 5))))
            p = Span(cursor + c, cursor + d + 1, draw(st.sampled_from(LABELS)))
            if not p.overlaps(g):
                p = Span(g.start, g.end, p.label)
            gold.append(g)
            pred.append(p)
        else:
            (gold if kind == "gold" else pred).append(g)
        cursor += 6 + draw(st.integers(0, 2))  # items never overlap each other
    return gold, pred


@FAST
@given(unambiguous_doc(), st.randoms(use_true_random=False))
def test_equals_nervaluate_when_unambiguous(doc, rnd):
    gold, pred = doc
    rnd.shuffle(gold)
    rnd.shuffle(pred)
    assert_same_as_nervaluate(gold, pred)


def test_nervaluate_order_dependence_issue_40():
    # One prediction overlaps two gold spans; the other is exactly the second gold span.
    gold = [Span(2, 4, P), Span(0, 2, P)]
    straddling, exact = Span(1, 3, P), Span(2, 4, P)
    first = nervaluate(gold, [straddling, exact])["strict"]
    second = nervaluate(gold, [exact, straddling])["strict"]
    # Greedy: the straddling prediction, seen first, takes gold (2, 4) as "incorrect" and
    # the exact prediction is then spurious.
    assert counts_tuple(first) == (0, 1, 0, 1, 1)
    assert counts_tuple(second) == (1, 1, 0, 0, 0)
    for perm_gold in itertools.permutations(gold):
        for perm_pred in itertools.permutations([straddling, exact]):
            assert counts_tuple(match_scheme(perm_gold, perm_pred, Scheme.STRICT)) == (1, 1, 0, 0, 0)


def test_duplicate_predictions_are_separate():
    gold, pred = [Span(0, 2, P)], [Span(0, 2, P), Span(0, 2, P)]
    for scheme in Scheme:
        assert counts_tuple(match_scheme(gold, pred, scheme)) == (1, 0, 0, 0, 1)
    c = match_scheme([Span(0, 4, P), Span(2, 6, P)], [Span(2, 4, O), Span(2, 4, O)], Scheme.STRICT)
    assert counts_tuple(c) == (0, 2, 0, 0, 0)


# --- properties -----------------------------------------------------------------------------

span_st = st.builds(
    lambda s, n, label: Span(s, s + n, label), st.integers(0, 20), st.integers(1, 5), st.sampled_from(LABELS)
)
spans_st = st.lists(span_st, max_size=8)


def brute_force_best(gold, pred, scheme) -> tuple[int, int]:
    """(half credits, matched pairs) of the best matching, by enumeration."""
    def credit(g, p):
        same_span = (g.start, g.end) == (p.start, p.end)
        if scheme is Scheme.STRICT:
            return 2 * (same_span and g.label == p.label)
        if scheme is Scheme.EXACT:
            return 2 * same_span
        if scheme is Scheme.PARTIAL:
            return 2 if same_span else 1
        return 2 * (g.label == p.label)

    best = (0, 0)

    def walk(i, used, score):
        nonlocal best
        if i == len(gold):
            best = max(best, score)
            return
        walk(i + 1, used, score)
        for j, p in enumerate(pred):
            if j not in used and gold[i].overlaps(p):
                walk(i + 1, used | {j}, (score[0] + credit(gold[i], p), score[1] + 1))

    walk(0, frozenset(), (0, 0))
    return best


@FAST
@given(st.lists(span_st, max_size=5), st.lists(span_st, max_size=5), st.sampled_from(list(Scheme)))
def test_matching_is_optimal(gold, pred, scheme):
    c = match_scheme(gold, pred, scheme)
    matched = c.correct + c.incorrect + c.partial
    assert (2 * c.correct + c.partial, matched) == brute_force_best(gold, pred, scheme)
    assert c.possible == len(gold) and c.actual == len(pred)
    if scheme is not Scheme.PARTIAL:
        assert c.partial == 0
    else:
        assert c.incorrect == 0


@FAST
@given(st.lists(span_st, min_size=1, max_size=8), st.sampled_from(list(Scheme)))
def test_perfect_prediction(gold, scheme):
    c = match_scheme(gold, list(gold), scheme)
    assert (c.precision, c.recall, c.f1) == (1.0, 1.0, 1.0)
    assert c.correct == len(gold)


@FAST
@given(spans_st, spans_st, st.randoms(use_true_random=False))
def test_order_does_not_matter(gold, pred, rnd):
    shuffled_gold, shuffled_pred = list(gold), list(pred)
    rnd.shuffle(shuffled_gold)
    rnd.shuffle(shuffled_pred)
    for scheme in Scheme:
        assert match_scheme(gold, pred, scheme) == match_scheme(shuffled_gold, shuffled_pred, scheme)
    assert classify_errors(gold, pred) == classify_errors(shuffled_gold, shuffled_pred)


@FAST
@given(spans_st, spans_st, spans_st, spans_st, st.sampled_from(list(Scheme)))
def test_counts_add_up_over_documents(gold1, pred1, gold2, pred2, scheme):
    shift = lambda spans: [Span(s.start + 1000, s.end + 1000, s.label) for s in spans]  # noqa: E731
    one, two = match_scheme(gold1, pred1, scheme), match_scheme(gold2, pred2, scheme)
    both = match_scheme(gold1 + shift(gold2), pred1 + shift(pred2), scheme)
    assert both == one + two
    assert both.partial == one.partial + two.partial
    credit = one.correct + two.correct + 0.5 * (one.partial + two.partial)
    actual, possible = len(pred1) + len(pred2), len(gold1) + len(gold2)
    if actual and possible:
        p, r = credit / actual, credit / possible
        assert both.f1 == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)


# --- error classification -------------------------------------------------------------------

ERROR_CASES = [
    ([Span(0, 2, P)], [Span(0, 2, P)], set()),
    ([Span(0, 2, P)], [Span(0, 2, O)], {NerError(ErrorKind.TYPE, Span(0, 2, P), Span(0, 2, O))}),
    ([Span(0, 3, P)], [Span(1, 3, P)], {NerError(ErrorKind.BOUNDARY, Span(0, 3, P), Span(1, 3, P))}),
    ([Span(0, 3, P)], [Span(2, 5, O)], {NerError(ErrorKind.BOUNDARY_TYPE, Span(0, 3, P), Span(2, 5, O))}),
    ([Span(0, 3, P)], [], {NerError(ErrorKind.MISSED, Span(0, 3, P), None)}),
    ([], [Span(0, 3, P)], {NerError(ErrorKind.SPURIOUS, None, Span(0, 3, P))}),
    # Same span with another label is preferred over a boundary error.
    (
        [Span(0, 3, P)],
        [Span(1, 3, P), Span(0, 3, O)],
        {NerError(ErrorKind.TYPE, Span(0, 3, P), Span(0, 3, O)), NerError(ErrorKind.SPURIOUS, None, Span(1, 3, P))},
    ),
    # A boundary error is preferred over a boundary-and-type error.
    (
        [Span(0, 4, O), Span(0, 4, P)],
        [Span(1, 3, P)],
        {NerError(ErrorKind.BOUNDARY, Span(0, 4, P), Span(1, 3, P)), NerError(ErrorKind.MISSED, Span(0, 4, O), None)},
    ),
    # Strict matches are taken out first: the leftover gold span is missed.
    ([Span(0, 3, P), Span(1, 4, P)], [Span(1, 4, P)], {NerError(ErrorKind.MISSED, Span(0, 3, P), None)}),
    # Duplicate predictions: one strict match, the other spurious.
    ([Span(0, 2, P)], [Span(0, 2, P), Span(0, 2, P)], {NerError(ErrorKind.SPURIOUS, None, Span(0, 2, P))}),
]


@pytest.mark.parametrize("gold, pred, expected", ERROR_CASES)
def test_classify_errors_cases(gold, pred, expected):
    errors = classify_errors(gold, pred)
    assert len(errors) == len(expected) and set(errors) == expected


@FAST
@given(spans_st, spans_st)
def test_classify_errors_accounts_for_every_span(gold, pred):
    errors = classify_errors(gold, pred)
    starts = [min(s.start for s in (e.gold, e.pred) if s) for e in errors]
    assert starts == sorted(starts)
    strict = match_scheme(gold, pred, Scheme.STRICT)
    assert sum(e.gold is not None for e in errors) == len(gold) - strict.correct
    assert sum(e.pred is not None for e in errors) == len(pred) - strict.correct
    for e in errors:
        if e.gold is not None and e.pred is not None:
            assert e.gold.overlaps(e.pred) and e.gold != e.pred


# --- IOB2 export ----------------------------------------------------------------------------

TEXT = "Bashar al-Assad met HTS leaders in Damascus. Then the U.S. envoy left.\nReuters reported it."


def make_document(text: str = TEXT) -> Document:
    digest = sha256_bytes(text.encode("utf-8"))
    meta = ArticleMeta(
        id="t", outlet=None, headline="h", date="2024-12-08", date_as_written="8 Dec 2024", byline=None, sha256=digest
    )
    return Document("t", text, digest, meta)


def span_of(text: str, label: str) -> Span:
    start = TEXT.index(text)
    return Span(start, start + len(text), label)


def test_to_bio_round_trip():
    doc = make_document()
    spans = [
        span_of("Bashar al-Assad", "PER"),
        span_of("HTS", "ORG"),
        span_of("Damascus", "GPE"),
        span_of("U.S.", "GPE"),
        span_of("Reuters", "ORG"),
    ]
    tags = to_bio(doc, list(reversed(spans)))
    tokens = bio_tokens(doc)
    assert [len(t) for t in tags] == [len(t) for t in tokens] == [10, 9, 4]
    assert tokens[0] == ["Bashar", "al", "-", "Assad", "met", "HTS", "leaders", "in", "Damascus", "."]
    assert tags[0] == ["B-PER", "I-PER", "I-PER", "I-PER", "O", "B-ORG", "O", "O", "B-GPE", "O"]
    assert tags[1] == ["O", "O", "B-GPE", "I-GPE", "I-GPE", "I-GPE", "O", "O", "O"]
    assert tags[2] == ["B-ORG", "O", "O", "O"]
    assert from_bio(doc, tags) == sorted(spans)
    # Adjacent spans with the same label stay two spans.
    two = [span_of("Bashar", "PER"), span_of("al-Assad", "PER")]
    assert to_bio(doc, two)[0][:4] == ["B-PER", "B-PER", "I-PER", "I-PER"]
    assert from_bio(doc, to_bio(doc, two)) == two


@pytest.mark.parametrize(
    "spans, message",
    [
        ([Span(1, 6, "PER")], "token boundaries"),
        ([Span(0, 8, "PER")], "token boundaries"),
        ([Span(TEXT.index("Damascus"), TEXT.index("Then") + 4, "GPE")], "sentence boundary"),
        ([span_of("Bashar al-Assad", "PER"), span_of("Assad", "PER")], "overlaps"),
        ([span_of("HTS", "ORG"), span_of("HTS", "ORG")], "overlaps"),
    ],
)
def test_to_bio_errors(spans, message):
    with pytest.raises(ValueError, match=message):
        to_bio(make_document(), spans)


def test_from_bio_rejects_invalid_iob2():
    doc = make_document()
    tags = to_bio(doc, [])
    tags[0][1] = "I-PER"
    with pytest.raises(ValueError, match="invalid IOB2"):
        from_bio(doc, tags)
