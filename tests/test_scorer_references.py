"""Where bench's NER scoring and the reference tools part (docs/metrics.md, "Where bench and
the reference tools differ"): nervaluate's minimum overlap, and ill-formed IOB tags read by
bench's from_bio, by conlleval (seqeval's default, conlleval-compatible mode) and by seqeval
strict."""

from __future__ import annotations

import pytest

from bench.scoring import score_spans

nervaluate = pytest.importorskip("nervaluate", reason="nervaluate is in the [test] extra")
seqeval_metrics = pytest.importorskip("seqeval.metrics", reason="seqeval is in the [test] extra")


def _nervaluate_partial(gold: tuple[int, int], pred: tuple[int, int]):
    """nervaluate 1.2.1 with its defaults, on one document; spans given half-open like bench's."""
    result = nervaluate.Evaluator([[{"label": "PER", "start": gold[0], "end": gold[1] - 1}]],
                                  [[{"label": "PER", "start": pred[0], "end": pred[1] - 1}]],
                                  tags=["PER"], loader="dict").evaluate()
    overall = result[0] if isinstance(result, tuple) else result["overall"]
    return overall["partial"]


def test_one_character_of_a_101_character_gold_span_is_a_match_here_and_not_in_nervaluate():
    gold, pred = (0, 101), (100, 110)  # shared: 1 character, 0.99% of the gold span
    theirs = _nervaluate_partial(gold, pred)
    assert (theirs.partial, theirs.missed, theirs.spurious, theirs.f1) == (0, 1, 1, 0)
    ours = score_spans([("a", *gold, "PER")], [("a", *pred, "PER")]).overall["partial"]
    assert (ours.partial, ours.missed, ours.spurious, ours.f1) == (1, 0, 0, 0.5)


def test_two_characters_of_it_match_in_both():
    gold, pred = (0, 101), (99, 110)  # 1.98%: over nervaluate's 1% default
    theirs = _nervaluate_partial(gold, pred)
    ours = score_spans([("a", *gold, "PER")], [("a", *pred, "PER")]).overall["partial"]
    assert (theirs.partial, theirs.f1) == (ours.partial, ours.f1) == (1, 0.5)


ILL_FORMED = ["O", "I-PER", "I-PER", "O"]  # an I- after O: no B- opens the entity
WELL_FORMED = ["O", "B-PER", "I-PER", "O"]


def test_bench_from_bio_refuses_an_i_tag_after_o(corpus):
    from bench.tasks.ner.bio import from_bio, to_bio

    document = next(iter(corpus.documents.values()))
    tags = [list(sentence_tags) for sentence_tags in to_bio(document, [])]
    assert all(tag == "O" for sentence_tags in tags for tag in sentence_tags)
    s = next(i for i, sentence_tags in enumerate(tags) if len(sentence_tags) >= 3)
    tags[s][1] = "I-PER"  # after the sentence's first tag, an O
    with pytest.raises(ValueError, match=rf"invalid IOB2 tag 'I-PER' at token \d+ of sentence {s}"):
        from_bio(document, tags)
    tags[s][1] = "B-PER"
    assert len(from_bio(document, tags)) == 1


def test_conlleval_starts_a_chunk_at_an_i_tag_after_o():
    """seqeval's default mode is its conlleval-compatible one (seqeval's documentation)."""
    from seqeval.metrics.sequence_labeling import get_entities

    assert get_entities(ILL_FORMED) == [("PER", 1, 2)] == get_entities(WELL_FORMED)
    assert seqeval_metrics.f1_score([WELL_FORMED], [ILL_FORMED]) == 1.0


def test_seqeval_strict_drops_an_i_tag_after_o():
    from seqeval.scheme import IOB2, Entities

    assert Entities([ILL_FORMED], IOB2).entities == [[]]
    assert seqeval_metrics.f1_score([WELL_FORMED], [ILL_FORMED], mode="strict", scheme=IOB2) == 0.0
    assert seqeval_metrics.f1_score([WELL_FORMED], [WELL_FORMED], mode="strict", scheme=IOB2) == 1.0
