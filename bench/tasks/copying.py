"""Copy-constrained answers: the phrases of a window that a text field of an answer may hold.

Where it sits: stage 2, tasks, shared by every task's LLM protocol (`tasks/<task>/llm.py`).

A small model asked to copy names from a passage often writes names that are not
there: it copies the worked example's invented names, or whole sentences. Those
strings are scored as `ungrounded`, which measures how well the model follows the
answer format rather than what it read. From prompts 1.2.0 the short text fields of
an answer are therefore *copy-constrained*: the answer schema sent to the backend
lists, as an `enum`, every phrase of the window that the field may hold, so the
grammar (llama.cpp) or the endpoint's structured output can only produce a phrase of
the passage. The model still chooses which phrases, where each starts and ends, and
their labels.

The candidate phrases of a field (`phrases`) are all runs of 1 to `max_tokens` tokens
of the benchmark's tokenizer inside the window that stay in one sentence of the
benchmark's splitter, start with a word token, and end with a word token or with a
full stop right after a one-letter word token ("U.S."). Each phrase is the window's
text from its first token's start to its last token's end, character for character,
listed once, in text order (a paragraph offers a few hundred). A task may narrow a
field further with its own rule on the token run (`accept`, NER's names), or give a
field sentence prefixes and suffixes (`clause_phrases`, attribution contents).

The rules are part of the prompt identity (each task's `CopyRule.describe`, in the
prompt hash), and the phrases follow from the document and the window, which the cache
key holds. The parser checks an answer against the unconstrained bounded schema: an
endpoint that ignores the `enum` gives strings that the scorer reports as
`ungrounded`, not a parse failure.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator, Sequence

from bench.documents.corpus import Document
from bench.documents.tokenize import Token

WORD = re.compile(r"\w")  # the tokenizer's word tokens are runs of \w
RULE = "token runs of the window, word token at each end"

# A run rule: (the sentence's tokens, first index, last index) -> may tokens[i..j] be given?
RunRule = Callable[[Sequence[Token], int, int], bool]


def is_word(text: str) -> bool:
    return WORD.match(text) is not None


def sentence_runs(document: Document, start: int, end: int) -> Iterator[list[Token]]:
    """The tokens of each sentence that lie inside [start, end), sentence by sentence."""
    for sentence in document.sentences:
        if sentence.start < end and sentence.end > start:
            yield [t for t in document.tokens[sentence.token_start : sentence.token_end] if start <= t.start and t.end <= end]


def phrases(document: Document, start: int, end: int, max_tokens: int, accept: RunRule | None = None, starts: Callable[[Sequence[Token], int], bool] | None = None) -> list[str]:
    """Every candidate phrase of [start, end) of `document` with at most `max_tokens`
    tokens; `starts(run, i)` may narrow where a phrase begins, `accept(run, i, j)` which
    runs are phrases (see the module docstring)."""
    found: dict[str, None] = {}  # insertion-ordered and unique
    for run in sentence_runs(document, start, end):
        for i, first in enumerate(run):
            if not is_word(first.text) or (starts is not None and not starts(run, i)):
                continue
            for j in range(i, min(i + max_tokens, len(run))):
                last, before = run[j], run[j - 1]
                initial = j > i and last.text == "." and last.start == before.end and len(before.text) == 1 and is_word(before.text)
                if not (is_word(last.text) or initial):
                    continue
                if accept is not None and not accept(run, i, j):
                    continue
                found.setdefault(document.text[first.start : last.end])
    return list(found)


def clause_phrases(document: Document, start: int, end: int) -> list[str]:
    """Every sentence prefix and suffix of [start, end): the words of a sentence from its
    first word token to any word token, and from any word token to its last word token
    (so a sentence's closing full stop and quotation marks stay out)."""
    text = document.text
    found: dict[str, None] = {}
    for run in sentence_runs(document, start, end):
        words = [t for t in run if is_word(t.text)]
        for t in words:
            found.setdefault(text[words[0].start : t.end])
            found.setdefault(text[t.start : words[-1].end])
    return list(found)
