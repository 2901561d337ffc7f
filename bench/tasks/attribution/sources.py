"""Who a source phrase names: the head rule of attribution scorer 1.1.0 (GUIDELINES.md 3.6).

Where it sits: stage 2, tasks; the attribution scorer (`scoring.py`) asks it whether a
predicted source is the gold source, and `bench report` shows the heads it compared.

Why: annotators write sources in different conventions. PARC takes the whole noun
phrase ("The Emirati newspaper The National", "Fadel Abdul Ghany, executive director
of …"), this benchmark's gold takes the name; both say who the source is. So the
scorer compares the phrase's *head*, not its extent. A rule over tokens, no parser:

1. Normalise as NER grounding does; drop parenthesised text ("(SOHR)"); split the
   phrase at commas, semicolons and spaced dashes: the first part is the source, the
   rest are appositions.
2. Mark every NER mention of any entity in the phrase (longest match first), so a name
   such as "Syrian Observatory for Human Rights" is one item.
3. A self-naming frame ("a group calling itself X", "… known as X") gives a second
   description, X, of the same source.
4. A description ends before its first post-modifier: a preposition ("sources *in* …",
   "a leader *from* …"), a relative pronoun, or an adjective such as "close" or
   "loyal". What is left is split at coordinators ("and", "or"); each conjunct's head
   is its last item, stepping back over a trailing participle ("Videos *shared*").

A named gold source is right when the source's head (or X's) is a mention of the gold
entity and no conjunct, apposition or frame is headed by a mention of another entity.
An unnamed one is right when the head of the last conjunct (or X's) is the gold head
word, singular or plural, and no conjunct is headed by a name the gold does not have.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Mapping, Sequence

from bench.tasks.grounding import normalise, normalised_tokens

PREPOSITIONS = frozenset(
    "of in from to for at by with within inside near among amongst on onto under over behind around about against across "
    "after before beyond through throughout toward towards via without including like than outside between during since "
    "upon into per despite except beside besides".split()
)
RELATIVES = frozenset({"who", "whom", "whose", "which", "that", "where"})
POSTMODIFIERS = frozenset({"close", "loyal", "near", "familiar", "opposed", "allied", "sympathetic", "responsible", "critical", "faithful", "answerable"})
COORDINATORS = frozenset({"and", "or", "&", "nor", "plus"})
MULTIWORD_COORDINATORS = (("as", "well", "as"), ("along", "with"), ("together", "with"))
SELF_NAMING_VERBS = frozenset({"calling", "call", "calls", "called", "naming", "named", "styling", "styled", "identifying", "describing"})
REFLEXIVES = frozenset({"itself", "themselves", "himself", "herself", "themself", "ourselves"})
KNOWN_AS = (("known", "as"), ("dubbed",), ("going", "by"))
# Nouns that end like participles; never stepped back over.
NOT_PARTICIPLES = frozenset(
    {"king", "wing", "ring", "thing", "building", "meeting", "briefing", "hearing", "spring", "evening", "morning", "sibling",
     "offspring", "ceiling", "being", "ending", "setting", "landing", "bombing", "shooting", "uprising", "wedding", "opening",
     "speed", "seed", "creed", "need", "hundred", "breed", "deed", "feed", "shed", "bed", "red"}
)
_WORDLIKE = re.compile(r"\w")
_IRREGULAR = {"people": "person", "men": "man", "women": "woman", "children": "child", "media": "media"}


@dataclass(frozen=True, slots=True)
class Item:
    """One item of a source phrase: a word, or a marked NER mention (`entities` set)."""

    text: str
    entities: frozenset[str] = frozenset()

    @property
    def is_name(self) -> bool:
        return bool(self.entities)


@dataclass(frozen=True, slots=True)
class Reading:
    """A source phrase read by the head rule."""

    heads: tuple[Item, ...]  # the source's conjunct heads (the last one is the head)
    named: tuple[Item, ...] = ()  # the heads of a self-named description X, if any
    others: tuple[Item, ...] = ()  # heads of appositions and frames (descriptions of the same source)

    @property
    def head(self) -> Item | None:
        return self.heads[-1] if self.heads else None


@dataclass(frozen=True, slots=True)
class Judgement:
    """Whether a predicted source is the gold source, and what was compared (for reports)."""

    right: bool
    gold: str  # the gold's identity: "entity sohr", "head 'sources'", "no source"
    compared: str  # the predicted head(s) that were compared, or "no source"
    why: str


def singular(word: str) -> str:
    """A word's singular by spelling (sources -> source, eyewitnesses -> eyewitness)."""
    w = word.casefold()
    if w in _IRREGULAR:
        return _IRREGULAR[w]
    if len(w) > 4 and w.endswith("ies"):
        return w[:-3] + "y"
    if len(w) > 4 and w.endswith(("sses", "shes", "ches", "xes")):
        return w[:-2]
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        return w[:-1]
    return w


