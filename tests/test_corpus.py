"""The corpus is the seeds byte for byte; the tokenizer and sentence splitter behave."""

import hashlib
import json

from hypothesis import given, strategies as st

from bench.documents import data_root, split_sentences, tokenize

EXPECTED = {
    "000_5cf36fedf2077db3": "02f47a01a25d232e10077b4ab2fdc43fbc80b357051252e13b197ecef5082810",
    "003_a061056322098f3b": "c348c78fd3a26991d6a5fdddafac8ffaf6a7e6640be03ddb16ac42602faf8813",
}


def test_seeds_are_the_published_bytes(corpus):
    assert {d: doc.sha256 for d, doc in corpus.items()} == EXPECTED
    for doc_id, digest in EXPECTED.items():
        assert hashlib.sha256((data_root() / "seeds" / f"{doc_id}.txt").read_bytes()).hexdigest() == digest


def test_texts_keep_their_quirks(corpus):
    text = corpus["000_5cf36fedf2077db3"].text
    assert "\u00a0" in text and "“" in text and "next to an anti-a\n" in text and "look place" in text


def test_articles_metadata_is_what_the_text_states(corpus):
    raw = json.loads((data_root() / "seeds" / "articles.json").read_text(encoding="utf-8"))
    for article in raw["articles"]:
        text = corpus[article["id"]].text
        assert article["headline"] in text
        assert article["date_as_written"] in text
        if article["byline"]:
            assert article["byline"] in text
        for stated in (article["outlet"], article["source_url"], article["copyright"]["holder"], article["copyright"]["notice"]):
            assert stated is None or stated in text  # only what the text states; the rest is unknown (null)
        assert (article["copyright"]["status"] == "stated") == (article["copyright"]["notice"] is not None)
        assert article["sha256"] == EXPECTED[article["id"]]
    meta = corpus["003_a061056322098f3b"].meta
    assert meta.source_url is None and meta.copyright.status == "unknown"


def test_tokenizer_splits_hyphens_and_apostrophes():
    assert [t.text for t in tokenize("HTS-led Assad’s al-Sharaa's")] == ["HTS", "-", "led", "Assad", "’", "s", "al", "-", "Sharaa", "'", "s"]
    assert [t.text for t in tokenize("on\u00a0Facebook")] == ["on", "Facebook"]


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200))
def test_tokens_cover_every_non_space_character(text):
    tokens = tokenize(text)
    covered = set()
    for t in tokens:
        assert text[t.start : t.end] == t.text and t.text.strip() == t.text and t.text
        covered.update(range(t.start, t.end))
    assert covered == {i for i, ch in enumerate(text) if not ch.isspace()}


def test_sentences():
    text = "He left. “We stay,” she said. Mr. Smith arrived in the U.S. today.\nNew line starts here"
    spans = [text[s.start : s.end] for s in split_sentences(text)]
    assert spans == ["He left.", "“We stay,” she said.", "Mr. Smith arrived in the U.S. today.", "New line starts here"]


def test_sentences_partition_the_tokens(corpus):
    for doc in corpus.values():
        sentences = doc.sentences
        assert sentences[0].token_start == 0 and sentences[-1].token_end == len(doc.tokens)
        for a, b in zip(sentences, sentences[1:]):
            assert a.token_end == b.token_start


def reference_split(text, tokens):
    """The splitter's rule applied at every token in turn (the code before candidates-only)."""
    from bench.documents.tokenize import Sentence, _ends_sentence

    sentences, begin, i = [], 0, 0
    while i < len(tokens):
        end_at = i if i + 1 < len(tokens) and "\n" in text[tokens[i].end : tokens[i + 1].start] else None
        ended = _ends_sentence(text, tokens, i)
        if ended is not None and (end_at is None or ended <= end_at):
            end_at = ended
        if end_at is not None or i == len(tokens) - 1:
            last = len(tokens) - 1 if end_at is None else end_at
            sentences.append(Sentence(len(sentences), tokens[begin].start, tokens[last].end, begin, last + 1))
            begin = i = last + 1
        else:
            i += 1
    return tuple(sentences)


pieces = st.sampled_from(["a", "Ab", "U", "Mr", "st", "7", ".", "!", "?", "\"", "'", "”", "’", ")", "]", "»", "“", "‘", "(", "«", " ", " ", "\n", "\n\n", "\u00a0", "-"])


@given(st.lists(pieces, max_size=40).map("".join))
def test_sentences_visiting_only_candidates_match_the_rule_at_every_token(text):
    tokens = tokenize(text)
    assert split_sentences(text, tokens) == reference_split(text, tokens)


def test_sentences_of_the_articles_match_the_rule_at_every_token(corpus):
    for doc in corpus.values():
        assert doc.sentences == reference_split(doc.text, doc.tokens)
