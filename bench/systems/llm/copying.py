"""Copy-constrained answers (prompts 1.2.0): the strings a window's answer may hold (part of stage 3).

A small model asked to copy names from a passage often writes names that are not
there: it copies the worked example's invented names, or whole sentences. Those
strings are scored as `ungrounded`, which measures how well the model follows the
answer format rather than what it read. From prompts 1.2.0 the short text fields of
an answer are therefore *copy-constrained*: the answer schema sent to the backend
lists, as an `enum`, every phrase of the window that the field may hold, so the
grammar (llama.cpp) or the endpoint's structured output can only produce a phrase of
the passage. The model still chooses which phrases, where each starts and ends, and
their labels; nothing is suggested by a rule about names.

The candidate phrases of a field are all runs of 1 to `COPY_FIELDS[task][field]`
tokens of the benchmark's tokenizer inside the window that stay in one sentence of
the benchmark's splitter, start with a word token, and end with a word token or with
a full stop right after a one-letter word token ("U.S."). Each phrase is the
window's text from its first token's start to its last token's end, character for
character, listed once, in text order (a paragraph offers a few hundred). Long
fields (attribution content) stay free text, bounded by `answers.MAX_CHARS`.

The rule is part of the prompt identity (`copy_rule`, in the prompt hash), and the
phrases follow from the document and the window, which the cache key holds. The
parser checks an answer against the unconstrained bounded schema: an endpoint that
ignores the `enum` gives strings that the scorer reports as `ungrounded`, not a
parse failure.
"""

from __future__ import annotations

import re

from bench.documents.corpus import Document
from bench.tasks.base import TaskName

# field -> the most tokens one phrase may have. Punctuation is a token of its own
# ("al-Assad" is three tokens), so the limits are generous for names and number phrases.
COPY_FIELDS: dict[TaskName, dict[str, int]] = {
    TaskName.NER: {"text": 10},
    TaskName.CASUALTIES: {"quantity": 8},
    TaskName.ATTRIBUTION: {"source": 12, "cue": 4},
}


def copy_rule(task: TaskName) -> dict[str, object]:
    """What goes into the prompt hash: the fields and their phrase lengths, and the rule's name."""
    return {"rule": "token runs of the window, word token at each end", "max_tokens": COPY_FIELDS[task]}


_WORD = re.compile(r"\w")  # the tokenizer's word tokens are runs of \w


def _word(text: str) -> bool:
    return _WORD.match(text) is not None


def phrases(document: Document, start: int, end: int, max_tokens: int) -> list[str]:
    """Every candidate phrase of [start, end) of `document` with at most `max_tokens` tokens."""
    text, tokens = document.text, document.tokens
    seen: set[str] = set()
    out: list[str] = []
    for sentence in document.sentences:
        if sentence.end <= start or sentence.start >= end:
            continue
        run = [t for t in tokens[sentence.token_start : sentence.token_end] if start <= t.start and t.end <= end]
        for i, first in enumerate(run):
            if not _word(first.text):
                continue
            for j in range(i, min(i + max_tokens, len(run))):
                last, before = run[j], run[j - 1]
                initial = j > i and last.text == "." and last.start == before.end and len(before.text) == 1 and _word(before.text)
                if not (_word(last.text) or initial):
                    continue
                phrase = text[first.start : last.end]
                if phrase not in seen:
                    seen.add(phrase)
                    out.append(phrase)
    return out


def choices(task: TaskName, document: Document, start: int, end: int) -> dict[str, list[str]]:
    """field -> the phrases its answer may hold, for a window over [start, end)."""
    return {field: phrases(document, start, end, limit) for field, limit in COPY_FIELDS[task].items()}