def alias_index(entity_names: Mapping[str, frozenset[str]]) -> dict[tuple[str, ...], frozenset[str]]:
    """Normalised token tuple of every mention text -> the entities it names."""
    index: dict[tuple[str, ...], set[str]] = {}
    for entity, names in entity_names.items():
        for name in names:
            tokens = normalised_tokens(name)
            if tokens:
                index.setdefault(tokens, set()).add(entity)
    return {k: frozenset(v) for k, v in index.items()}


def _drop_parentheses(tokens: Sequence[str]) -> list[str]:
    out, depth = [], 0
    for t in tokens:
        if t in "([":
            depth += 1
        elif t in ")]":
            depth = max(0, depth - 1)
        elif depth == 0:
            out.append(t)
    return out


def _parts(tokens: Sequence[str]) -> list[list[str]]:
    """Split at commas, semicolons and colons (a spaced dash was made a semicolon)."""
    parts: list[list[str]] = [[]]
    for t in tokens:
        if t in {",", ";", ":"}:
            parts.append([])
        else:
            parts[-1].append(t)
    return [p for p in parts if any(_WORDLIKE.search(t) for t in p)]


def _mark(tokens: Sequence[str], index: Mapping[tuple[str, ...], frozenset[str]], longest: int) -> list[Item]:
    """Words, with every NER mention (longest first, left to right) as one item."""
    out, i = [], 0
    while i < len(tokens):
        for n in range(min(longest, len(tokens) - i), 0, -1):
            found = index.get(tuple(tokens[i : i + n]))
            if found:
                out.append(Item(" ".join(tokens[i : i + n]), found))
                i += n
                break
        else:
            out.append(Item(tokens[i]))
            i += 1
    return out


def _self_naming(items: list[Item]) -> tuple[list[Item], list[Item] | None]:
    """(the description before a self-naming frame, the name X after it), or (items, None)."""
    words = [it.text for it in items]
    for i, w in enumerate(words):
        if w in SELF_NAMING_VERBS and i + 1 < len(words) and words[i + 1] in REFLEXIVES:
            rest = i + 2 + (i + 2 < len(words) and words[i + 2] == "as")
            return items[:i], items[rest:]
        for frame in KNOWN_AS:
            if tuple(words[i : i + len(frame)]) == frame and i > 0:
                return items[:i], items[i + len(frame) :]
    return items, None


def _is_participle(word: str) -> bool:
    return len(word) > 4 and word.endswith(("ing", "ed")) and word not in NOT_PARTICIPLES


def _one_word_coordinators(items: Sequence[Item]) -> list[Item]:
    """'as well as', 'along with', 'together with' -> 'and' (so "with" is not read as a preposition)."""
    out, i = [], 0
    while i < len(items):
        words = tuple(it.text for it in items[i : i + 3])
        multi = next((m for m in MULTIWORD_COORDINATORS if words[: len(m)] == m and not any(it.is_name for it in items[i : i + len(m)])), None)
        out.append(Item("and") if multi else items[i])
        i += len(multi) if multi else 1
    return out


def _description_heads(items: Sequence[Item]) -> tuple[Item, ...]:
    """The conjunct heads of one description (no commas inside)."""
    items = _one_word_coordinators(items)
    cut = list(items)
    for i, it in enumerate(items):
        if it.is_name:
            continue
        if it.text in PREPOSITIONS or it.text in POSTMODIFIERS or (i > 0 and it.text in RELATIVES):
            cut = list(items[:i])
            break
    conjuncts: list[list[Item]] = [[]]
    for it in cut:
        if not it.is_name and it.text in COORDINATORS:
            conjuncts.append([])
        else:
            conjuncts[-1].append(it)
    heads = []
    for conjunct in conjuncts:
        content = [
            it for k, it in enumerate(conjunct)
            if (it.is_name or _WORDLIKE.search(it.text)) and not (it.text == "s" and k > 0 and conjunct[k - 1].text == "'")  # possessive 's
        ]
        if not content:
            continue
        head = content[-1]
        if len(content) > 1 and not head.is_name and _is_participle(head.text):
            head = content[-2]  # "Videos shared", "Videos emerging"
        heads.append(head)
    return tuple(heads)


