"""Copy-constrained answers (prompts 1.2.0 on): the strings a window's answer may hold (part of stage 3).

A small model asked to copy names from a passage often writes names that are not
there: it copies the worked example's invented names, or whole sentences. Those
strings are scored as `ungrounded`, which measures how well the model follows the
answer format rather than what it read. From prompts 1.2.0 the short text fields of
an answer are therefore *copy-constrained*: the answer schema sent to the backend
lists, as an `enum`, every phrase of the window that the field may hold, so the
grammar (llama.cpp) or the endpoint's structured output can only produce a phrase of
the passage. The model still chooses which phrases, where each starts and ends, and
their labels.

The candidate phrases of a field are all runs of 1 to `COPY_FIELDS[task][field]`
tokens of the benchmark's tokenizer inside the window that stay in one sentence of
the benchmark's splitter, start with a word token, and end with a word token or with
a full stop right after a one-letter word token ("U.S."). Each phrase is the
window's text from its first token's start to its last token's end, character for
character, listed once, in text order (a paragraph offers a few hundred).

Prompts 1.3.0 narrow two fields further:
- a name (NER) must look like one in English text: its first and last words are
  capitalised (hold a capital letter; a lower-case particle hyphened to a capitalised
  word may start it: "al-Sharaa"), a word between is capitalised or a joiner of at
  most three letters ("of", "for", "al"), and the only punctuation inside is a hyphen,
  apostrophe, full stop or ampersand that touches a word ("Hayat Tahrir al-Sham",
  "U.S.", not "Front (CLF" or "Photo/Agency"). A name in lower case ("the west") or
  ending in a lower-case word ("Astamu airbase") cannot be given;
- an attribution content is a sentence prefix or suffix: the words of one sentence
  from its first word token to any word token, or from any word token to its last
  (so a closing full stop and quotation marks stay out). A content that runs over two
  sentences can only be given as one of them. In 1.2.0 the content is free text,
  bounded by `answers.MAX_CHARS`.

The rule is part of the prompt identity (`copy_rule`, in the prompt hash), and the
phrases follow from the document and the window, which the cache key holds. The
parser checks an answer against the unconstrained bounded schema: an endpoint that
ignores the `enum` gives strings that the scorer reports as `ungrounded`, not a
parse failure.
"""

from __future__ import annotations

import re
from typing import Iterator

from bench.documents.corpus import Document
from bench.tasks.base import TaskName

# field -> the most tokens one phrase may have. Punctuation is a token of its own
# ("al-Assad" is three tokens), so the limits are generous for names and number phrases.
COPY_FIELDS: dict[TaskName, dict[str, int]] = {
    TaskName.NER: {"text": 10},
    TaskName.CASUALTIES: {"quantity": 8},
    TaskName.ATTRIBUTION: {"source": 12, "cue": 4},
}


def copy_rule(task: TaskName, capitalised: bool = False, clauses: bool = False) -> dict[str, object]:
    """What goes into the prompt hash: the fields and their phrase lengths, and the rule's name."""
    rule: dict[str, object] = {"rule": "token runs of the window, word token at each end", "max_tokens": COPY_FIELDS[task]}
    if capitalised and task is TaskName.NER:
        rule["names"] = "first and last word capitalised, words between capitalised or of at most 3 letters, no punctuation between but - ' ’ . & written without spaces; a lower-case particle may be hyphened to the first"
    if clauses and task is TaskName.ATTRIBUTION:
        rule["content"] = "a sentence's words from its first word or up to its last word"
    return rule


_WORD = re.compile(r"\w")  # the tokenizer's word tokens are runs of \w


def _word(text: str) -> bool:
    return _WORD.match(text) is not None


def _capital(text: str) -> bool:
    return any(c.isupper() for c in text)


def _starts_name(run: list, i: int) -> bool:
    """A capitalised word, or a lower-case particle hyphened to one ("al-Sharaa", "el-Baz")."""
    if _capital(run[i].text):
        return True
    return run[i].text.islower() and i + 2 < len(run) and run[i + 1].text == "-" and run[i + 1].start == run[i].end and run[i + 2].start == run[i + 1].end and _capital(run[i + 2].text)


_NAME_MARKS = frozenset("-'’.&")  # the only punctuation inside a name: "al-Sham", "O’Neil", "U.S.", "AT&T"


def _name_like(run: list) -> bool:
    """Ends with a capitalised word, every word between is capitalised or a short
    lower-case joiner ("of", "for", "al", "bin"), and any punctuation between is a
    hyphen, apostrophe, full stop or ampersand written without spaces."""
    words = [t.text for t in run if _word(t.text)]
    if not (_capital(words[-1]) and all(_capital(w) or len(w) <= 3 for w in words[1:-1])):
        return False
    for k, token in enumerate(run[1:], 1):
        if not _word(token.text) and (token.text not in _NAME_MARKS or (k < len(run) - 1 and token.start != run[k - 1].end and run[k + 1].start != token.end)):
            return False
    return True


def _sentence_runs(document: Document, start: int, end: int) -> Iterator[list]:
    """The tokens of each sentence that lie inside [start, end), sentence by sentence."""
    for sentence in document.sentences:
        if sentence.start < end and sentence.end > start:
            yield [t for t in document.tokens[sentence.token_start : sentence.token_end] if start <= t.start and t.end <= end]


def phrases(document: Document, start: int, end: int, max_tokens: int, capitalised: bool = False) -> list[str]:
    """Every candidate phrase of [start, end) of `document` with at most `max_tokens` tokens
    (`capitalised`: only phrases that look like names, see the module docstring)."""
    found: dict[str, None] = {}  # insertion-ordered and unique
    for run in _sentence_runs(document, start, end):
        for i, first in enumerate(run):
            if not _word(first.text) or (capitalised and not _starts_name(run, i)):
                continue
            for j in range(i, min(i + max_tokens, len(run))):
                last, before = run[j], run[j - 1]
                initial = j > i and last.text == "." and last.start == before.end and len(before.text) == 1 and _word(before.text)
                if not (_word(last.text) or initial):
                    continue
                if capitalised and not _name_like(run[i : j + 1]):
                    continue
                found.setdefault(document.text[first.start : last.end])
    return list(found)


def clause_phrases(document: Document, start: int, end: int) -> list[str]:
    """Every sentence prefix and suffix of [start, end): the words of a sentence from its
    first word token to any word token, and from any word token to its last word token
    (so a sentence's closing full stop and quotation marks stay out)."""
    text = document.text
    found: dict[str, None] = {}
    for run in _sentence_runs(document, start, end):
        words = [t for t in run if _word(t.text)]
        for t in words:
            found.setdefault(text[words[0].start : t.end])
            found.setdefault(text[t.start : words[-1].end])
    return list(found)


def choices(task: TaskName, document: Document, start: int, end: int, capitalised: bool = False, clauses: bool = False) -> dict[str, list[str]]:
    """field -> the phrases its answer may hold, for a window over [start, end)
    (`capitalised`: a name must look like one; `clauses`: an attribution content is a
    sentence prefix or suffix; see the module docstring)."""
    from bench.systems.llm.answers import MAX_CHARS

    names = capitalised and task is TaskName.NER
    out = {field: phrases(document, start, end, limit, names) for field, limit in COPY_FIELDS[task].items()}
    if clauses and task is TaskName.ATTRIBUTION:
        out["content"] = clause_phrases(document, start, end)
    return {field: [p for p in found if len(p) <= MAX_CHARS[task][field]] for field, found in out.items()}
