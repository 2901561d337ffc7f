"""How an LLM is asked for NER (`bench.tasks.llm`): templates, answer formats, merging.

Where it sits: stage 2, the NER task. Answer formats by prompt version:
- 1.0.0 to 1.2.0: one list, `{"entities": [{"text", "label"}]}`; bounded from 1.1.0
  (a name at most 100 characters), the name copy-constrained from 1.2.0 (a run of at
  most 10 tokens of the window);
- 1.3.0: names by label, one list per label (`BY_LABEL_KEYS`), so that the model
  decides a name's label by the list it writes it into, one label at a time (the
  per-type querying of UniversalNER, in one answer); and a name must look like one
  in English text (`name_like`): its first and last words capitalised (hold a capital
  letter; a lower-case particle hyphened to a capitalised word may start it:
  "al-Sharaa"), a word between capitalised or a joiner of at most three letters ("of",
  "for", "al"), and the only punctuation inside a hyphen, apostrophe, full stop or
  ampersand that touches a word ("Hayat Tahrir al-Sham", "U.S.", not "Front (CLF" or
  "Photo/Agency"). A name in lower case ("the west") or ending in a lower-case word
  ("Astamu airbase") cannot be given: a ceiling the rule sets on recall.

A window's names are tagged with its span; a name repeated beyond the number of times
its string occurs in its window is a duplicate (a looping model).

The ceiling (`ideal_answer`): a window owns the gold mentions that start in its
passage; each is given as its text under its label, unless it runs past the passage,
is over the character cap, or is not a phrase the enum offers (why: `phrase_problem`,
or the name rule's reasons: a lower-case name, one ending in a lower-case word, a
lower-case word or punctuation inside), or the window's item bound is reached.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Mapping, Sequence

from bench.documents.corpus import Document
from bench.documents.tokenize import Token
from bench.documents.windows import Window
from bench.tasks.ceiling import CROSSES_WINDOWS, NOT_A_PHRASE, OVER_CHARACTERS, OVER_ITEM_BOUND, IdealAnswer, IdealItem, owns, phrase_problem
from bench.tasks.copying import is_word
from bench.tasks.llm import TEXT, Bounds, CopyRule, ListFormat, capped, choices, dedupe_by_occurrences, normalise, object_schema, packaged_template
from bench.tasks.ner.types import NerGold

LABELS = ["PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"]
VERSIONS = ("1.0.0", "1.1.0", "1.2.0", "1.3.0")
BOUNDS = Bounds(words_per_item=3, floor=4, max_chars={"text": 100})  # gold density is about one mention per 9 words

# Prompts 1.3.0 on: the answer lists names under one key per label. Key -> label, in answer order.
BY_LABEL_KEYS: dict[str, str] = {
    "people": "PER",
    "organisations": "ORG",
    "countries_cities_and_towns": "GPE",
    "other_places": "LOC",
    "facilities": "FAC",
    "nationalities_religions_and_political_groups": "NORP",
    "named_events": "EVENT",
}

_NAME_MARKS = frozenset("-'’.&")  # the only punctuation inside a name: "al-Sham", "O’Neil", "U.S.", "AT&T"
NAMES_NOTE = "first and last word capitalised, words between capitalised or of at most 3 letters, no punctuation between but - ' ’ . & written without spaces; a lower-case particle may be hyphened to the first"


def _capital(text: str) -> bool:
    return any(c.isupper() for c in text)


def starts_name(run: Sequence[Token], i: int) -> bool:
    """A capitalised word, or a lower-case particle hyphened to one ("al-Sharaa", "el-Baz")."""
    if _capital(run[i].text):
        return True
    return run[i].text.islower() and i + 2 < len(run) and run[i + 1].text == "-" and run[i + 1].start == run[i].end and run[i + 2].start == run[i + 1].end and _capital(run[i + 2].text)


def name_like(run: Sequence[Token], i: int, j: int) -> bool:
    """tokens[i..j] end with a capitalised word, every word between is capitalised or a short
    lower-case joiner ("of", "for", "al", "bin"), and any punctuation between is a hyphen,
    apostrophe, full stop or ampersand written without spaces."""
    run = run[i : j + 1]
    words = [t.text for t in run if is_word(t.text)]
    if not (_capital(words[-1]) and all(_capital(w) or len(w) <= 3 for w in words[1:-1])):
        return False
    for k, token in enumerate(run[1:], 1):
        if not is_word(token.text) and (token.text not in _NAME_MARKS or (k < len(run) - 1 and token.start != run[k - 1].end and run[k + 1].start != token.end)):
            return False
    return True


COPY = CopyRule({"text": 10})
COPY_NAMES = CopyRule({"text": 10}, accept={"text": name_like}, starts={"text": starts_name}, notes={"names": NAMES_NOTE})


def _flat(bounds: Bounds | None, copy: CopyRule | None) -> ListFormat:
    return ListFormat("entities", {"text": TEXT, "label": {"enum": LABELS}}, lambda e: {"text": e["text"], "label": e["label"]}, bounds, copy)


@dataclass(frozen=True)
class ByLabelFormat:
    """`{"people": [...], "organisations": [...], ...}`: one list of names per label."""

    bounds: Bounds | None = BOUNDS
    copy: CopyRule | None = COPY_NAMES

    def schema(self, max_items: int | None = None, choices: Mapping[str, Sequence[str]] | None = None) -> dict[str, Any]:
        item: dict[str, Any] = capped(TEXT, BOUNDS.max_chars["text"]) if max_items is not None else TEXT
        names = (choices or {}).get("text")
        bound: dict[str, Any] = {} if max_items is None else {"maxItems": 0 if names == [] else max_items}
        if names:
            item = {"enum": list(names)}
        return object_schema({key: {"type": "array", "items": item, **bound} for key in BY_LABEL_KEYS})

    def records(self, answer: Mapping[str, Any]) -> list[dict[str, Any]]:
        return [{"text": name, "label": label} for key, label in BY_LABEL_KEYS.items() for name in answer[key]]

    def answer(self, items: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        return {key: [item["text"] for item in items if item["label"] == label] for key, label in BY_LABEL_KEYS.items()}


_FORMATS = {
    "1.0.0": _flat(None, None),
    "1.1.0": _flat(BOUNDS, None),
    "1.2.0": _flat(BOUNDS, COPY),
    "1.3.0": ByLabelFormat(),
}


class NerProtocol:
    task = "ner"
    versions = VERSIONS
    context = False

    def template(self, version: str) -> str:
        return packaged_template(__package__, version)

    def answer_format(self, version: str) -> ListFormat | ByLabelFormat:
        return _FORMATS[version]

    def localise(self, items: Sequence[Any], window: Window) -> list[Any]:
        return [replace(m, window=window.span) for m in items]

    def dedupe(self, items: Sequence[Any], document: Document) -> tuple[list[Any], int]:
        return dedupe_by_occurrences(items, lambda m: (normalise(m.text or ""), m.label, m.window), lambda m: m.text or "", lambda m: m.window, document)

    def ideal_answer(self, gold: NerGold, document: Document, window: Window, fmt: ListFormat | ByLabelFormat) -> IdealAnswer:
        """Every gold mention that starts in the window's passage, as its text and label, in
        text order, unless the format cannot hold it (`bench.tasks.ceiling`)."""
        offered = choices(fmt, window, document)
        names = None if offered is None else set(offered["text"])
        bound = fmt.bounds.max_items(window, document) if fmt.bounds is not None else None
        cap = fmt.bounds.max_chars["text"] if fmt.bounds is not None else None
        records: list[dict[str, Any]] = []
        items: list[IdealItem] = []
        for mention in sorted((m for m in gold.mentions if owns(window, m.start)), key=lambda m: (m.start, m.end, m.id)):
            if mention.end > window.end:
                reason: str | None = CROSSES_WINDOWS
            elif cap is not None and len(mention.text) > cap:
                reason = OVER_CHARACTERS
            elif names is not None and mention.text not in names:
                reason = _why_not_offered(document, mention.start, mention.end, fmt)
            elif bound is not None and len(records) >= bound:
                reason = OVER_ITEM_BOUND
            else:
                reason = None
            if reason is None:
                records.append({"text": mention.text, "label": gold.label_of(mention)})
            items.append(IdealItem(mention.id, reason is None, reason))
        return IdealAnswer(fmt.answer(records), tuple(items))


LOWER_CASE_NAME = "lower-case name"
LOWER_CASE_END = "name ending in a lower-case word"
NOT_NAME_LIKE = "a lower-case word or punctuation inside a name"


def _why_not_offered(document: Document, start: int, end: int, fmt: ListFormat | ByLabelFormat) -> str:
    """Why a gold mention is not among the names the enum offers."""
    copy = fmt.copy
    assert copy is not None
    problem = phrase_problem(document, start, end, copy.max_tokens["text"])
    if problem is not None:
        return problem
    if "text" not in copy.accept:
        return NOT_A_PHRASE
    sentence = document.sentence_at(start)
    run = [t for t in document.tokens[sentence.token_start : sentence.token_end]]
    i = next(k for k, t in enumerate(run) if t.start == start)
    j = next(k for k, t in enumerate(run) if t.end == end)
    if not starts_name(run, i):
        return LOWER_CASE_NAME
    words = [t.text for t in run[i : j + 1] if is_word(t.text)]
    if not _capital(words[-1]):
        return LOWER_CASE_END
    return NOT_NAME_LIKE


PROTOCOL = NerProtocol()