def read_source(text: str, index: Mapping[tuple[str, ...], frozenset[str]]) -> Reading:
    """Read a source phrase: its heads, a self-named description's heads, apposition heads."""
    spaced = re.sub(r"\s-+\s", " ; ", normalise(text))  # a dash between spaces separates like a comma
    tokens = normalised_tokens(spaced)
    parts = _parts(_drop_parentheses(tokens))
    if not parts:
        return Reading(())
    longest = max((len(k) for k in index), default=1)
    readings = []
    for part in parts:
        before, named = _self_naming(_mark(part, index, longest))
        readings.append((_description_heads(before), _description_heads(named) if named is not None else ()))
    heads, named = readings[0]
    others = tuple(h for hs, ns in readings[1:] for h in hs + ns)
    return Reading(heads, named, others)


_JOINED = re.compile(r" ?([-'’]) ?")


def _written(item: Item) -> str:
    text = _JOINED.sub(r"\1", item.text)  # 'al-sham', not 'al - sham'
    return f"'{text}'" + (f" ({', '.join(sorted(item.entities))})" if item.is_name else "")


def _shown(items: Sequence[Item]) -> str:
    return " + ".join(_written(it) for it in items) or "nothing"


def judge_named(text: str, entity: str, index: Mapping[tuple[str, ...], frozenset[str]]) -> Judgement:
    """A predicted source phrase against a named gold source (an NER entity id)."""
    reading = read_source(text, index)
    gold = f"entity {entity}"
    identifying = reading.named or reading.heads
    compared = _shown(identifying)
    mentions = [h for h in identifying if h.is_name and entity in h.entities]
    if not identifying:
        return Judgement(False, gold, compared, "the phrase has no head word")
    described = reading.heads + reading.named + reading.others
    strangers = [h for h in described if h.is_name and entity not in h.entities]
    if strangers:
        return Judgement(False, gold, compared, f"it also names {_shown(strangers)}")
    if len(mentions) == len(identifying):
        return Judgement(True, gold, compared, "the head is a mention of the gold entity")
    if len(identifying) == 1 and not identifying[0].is_name and any(entity in h.entities for h in reading.others):
        return Judgement(True, gold, compared + " = " + _shown([h for h in reading.others if h.is_name]), "a description in apposition to the gold entity's name")
    return Judgement(False, gold, compared, "the head is not a mention of the gold entity")


def judge_unnamed(text: str, head: str, gold_text: str, index: Mapping[tuple[str, ...], frozenset[str]]) -> Judgement:
    """A predicted source phrase against an unnamed gold source with head word `head`."""
    gold_reading = read_source(gold_text, index)
    wanted = {singular(head)} | {singular(h.text.split()[-1]) for h in gold_reading.named[-1:]}
    reading = read_source(text, index)
    candidates = list(reading.heads[-1:]) + list(reading.named[-1:])
    compared = _shown(candidates)
    gold = f"head '{head}'"
    gold_names = {e for h in gold_reading.heads + gold_reading.named for e in h.entities}
    strangers = [h for h in reading.heads + reading.named if h.is_name and not h.entities & gold_names]
    if not any(singular(c.text.split()[-1]) in wanted for c in candidates):
        return Judgement(False, gold, compared, "another head noun")
    if strangers:
        return Judgement(False, gold, compared, f"same head noun, but it also names {_shown(strangers)}")
    return Judgement(True, gold, compared, "same head noun")


def judge(pred_text: str | None, gold_text: str | None, entity: str | None, head: str | None, index: Mapping[tuple[str, ...], frozenset[str]]) -> Judgement:
    """Any gold source: null (agentless), named (entity) or unnamed (head word)."""
    text = (pred_text or "").strip()
    if gold_text is None:
        return Judgement(not text, "no source", _shown(read_source(text, index).heads) if text else "no source", "agentless gold: right only without a source")
    if not text:
        return Judgement(False, "entity " + entity if entity else f"head '{head}'", "no source", "the prediction gives no source")
    if entity is not None:
        return judge_named(text, entity, index)
    return judge_unnamed(text, head or "", gold_text, index)
