"""Model-free rule-based NER: capitalisation, a generic gazetteer and context cues.

`tag(text)` returns sorted, non-overlapping, token-aligned `(start, end, label)` spans
(labels PER ORG GPE LOC FAC NORP EVENT). It is deterministic and reads only
`bench/systems/rules/gazetteer.json` (generic lists: countries, cities, nationalities, religions,
regions, organisations, first names, common words, and the cue words the rules name).
The rules, in the order they apply:

 1. Units: the bench tokens are grouped into name units: an Arabic particle joined by a
    hyphen to the next word (al-Assad, ez-Zor), words joined by an inner apostrophe
    (Hay'at; a possessive 's is never joined, so "X's" gives X), dotted acronyms (U.S.),
    and capitalised words joined by a hyphen unless both halves are gazetteer names
    (Israel-Hamas splits, Guinea-Bissau stays).
 2. Hyphenated modifiers: a capitalised word before "-lowercase" (UN-backed) or after
    "lowercase-" (pro-Kremlin) is a unit on its own; the modifier is left out.
 3. Weak capitals: the first word of a sentence, or after an opening quote, a dash or a
    colon, counts as capitalised only if it is a gazetteer name or first name, or is not a
    common word and (is never written lower-case in the text or a capitalised word
    follows it). In headline lines (mostly title-case, or all capitals) a word counts only
    with evidence: gazetteer, first name (or right after one), acronym, Arabic particle, or
    the same word capitalised mid-sentence elsewhere in the text. Days, months (and their
    abbreviations) and "I" never count: dates are not entities.
 4. Runs: maximal sequences of capitalised units on one line separated by single spaces;
    name particles (al, bin, ibn, de, von ...) join them; "of"/"for" (+ "the") join only
    after a head word (Ministry of Defence, Gulf of Aden, Secretary of State), "and" only
    after that inside an organisation name. A run extends to a longer gazetteer name
    across an apostrophe or short lower-case words (Workers' Party, Save the Children).
 5. A leading "The" is dropped unless the gazetteer lists the title with it.
 6. Whole-run gazetteer match (spelling-insensitive: case, hyphens, apostrophes, spaces;
    a leading al- may be ignored; acronyms must be upper case) gives the label; a GPE
    followed by a lower-case facility word becomes a FAC with it ("Damascus airport").
 7. Titles: a run of title words ending in a title (President, Defence Minister, Gen.,
    Sheikh, Secretary of State...) is left out; what follows is a PER, what precedes is
    labelled on its own ("Syrian President X" -> NORP + PER). Not after "in/from" and not
    when the run ends in a head word ("Imam Ali Mosque").
 8. Head words: the last word (or the word before "of/for") decides: Ministry, Agency,
    Council, Forces, Army, Front, Party, Observatory, Network, Administration ... -> ORG;
    Sea, Gulf, Mountains, Valley, River, Heights ... -> LOC; Republic, Kingdom, City ->
    GPE; Airport, Airbase, Base, Bridge, Prison, Mosque ... -> FAC; War, Revolution,
    Uprising, Battle, Siege, Summit ... and a leading "Operation" -> EVENT. A head word
    alone is no name. NORP + known ORG splits ("Iranian Revolutionary Guards").
    Trailing capitalised place words (Province, Governorate, Countryside) are left out.
 9. Person cues: a title, role word (spokesman, commander, resident...) or speech verb
    (said, told) next to the name, an age (", 45,"), a known first name leading a run,
    or Abu/Umm/Abd or bin/ibn inside it -> PER (GPE instead after in/from/"town of" or
    before a place word: "residents of X said", "in Abu Kamal").
10. Otherwise the run is split into the longest gazetteer names; the leftovers use rule 11.
11. Unknown names: followed by a lower-case facility word -> FAC with it ("Mezzeh
    airbase"); after in/from/near/outside... (optionally + north/southern...), after
    "town/city/village/residents of", after a GPE in a list ("X, Y and Z"), or before
    province/countryside/village/residents... -> GPE without the place word; person cues
    -> PER; an all-caps dateline word before "," at
    line start -> GPE; another acronym -> ORG; a word in -ist(s)/-ite(s) -> NORP; two or
    three title-case words -> PER; anything else is dropped.
12. Acronyms in parentheses after a name take that name's label, everywhere in the text
    (not a gazetteer acronym, and its first letter starts a word of the name).
13. A person's surname (last unit, and the part after a hyphen: al-Assad -> Assad) alone
    is PER wherever it occurs.
14. Every name found is also tagged where it recurs (exact case, or any case in an
    all-lower-case line), e.g. in headlines and sentence starts the rules above skipped.
15. Lower-case gazetteer names: in all-lower-case lines every gazetteer name that is not a
    common word or acronym; elsewhere single lower-case units of 4+ letters.
16. Output: sorted, non-overlapping, on token boundaries.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_right
from dataclasses import dataclass, make_dataclass
from functools import lru_cache
from importlib import resources
from types import SimpleNamespace

from bench.documents.tokenize import split_sentences, tokenize

LABELS = ("PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT")


OPEN_QUOTES = frozenset('"“‘«')
CUE_SETS = ("hyphen_particles space_particles stop title_heads speech locative directions place_of place_follow"
            " place_strip fac_words fac_mods title_of_tail").split()


def norm(text: str) -> str:
    """Spelling-insensitive key: lower case, no apostrophes or dots, hyphens as spaces."""
    return " ".join(re.sub(r"[\W_]+", " ", re.sub(r"['’.]", "", text.lower())).split())


def compact(text: str) -> str:
    return norm(text).replace(" ", "")


def _acronym(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class Gazetteer:
    names: dict  # norm(name) -> (label, is_acronym, case_sensitive)
    max_units: int
    starts: frozenset  # norm of the first word of multi-word names
    first_names: frozenset
    common: frozenset
    c: SimpleNamespace  # the rules' cue words (gazetteer.json "cues"), as upper-case attributes

    def get(self, text: str, lower_ok: bool = True) -> str | None:
        entry = self.names.get(norm(text))
        if entry is None or (entry[1] and not _acronym(text)) or (not lower_ok and entry[2]):
            return None
        return entry[0]


@lru_cache(maxsize=1)
def load_gazetteer() -> Gazetteer:
    raw = json.loads(resources.files(__package__).joinpath("gazetteer.json").read_text(encoding="utf-8"))
    common = frozenset(w.lower() for w in raw["common_words"])
    names: dict = {}
    starts, max_units = set(), 1
    for label in LABELS:
        for entry in raw.get(label, []):
            key = norm(entry)
            if key and key not in names:
                acro = _acronym(entry)
                names[key] = (label, acro, acro or key in common or len(key) <= 3)
                words = entry.split()
                max_units = max(max_units, len(words) + 1)
                if len(words) > 1:
                    starts.add(compact(words[0]))
    cues = raw["cues"]
    c = SimpleNamespace(**{k.upper(): frozenset(cues[k]) for k in CUE_SETS})
    c.HEADS = {w: label for label, words in cues["heads"].items() for w in words}
    c.FIRST_HEADS = dict(cues["first_heads"])
    c.TITLE_WORDS = c.TITLE_HEADS | frozenset(cues["title_modifiers"])
    c.OF_HEADS = frozenset(c.HEADS) | frozenset(cues["of_heads_extra"])
    c.ROLES = c.TITLE_HEADS | frozenset(cues["roles"])
    first = frozenset(compact(w) for w in raw["first_names"])
    return Gazetteer(names, max_units, frozenset(starts), first, common, c)


# A name unit: chars [start, end), tokens [t0, t1), capitalised?, begins with a hyphen-joined particle (al-X)?
Unit = make_dataclass("Unit", ["start", "end", "text", "t0", "t1", "cap", "lead"])


_isword = re.compile(r"\w").match


def _units(text, toks, gaz):
    units, i, n = [], 0, len(toks)
    adj = lambda a, b: toks[b].start == toks[a].end  # noqa: E731
    while i < n:
        if not _isword(toks[i].text):
            i += 1
            continue
        j = i + 1
        one = lambda k: k < n and len(toks[k].text) == 1 and toks[k].text.isupper()  # noqa: E731
        if one(i) and j + 1 < n and toks[j].text == "." and adj(i, j) and one(j + 1) and adj(j, j + 1):
            while j + 1 < n and toks[j].text == "." and adj(j - 1, j) and one(j + 1) and adj(j, j + 1):
                j += 2
            if j < n and toks[j].text == "." and adj(j - 1, j):
                j += 1
        else:
            while j + 1 < n and adj(j - 1, j) and adj(j, j + 1) and _isword(toks[j + 1].text):
                sep, left, right = toks[j].text, toks[j - 1].text, toks[j + 1].text
                if sep in "'’" and right.lower() != "s":
                    j += 2
                elif sep == "-" and left.lower() in gaz.c.HYPHEN_PARTICLES and (right[0].isupper() or left.lower() in ("al", "el")):
                    j += 2
                elif sep == "-" and left[0].isupper() and right[0].isupper() and not (gaz.get(left) and gaz.get(right)):
                    j += 2
                else:
                    break
        words = [t.text for t in toks[i:j] if _isword(t.text)]
        lead = len(words) > 1 and words[0].lower() in gaz.c.HYPHEN_PARTICLES and toks[i + 1].text == "-"
        cap = words[0][0].isupper() or (lead and words[-1][0].isupper())
        units.append(Unit(toks[i].start, toks[j - 1].end, text[toks[i].start:toks[j - 1].end], i, j, cap, lead))
        i = j
    return units


class _Tagger:
    def __init__(self, text: str, gaz: Gazetteer):
        self.text, self.gaz, self.c = text, gaz, gaz.c
        self.toks = tokenize(text)
        self.U = _units(text, self.toks, gaz)
        self.by_t0 = {u.t0: k for k, u in enumerate(self.U)}
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self.line = [bisect_right(self.line_starts, u.start) - 1 for u in self.U]
        self._classify_lines()
        self._weak_capitals()

    # -- positions and lines (rule 3) --
    def _classify_lines(self):
        self.lower_line, self.head_line, self.caps_line, by_line = set(), set(), set(), {}
        for u, ln in zip(self.U, self.line):
            if u.text[0].isalpha():
                by_line.setdefault(ln, []).append(u)
        for k, line in enumerate(self.text.split("\n")):
            words = by_line.get(k, [])
            big = [u for u in words if len(u.text) >= 4 and not u.lead]
            if any(c.isalpha() for c in line) and not any(c.isupper() for c in line):
                self.lower_line.add(k)
            elif len(words) >= 3 and not any(c.islower() for c in line):
                self.caps_line.add(k)
            elif len(words) >= 3 and big and sum(u.cap for u in big) >= 0.8 * len(big) and not line.rstrip().endswith("."):
                self.head_line.add(k)

    def _weak_capitals(self):
        U, toks, gaz = self.U, self.toks, self.gaz
        weak = set()
        starts = [u.t0 for u in U]
        for s in split_sentences(self.text, toks):
            k = bisect_right(starts, s.token_start - 1)
            if k < len(U) and U[k].t0 < s.token_end:
                weak.add(k)
        for k, u in enumerate(U):
            before = toks[u.t0 - 1] if u.t0 > 0 else None
            if before and (before.text in OPEN_QUOTES and before.end == u.start or before.text in "—–:-" and before.end < u.start):
                weak.add(k)
        odd = self.lower_line | self.head_line | self.caps_line
        plain = lambda k: self.line[k] not in odd  # noqa: E731
        self.seen_lower = {u.text.lower() for k, u in enumerate(U) if u.text[0].islower() and self.line[k] not in self.lower_line}
        self.cap_mid = {u.text for k, u in enumerate(U) if u.cap and k not in weak and plain(k)}
        for k, u in enumerate(U):
            low = u.text.lower()
            if low in self.c.STOP:
                u.cap = False
            if not u.cap or (plain(k) and k not in weak):
                continue
            key = compact(u.text)
            after_first = k > 0 and U[k - 1].cap and self.low(k - 1) in gaz.first_names and self._space(k - 1, k)
            known = gaz.get(u.text) is not None or key in gaz.starts or key in gaz.first_names or after_first
            if self.line[k] in self.head_line or self.line[k] in self.caps_line:
                acro = _acronym(u.text) and self.line[k] not in self.caps_line
                u.cap = known or (key not in gaz.common and (u.text in self.cap_mid or u.lead or acro))
            else:
                nxt = k + 1 < len(U) and self._space(k, k + 1) and U[k + 1].cap
                u.cap = known or (key not in gaz.common and (low not in self.seen_lower or nxt))

    # -- helpers --
    def _space(self, a, b):
        if not 0 <= a < b < len(self.U):
            return False
        gap = self.text[self.U[a].end:self.U[b].start]
        return gap != "" and gap.strip() == "" and "\n" not in gap

    def low(self, k):
        return compact(self.U[k].text) if 0 <= k < len(self.U) else ""

    def prev(self, k):
        return self.low(k - 1) if k > 0 and self._space(k - 1, k) and not self.U[k - 1].cap else ""

    def lookup(self, a, b):
        text = self.text[self.U[a].start:self.U[b - 1].end]
        hit = self.gaz.get(text)
        if hit is None and self.U[a].lead:
            hit = self.gaz.get(text.split("-", 1)[1])
        return hit

    # -- runs (rule 4) --
    def runs(self):
        U, k, out = self.U, 0, []
        while k < len(U):
            if not U[k].cap:
                k += 1
                continue
            run, j, conn = [k], k + 1, False
            while j < len(U) and self._space(j - 1, j):
                if U[j].cap:
                    run.append(j)
                    j += 1
                    continue
                low, m = U[j].text.lower(), j
                if low in self.c.SPACE_PARTICLES:
                    m = j + 1
                elif low in ("of", "for") and any(self.low(r) in self.c.OF_HEADS for r in run):
                    m = j + 1 + (self.low(j + 1) == "the" and self._space(j, j + 1))
                    conn = any(self.low(r) in self.c.HEADS for r in run)  # "and" only inside organisation names
                elif low == "and" and conn:
                    m = j + 1
                if m > j and m < len(U) and self._space(m - 1, m) and U[m].cap:
                    run.extend(range(j, m + 1))
                    j = m + 1
                    continue
                break
            for m in range(min(len(U), k + self.gaz.max_units + 2), j, -1):  # Workers' Party, Save the Children
                if self.line[m - 1] == self.line[k] and all(U[x].cap or len(U[x].text) < 4 for x in range(j, m)) \
                        and self.lookup(k, m):
                    run, j = list(range(k, m)), m
                    break
            out.append((run[0], run[-1] + 1))
            k = j
        return out

    # -- labelling (rules 5-11) --
    def label_run(self, a, b):
        if self.low(a) == "the" and (b - a == 1 or self.lookup(a, b) is None):
            a += 1
        hit = self.lookup(a, b) if a < b else None
        if a >= b or hit:
            return [self._fac(a, b, hit)] if hit else []
        if not self._locative(a) and not self._follow(b) and self.low(b - 1) not in self.c.HEADS:
            seg = self._title(a, b)
            if seg:
                i, k = seg
                return (self.label_seg(a, i) if i > a else []) + (self.label_seg(k, b, "PER") if k < b else [])
        return self.label_seg(a, b)

    def _title(self, a, b):  # the first stretch of title words ending in a title (+ "of State"), or None
        i = a
        while i < b:
            k = i
            while k < b and self.low(k) in self.c.TITLE_WORDS:
                k += 1
            heads = [j for j in range(i, k) if self.low(j) in self.c.TITLE_HEADS]
            if heads:
                k = m = heads[-1] + 1
                if self.low(k) == "of":
                    m = next((x for x in range(k + 1, b) if self.low(x) not in self.c.TITLE_OF_TAIL), b)
                k = m if m > k + 1 else k
                return None if self.low(k) in self.c.HEADS else (i, k)
            i = k + 1
        return None

    def _fac(self, a, b, label):
        end = self._fac_end(b) if label == "GPE" else None
        return (a, b, label, end) if end is None else (a, b, "FAC", end)

    def _fac_end(self, b):  # a lower-case facility word (after an optional modifier) follows unit b - 1
        lower = lambda k: self._space(k - 1, k) and self.U[k].text.islower()  # noqa: E731
        m = b + (lower(b) and self.low(b) in self.c.FAC_MODS)
        return self.U[m].end if lower(m) and self.low(m) in self.c.FAC_WORDS and lower(b) else None

    def _follow(self, b):
        return self._space(b - 1, b) and self.U[b].text.islower() and self.low(b) in self.c.PLACE_FOLLOW

    def _locative(self, a, lists=True):  # lists: "in X, Y and Z" continues a list of places
        p, gap = self.prev(a), self.text[self.U[a - 1].end:self.U[a].start] if a > 0 else ""
        return (p in self.c.LOCATIVE or p in self.c.DIRECTIONS and self.prev(a - 1) in self.c.LOCATIVE
                or p == "of" and self.prev(a - 1) in self.c.PLACE_OF
                or lists and gap in (", ", ",") and self.ended.get(a - 1) == "GPE"
                or lists and p in ("and", "or") and self.ended.get(a - 2) == "GPE")

    def _person_ctx(self, a, b):
        p, tok, t, titles = self.prev(a), self.U[a].t0, self.U[b - 1].t1, self.c.TITLE_HEADS
        title_before = self.low(a - 1) in titles and (
            self._space(a - 1, a) or self.U[a - 1].t1 == tok - 1 and self.toks[tok - 1].text == ".")
        age = [x.text for x in self.toks[t:t + 3]]
        return (p in self.c.ROLES or p in self.c.SPEECH or a > 0 and title_before
                or self._space(b - 1, b) and self.low(b) in self.c.SPEECH
                or len(age) == 3 and age[0] == age[2] == "," and age[1].isdigit())

    def label_seg(self, a, b, cue=None):
        place = False
        while b - a > 1 and self.low(b - 1) in self.c.PLACE_STRIP:
            b, place = b - 1, True
        hit = self.lookup(a, b)
        if hit and cue != "PER":
            return [self._fac(a, b, hit)]
        if cue == "PER":
            return [(a, b, "PER", None)]
        conn = next((k for k in range(a, b) if self.low(k) in ("of", "for")), None)
        head = self.low(b - 1 if conn is None else conn - 1)
        label = self.c.FIRST_HEADS.get(self.low(a)) if b - a > 1 else None
        label = label or self.c.HEADS.get(head)
        if label:
            if b - a == 1:
                return []
            rest = self.lookup(a + 1, b)
            if label == "ORG" and self.lookup(a, a + 1) == "NORP" and rest:
                return [(a, a + 1, "NORP", None), (a + 1, b, rest, None)]
            return [(a, b, label, None)]
        first, many = self.low(a), b - a > 1
        if self._person_ctx(a, b) or first in self.gaz.first_names and (many or first not in self.gaz.common) or many and (
                first in ("abu", "umm", "abd", "abdul", "abdel") or any(self.low(k) in ("bin", "ibn") for k in range(a, b))):
            return [(a, b, "GPE" if self._locative(a, lists=False) or self._follow(b) else "PER", None)]
        out, k, left = [], a, a
        while k < b:
            for m in range(min(b, k + self.gaz.max_units), k, -1):
                hit = self.lookup(k, m)
                if hit:
                    out += self._unknown(left, k, place) if k > left else []
                    out.append((k, m, hit, None))
                    k = left = m
                    break
            else:
                k += 1
        if not out:
            return self._unknown(a, b, place)
        return out + (self._unknown(left, b, place) if left < b else [])

    def _unknown(self, a, b, place=False):
        U = self.U
        if any(self.low(k) in self.c.SPACE_PARTICLES for k in (a, b - 1)):
            return []
        end = self._fac_end(b)
        if end is not None:
            return [(a, b, "FAC", end)]
        if self._locative(a) or self._follow(b) or place:
            return [(a, b, "GPE", None)]
        if self._person_ctx(a, b):
            return [(a, b, "PER", None)]
        if b - a == 1:
            u, acro = U[a], _acronym(U[a].text)
            dateline = not self.text[self.line_starts[self.line[a]]:u.start].strip() and u.t1 < len(self.toks) \
                and self.toks[u.t1].text == ","
            label = "GPE" if acro and dateline else "ORG" if acro and len(u.text) <= 6 else \
                "NORP" if re.search(r"(ist|ite)s?$", u.text) and u.text[0].isupper() else None
            return [(a, b, label, None)] if label else []
        if b - a <= 3 and all(U[k].cap and not _acronym(U[k].text) and self.low(k) not in self.gaz.common for k in range(a, b)):
            return [(a, b, "PER", None)]
        return []

    # -- whole text (rules 12-16) --
    def tag(self):
        spans = {}  # first unit -> (a, b, label, end_char or None)
        self.ended = {}  # last unit of a labelled span -> label (lists: "in X, Y and Z")
        for a, b in self.runs():
            for s in self.label_run(a, b):
                spans[s[0]] = s
                self.ended[s[1] - 1] = s[2]
        taken = {k for a, b, _, _ in spans.values() for k in range(a, b)}
        txt = lambda s: self.text[self.U[s[0]].start:self.U[s[1] - 1].end]  # noqa: E731
        known: dict[str, str] = {}
        for s in spans.values():  # rule 12: acronyms in parentheses
            t = self.U[s[1] - 1].t1
            u = self.U[self.by_t0[t + 1]] if s[3] is None and t + 1 in self.by_t0 and self.toks[t].text == "(" else None
            if u and _acronym(u.text) and u.t1 < len(self.toks) and self.toks[u.t1].text == ")" and \
                    self.gaz.get(u.text) is None and u.text[0] in {w[0].upper() for w in re.findall(r"[^\W\d_]+", txt(s))}:
                known[u.text] = s[2]
        for k, s in list(spans.items()):
            spans[k] = (*s[:2], known.get(self.U[k].text, s[2]) if s[1] - s[0] == 1 else s[2], s[3])
        for s in sorted(spans.values()):  # rule 13: surnames; rule 14: every name recurs
            last, parts = self.U[s[1] - 1], [k for k in range(*s[:2]) if self.low(k) not in self.c.SPACE_PARTICLES]
            for name in ({last.text, last.text.split("-", 1)[-1]} if s[2] == "PER" and len(parts) > 1 else set()):
                if len(name) > 2 and self.gaz.get(name) is None and name.lower() not in self.gaz.common:
                    known.setdefault(name, "PER")
            if s[3] is None and len(txt(s)) > 1 and txt(s).lower() not in self.gaz.common | self.c.STOP:
                known.setdefault(txt(s), s[2])
        lower_known = {n.lower(): lab for n, lab in known.items()}
        width = max([len(n.split()) + 1 for n in known] + [self.gaz.max_units])
        k = 0
        while k < len(self.U):
            for m in range(min(len(self.U), k + width), k, -1):
                if any(j in taken for j in range(k, m)) or not all(self._space(j, j + 1) for j in range(k, m - 1)):
                    continue
                name, lowered = txt((k, m)), self.line[k] in self.lower_line
                label = known.get(name) or (lower_known.get(name.lower()) if lowered else None)
                if label is None and (lowered or (m - k == 1 and name.islower() and len(name) >= 4)):
                    label = self.gaz.get(name, lower_ok=False) if name.lower() not in self.gaz.common else None
                if label:  # rules 14-15
                    spans[k] = (k, m, label, None)
                    taken.update(range(k, m))
                    k = m - 1
                    break
            k += 1
        out, last_end = [], -1
        for a, b, label, end in sorted(spans.values()):
            start, stop = self.U[a].start, end if end is not None else self.U[b - 1].end
            if start >= last_end:
                out.append((start, stop, label))
                last_end = stop
        return out


def tag(text: str, gazetteer: Gazetteer | None = None) -> list[tuple[int, int, str]]:
    """Tag `text`: sorted, non-overlapping, token-aligned (start, end, label) spans."""
    if not text.strip():
        return []
    return _Tagger(text, gazetteer or load_gazetteer()).tag()
