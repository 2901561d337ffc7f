"""Text-only predictions are grounded by the documented policy, whatever their order."""

import itertools

from bench.tasks.grounding import Unplaced, ground, normalise, occurrences
from bench.tasks.ner.types import Span

DOC = "000_5cf36fedf2077db3"


def test_normalise():
    assert normalise("  Assad’s\u00a0 “RULE”  ") == "assad's \"rule\""
    assert normalise("ＨＴＳ") == "hts"


def test_occurrences_respect_token_boundaries(corpus):
    doc = corpus[DOC]
    syria = occurrences(doc, "Syria")
    assert syria and all(doc.text[s:e].lower() == "syria" for s, e in syria)
    assert all(doc.text[e : e + 1] != "n" for _, e in syria)  # never inside "Syrian"
    assert occurrences(doc, "al - Sharaa") == occurrences(doc, "al-Sharaa") != []
    assert occurrences(doc, "Narnia") == []


def test_prefers_gold_mention_with_same_label(corpus, ner_gold):
    doc = corpus[DOC]
    gold = ner_gold[DOC].spans()
    # "Assad" occurs first inside the gold mention "Assad" of "Pro-Assad" (PER)
    (g,) = ground(doc, [("Assad", "PER")], gold)
    assert g.span in gold and g.span.label == "PER"
    # "Syrian" as PER is not a gold label there; it still lands on a gold mention of "Syrian"
    (g,) = ground(doc, [("Syrian", "PER")], gold)
    assert Span(g.span.start, g.span.end, "NORP") in gold


def test_each_occurrence_used_once(corpus, ner_gold):
    doc = corpus[DOC]
    gold = ner_gold[DOC].spans()
    n = len(occurrences(doc, "Jableh"))
    out = ground(doc, [("Jableh", "GPE")] * (n + 1), gold)
    spans = [g.span for g in out if g.span]
    assert len(spans) == n == len(set(spans))
    assert [g.unplaced for g in out if not g.span] == [Unplaced.SURPLUS]


def test_order_does_not_matter(corpus, ner_gold):
    doc = corpus[DOC]
    gold = ner_gold[DOC].spans()
    items = [("Latakia", "GPE"), ("Latakia", "LOC"), ("SOHR", "ORG"), ("Narnia", "GPE"), ("Latakia", "GPE")]
    reference = sorted((g.text, g.label, g.span, g.unplaced) for g in ground(doc, items, gold))
    for perm in itertools.permutations(items):
        assert sorted((g.text, g.label, g.span, g.unplaced) for g in ground(doc, list(perm), gold)) == reference


def test_offset_predictions_use_up_their_occurrence(corpus, ner_gold):
    doc = corpus[DOC]
    gold = ner_gold[DOC].spans()
    first = ground(doc, [("SOHR", "ORG")], gold)[0].span
    (again,) = ground(doc, [("SOHR", "ORG")], gold, taken=[first])
    assert again.span is not None and again.span != first
