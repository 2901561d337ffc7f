"""Deterministic tokenizer and sentence splitter (no model).

They give the token view that the BIO export and seqeval need, and the sentence
units that per-sentence counts (and the bootstrap) use. Every gold span must start
and end on token boundaries; `bench validate` checks it.

Tokens: a run of word characters (`\\w+`: letters, digits, underscore) is a token;
every other non-space character is a token of its own. So hyphens and apostrophes
split: "HTS-led" -> HTS | - | led, "Assad’s" -> Assad | ’ | s. Any Unicode
whitespace (including the no-break space U+00A0) separates tokens.

Sentences: every line is a paragraph and paragraphs never share a sentence. Inside a
line, a sentence ends after ".", "!" or "?" (plus any closing quotes or brackets)
when whitespace follows and the next token starts with an upper-case letter, a digit
or an opening quote or bracket, unless the full stop ends a known abbreviation or a
single capital letter ("U.S.").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from typing import Iterator, NamedTuple

_TOKEN_RE = re.compile(r"\w+|[^\w\s]")
_TERMINALS = frozenset(".!?")
_CLOSERS = frozenset("\"'”’)]»")
_OPENERS = frozenset("\"'“‘([«")
_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "st", "gen", "lt", "col", "capt", "sgt", "no", "vs", "etc", "jr", "sr"}
)


class Token(NamedTuple):
    """Half-open character span [start, end) and its text. A named tuple, not a frozen
    dataclass: a long document has 100,000s of tokens, and a tuple is made about twice as fast."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Sentence:
    """Half-open character span [start, end) and token index range [token_start, token_end)."""

    index: int
    start: int
    end: int
    token_start: int
    token_end: int


def tokenize(text: str) -> tuple[Token, ...]:
    make = Token._make
    return tuple(make((m.start(), m.end(), m.group())) for m in _TOKEN_RE.finditer(text))


def _ends_sentence(text: str, tokens: tuple[Token, ...], i: int) -> int | None:
    """If a sentence ends at token i (a terminal), return the index of its last token."""
    if tokens[i].text not in _TERMINALS:
        return None
    prev = tokens[i - 1] if i > 0 else None
    if tokens[i].text == "." and prev is not None and prev.end == tokens[i].start:
        word = prev.text
        if word.lower() in _ABBREVIATIONS or (len(word) == 1 and word.isupper()):
            return None
    last = i
    while last + 1 < len(tokens) and tokens[last + 1].text in _CLOSERS and tokens[last + 1].start == tokens[last].end:
        last += 1
    if last + 1 >= len(tokens):
        return last
    nxt = tokens[last + 1]
    gap = text[tokens[last].end : nxt.start]
    if not gap or "\n" in gap:
        return last if "\n" in gap else None
    first = nxt.text[0]
    if first.isupper() or first.isdigit() or first in _OPENERS:
        return last
    return None


def split_sentences(text: str, tokens: tuple[Token, ...] | None = None) -> tuple[Sentence, ...]:
    tokens = tokenize(text) if tokens is None else tokens
    if not tokens:
        return ()
    # A sentence can end only at a terminal or at the last token before a line break:
    # visit those tokens, in order, instead of every token.
    starts = [t.start for t in tokens]
    at_break = {i for i in (bisect_right(starts, p) - 1 for p in _line_breaks(text)) if 0 <= i < len(tokens) - 1}
    candidates = sorted({i for i, t in enumerate(tokens) if t.text in _TERMINALS} | at_break)
    sentences: list[Sentence] = []
    begin = 0
    for i in candidates:
        if i < begin:
            continue  # inside the closing quotes of a sentence already ended
        end_at = i if i in at_break else None
        ended = _ends_sentence(text, tokens, i)
        if ended is not None and (end_at is None or ended <= end_at):
            end_at = ended
        if end_at is not None:
            sentences.append(Sentence(len(sentences), tokens[begin].start, tokens[end_at].end, begin, end_at + 1))
            begin = end_at + 1
    if begin < len(tokens):
        sentences.append(Sentence(len(sentences), tokens[begin].start, tokens[-1].end, begin, len(tokens)))
    return tuple(sentences)


def _line_breaks(text: str) -> Iterator[int]:
    at = text.find("\n")
    while at != -1:
        yield at
        at = text.find("\n", at + 1)
