"""IOB2 tags for labelled spans, over the document's own tokens and sentences.

seqeval and CoNLL-style tools score token tags, not character spans. `to_bio` turns a
document's spans into one IOB2 tag list per sentence of `Document.sentences` (tokens
from `bench.documents.tokenize`): "B-LABEL" on an entity's first token, "I-LABEL" on
the others, "O" elsewhere. `bio_tokens` gives the token texts in the same shape, and
`from_bio` turns such tags back into spans.

IOB2 cannot express every span: a span must start and end on token boundaries, stay
inside one sentence and overlap no other span. Anything else raises ValueError.
"""

from __future__ import annotations

from typing import Sequence

from bench.documents.corpus import Document
from bench.tasks.ner.types import Span


def bio_tokens(document: Document) -> list[list[str]]:
    tokens = document.tokens
    return [[t.text for t in tokens[s.token_start : s.token_end]] for s in document.sentences]


def _describe(document: Document, span: Span) -> str:
    return f"{span.label} [{span.start}, {span.end}) {document.text[span.start:span.end]!r}"


def to_bio(document: Document, spans: Sequence[Span]) -> list[list[str]]:
    """One IOB2 tag list per sentence of `document`."""
    tokens = document.tokens
    first_token = {t.start: i for i, t in enumerate(tokens)}
    last_token = {t.end: i for i, t in enumerate(tokens)}
    sentence_of = [0] * len(tokens)
    for sentence in document.sentences:
        for i in range(sentence.token_start, sentence.token_end):
            sentence_of[i] = sentence.index

    tags = ["O"] * len(tokens)
    owner: list[Span | None] = [None] * len(tokens)
    where = f"document {document.id!r}"
    for span in sorted(spans):
        if span.start >= span.end or not document.is_token_aligned(span.start, span.end):
            raise ValueError(f"{where}: span {_describe(document, span)} does not start and end on token boundaries")
        i, j = first_token[span.start], last_token[span.end]
        if sentence_of[i] != sentence_of[j]:
            raise ValueError(
                f"{where}: span {_describe(document, span)} crosses a sentence boundary "
                f"(sentences {sentence_of[i]} to {sentence_of[j]})"
            )
        for k in range(i, j + 1):
            other = owner[k]
            if other is not None:
                raise ValueError(
                    f"{where}: span {_describe(document, span)} overlaps span {_describe(document, other)}; "
                    "IOB2 cannot express overlapping spans"
                )
            owner[k] = span
            tags[k] = ("B-" if k == i else "I-") + span.label
    return [tags[s.token_start : s.token_end] for s in document.sentences]


def from_bio(document: Document, tags: Sequence[Sequence[str]]) -> list[Span]:
    """Spans from IOB2 tags shaped like `to_bio`'s output. Invalid IOB2 raises ValueError."""
    sentences = document.sentences
    if len(tags) != len(sentences):
        raise ValueError(f"document {document.id!r}: {len(tags)} tag lists for {len(sentences)} sentences")
    tokens = document.tokens
    spans: list[Span] = []
    for sentence, sentence_tags in zip(sentences, tags):
        if len(sentence_tags) != sentence.token_end - sentence.token_start:
            raise ValueError(f"document {document.id!r}: sentence {sentence.index} has the wrong number of tags")
        open_at: int | None = None  # token index of the current entity's first token
        label = ""
        for offset, tag in enumerate([*sentence_tags, "O"]):  # the final "O" closes any entity
            k = sentence.token_start + offset
            prefix, _, tag_label = tag.partition("-")
            if prefix == "I" and open_at is not None and tag_label == label:
                continue
            if open_at is not None:
                spans.append(Span(tokens[open_at].start, tokens[k - 1].end, label))
                open_at = None
            if prefix == "B" and tag_label:
                open_at, label = k, tag_label
            elif tag != "O":
                raise ValueError(
                    f"document {document.id!r}: invalid IOB2 tag {tag!r} at token {k} of sentence {sentence.index}"
                )
    return spans
