"""The rules baseline's casualty figures (rules 1.3.0 on): model-free, written blind.

Where it sits: stage 3, systems, the `rules` baseline (`system.py`). Written by a developer
who never saw the two articles, their annotations or the guidelines' examples taken from
them: only the invented development set (devset/), general casualty-reporting
conventions (MUC-4, UCDP GED, ACLED, GDELT) and the annotation format; tuned on the dev
set only and measured once on the benchmark. (The rules of 1.2.0, written by the annotator of the casualty annotations, are
`casualties_annotator.py`, kept so their row can be reproduced: `rules@1.2.0`.)

What: lexicons and patterns over a regex tokenisation of each sentence. It finds every count
phrase (numeral, number word, hedge + number, vague count word, range), then decides from the
words around it whether its clause gives the counted people (or events) an outcome.
Why: a transparent baseline; every decision traces to one numbered rule below. Values come
from `bench.tasks.casualties.conventions` (read_quantity, else bounds_for), so kind/low/high
follow the benchmark's normalisation table. Deterministic, offline, no model.

Rules (cited in the code as R<n>):
 R1  Tokens: digit groups ("3,000"), decimals, words (internal hyphens and apostrophes kept, so
     "three-day", "12-year-old", "CLF-led" are single non-count tokens), punctuation.
 R2  Count phrase = [hedge] number | [hedge] vague word | range. Hedges: the table's qualifiers
     (at least, no fewer/less than, a minimum of, over, more than, up to, as many as, about,
     around, some, approximately, roughly, nearly, almost) plus "an estimated" (read as
     "about"). Numbers: digits, number words, "a dozen/hundred/thousand", "N hundred/thousand/
     million", "1.5 million". Vague: dozens, tens, hundreds, thousands, several, many, scores,
     lots, a lot ("of" after them is left out of the span); "tens/hundreds of thousands" is one
     phrase, its bounds scaled by 1,000. Ranges: "between A and B", "A to B", "A-B".
 R3  False alarms (not a count): money ($, €, £, dollars), %/percent, a time, distance or other
     unit noun after it (days, years, km, times), ages ("aged N", "N years old", "N-year-old"),
     dates (a capitalised month name next to it, "16, 2024"), years (19xx/20xx without a person
     noun), "one of", and a count of things (camps, districts, towns, vehicles, sides ...).
 R4  Left cue (the count is the object), wins over R5: an active outcome verb right before the
     count ("killed/killing/wounded/abducted/arrested/displaced/executed [another] N"), a phrase
     ("rounded up N"), "lost/captured/seized/held N <person noun>", "remains/bodies/lives/killing/
     massacre/execution/deaths/abduction/arrest of N", "death toll [from ...] (has risen to|of|at|reached ...) N" (up to 8
     tokens back, not across punctuation or another count; a "casualty toll" is killed_or_injured), and "the dead/killed/wounded (were|included) N".
 R5  Right cue: after the count, a gap of at most 9 tokens (the counted noun phrase, "more",
     "of", prepositions of/from/in/at/near/on, auxiliaries and adverbs: were, had been, remain,
     reportedly, among those, the; "said/believed/estimated to" after an auxiliary) ends on an
     outcome word: participle or verb (killed, wounded, abducted, died, fled, flee ...),
     adjective (dead, missing, homeless), phrase (lost their lives, went missing, taken hostage,
     starved to death, forced to flee). The gap breaks at punctuation, conjunctions and
     subordinators (and, but, when, as, that, who ...), another count, to/for/with/by, a
     non-outcome verb (said, told, took ... and any -ed word outside an adjective allow-list),
     crowd words (funeral, protest, rally), a thing or unit noun. "and/or" before a person noun
     does not break ("civilians and rebels were killed"); an apposition ", aged 20 to 45," or
     ", mostly women," is skipped. The first outcome word wins ("40 killed and dozens wounded").
     An outcome verb directly followed by an object (a count, a determiner, a person noun, a
     pronoun) with no auxiliary before it is active voice: the counted people are the agents,
     no figure ("23 gunmen killed five soldiers"). "killed or/and wounded" -> killed_or_injured.
 R6  Outcome nouns as the counted noun: deaths, fatalities, bodies, lives -> killed; casualties
     -> killed_or_injured; injuries -> injured; hostages -> kidnapped; refugees -> displaced
     (unit persons); killings, murders, executions, massacres -> killed; kidnappings, abductions ->
     kidnapped; arrests, detentions -> arrested (unit incidents).
 R7  Sharing: a count with no cue, then "and/or/," and another count with a right cue, shares it
     ("12 soldiers and 3 civilians were killed"); a count after "and/or/," right after a
     left-cued figure shares its cue ("killing 12 soldiers and 3 civilians"); "including N" /
     "among them N" takes the outcome of the sentence's previous figure (a subset is its own
     record).
 R8  Bare plural: a plural person noun (civilians, soldiers, people ...) with no count,
     determiner, possessive or "of" before it, right after an active outcome verb or followed by
     a right cue (R5), is a vague figure [2, unbounded]; its span is the noun.
 R9  Victim category from the counted noun phrase: state-force words (soldiers, troops,
     police ...), armed-group words (rebels, fighters, gunmen ...), civilian words (civilians,
     residents, children, aid workers, farmers ...); two categories -> mixed; none -> unknown
     ("people", "men", a nationality). The victim span is the person head noun, if any.
 R10 in_headline: the sentence is a whole line without final punctuation (headline, subhead),
     or the next line starts with "Photo"/"Credit"/"Picture" (a caption).
 R11 A token is in at most one figure; output sorted by offset; nothing is kept between
     documents (deterministic, order independent).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from bench.tasks.casualties.conventions import bounds_for, parse_number, read_quantity
from bench.tasks.casualties.types import Bounds, Figure, Kind, Outcome, Quantity, TextSpan, Unit, VictimCategory

O, P, I = Outcome, Unit.PERSONS, Unit.INCIDENTS


def _ws(s: str) -> set[str]:
    return set(s.split())


TOKEN = re.compile(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:-[A-Za-z]+)*|[A-Za-z]+(?:['’][A-Za-z]+)*(?:-[A-Za-z]+(?:['’][A-Za-z]+)*)*|\S")  # R1
DIGITS = re.compile(r"\d{1,3}(?:,\d{3})+|\d+")
YEAR = re.compile(r"(19|20)\d\d")
HEDGES = sorted(["at least", "no fewer than", "no less than", "a minimum of", "over", "more than", "up to", "as many as", "about",
                 "around", "some", "approximately", "roughly", "nearly", "almost", "an estimated"], key=len, reverse=True)  # R2
VAGUE = _ws("dozens tens hundreds thousands several many scores lots")
SCALE = {"hundred": 100, "thousand": 1000, "million": 1_000_000}
UNIT_NOUNS = _ws("""second seconds minute minutes hour hours day days night nights week weeks month months year years decade decades
century centuries km kilometres kilometers kilometre kilometer mile miles metres meters metre meter feet foot kg kilograms tonnes
tons percent per cent dollars euros pounds dinars rupees francs cents times""")  # R3
THINGS = _ws("""camps camp districts district towns town cities city villages provinces regions homes houses buildings schools
hospitals vehicles cars trucks buses tanks drones rockets missiles shells bombs mines weapons rifles guns aircraft planes boats
helicopters sides things points steps lists rounds talks meetings sessions strikes airstrikes raids attacks positions bases posts
checkpoints bridges roads tunnels tents convoys offensives operations parties countries nations delegations seats votes violations""")
MONTHS = _ws("january february march april may june july august september october november december jan feb mar apr jun jul aug sep sept oct nov dec")
VERB_CUES: dict[str, Outcome] = {  # R4 / R5
    **{w: O.KILLED for w in "killed kill kills killing slain slaughtered massacred murdered executed executing died die dies dying perished dead".split()},
    **{w: O.INJURED for w in "wounded wound wounding wounds injured injure injuring injures hurt maimed".split()},
    **{w: O.KIDNAPPED for w in "kidnapped kidnap kidnapping kidnaps abducted abduct abducting abducts hostage captive".split()},
    **{w: O.ARRESTED for w in "arrested arrest arresting arrests detained detain detaining detains jailed imprisoned".split()},
    **{w: O.MISSING for w in "missing disappeared".split()},
    **{w: O.DISPLACED for w in "displaced displace displacing displaces fled flee flees fleeing uprooted evacuated homeless".split()},
}
NOT_LEFT = _ws("dead missing homeless died die dies dying perished disappeared hostage captive")  # intransitive: never before an object
PHRASE_CUES: dict[tuple[str, ...], Outcome] = {
    ("lost", "their", "lives"): O.KILLED, ("lost", "his", "life"): O.KILLED, ("starved", "to", "death"): O.KILLED,
    ("burned", "to", "death"): O.KILLED, ("beaten", "to", "death"): O.KILLED, ("went", "missing"): O.MISSING,
    ("gone", "missing"): O.MISSING, ("unaccounted", "for"): O.MISSING, ("rounded", "up"): O.ARRESTED,
    ("taken", "into", "custody"): O.ARRESTED, ("forced", "to", "flee"): O.DISPLACED, ("forced", "from"): O.DISPLACED,
    ("lost", "their", "homes"): O.DISPLACED, ("left", "homeless"): O.DISPLACED,
}
WEAK_CUES = {"seized": O.KIDNAPPED, "captured": O.KIDNAPPED, "held": O.ARRESTED, "lost": O.KILLED, "losing": O.KILLED}  # need a person noun
NOUN_CUES: dict[str, tuple[Outcome, Unit]] = {  # R6
    **{w: (O.KILLED, P) for w in "deaths fatalities bodies corpses lives".split()}, "casualties": (O.KILLED_OR_INJURED, P),
    "injuries": (O.INJURED, P), "hostages": (O.KIDNAPPED, P), "refugees": (O.DISPLACED, P),
    **{w: (O.KILLED, I) for w in "killings murders executions massacres".split()}, **{w: (O.KIDNAPPED, I) for w in "kidnappings abductions".split()},
    **{w: (O.ARRESTED, I) for w in "arrests detentions".split()},
}
OF_CUES = {"remains": O.KILLED, "bodies": O.KILLED, "lives": O.KILLED, "killing": O.KILLED, "massacre": O.KILLED, "execution": O.KILLED, "deaths": O.KILLED, "death": O.KILLED,
           "abduction": O.KIDNAPPED, "kidnapping": O.KIDNAPPED, "arrest": O.ARRESTED, "detention": O.ARRESTED}
AUX = _ws("""were was are is be been being have has had will would could may might must also all reportedly allegedly later
feared now still remain remained remains among those the more others other of from in inside near at on either both each""")  # R5
AUX_VERBS = _ws("were was are is be been being have has had remain remained remains")
HEDGE_VERBS = _ws("said reported believed thought estimated confirmed known presumed understood to")  # only after an auxiliary
APPOSITION = _ws("aged mostly mainly most all many both including among")
ADJ_ED = _ws("armed unarmed suspected alleged uniformed masked unidentified unnamed retired trained so-called detained displaced")
BREAK = _ws("""and or but when while as after before because since that which who whom whose where if though although until
than to for with by against during without despite via into onto upon said says say told tell tells took take takes gave give
went go came come met meet made make saw see fought fight sought brought ran run stood stand sat began begin won got get kept
keep led lead wrote spoke speak sent send built heard hear found find do did does funeral funerals burial protest protests rally
rallies march demonstration demonstrations""")
PUNCT = set(",;:()[]{}“”\"—–-!?.")
STATE = _ws("soldiers soldier troops force security police policemen policeman officers servicemen personnel guards gendarmes conscripts marines army recruits paratroopers sailors forces")  # R9
ARMED = _ws("rebels rebel fighters militants insurgents gunmen jihadists militiamen militia guerrillas attackers extremists terrorists combatants")
CIVIL = _ws("""civilians civilian residents villagers children child women girls boys students pupils farmers journalists reporters
doctors medics nurses worshippers passengers shoppers workers staff volunteers teachers patients pilgrims refugees families
inhabitants fishermen shepherds herders babies infants schoolchildren protesters demonstrators""")
PERSONS = STATE | ARMED | CIVIL | _ws("people persons men individuals others detainees prisoners victims hostages captives")
DETERMINERS = _ws("the a an these those this that its his her their our my your some most no any all other such which whose each every few")


@dataclass(frozen=True)
class Tok:
    text: str
    low: str
    start: int
    end: int


@dataclass(frozen=True)
class Count:
    i: int  # first token of the phrase
    j: int  # one past its last token
    bounds: Bounds
    qualifier: str | None
    vague: str | None
    noun_from: int  # where the counted noun phrase starts (after "of")


class Sentence:
    """One sentence's tokens and the rules that read them."""

    def __init__(self, text: str, start: int, end: int) -> None:
        self.toks = [Tok(m.group(), m.group().casefold(), start + m.start(), start + m.end()) for m in TOKEN.finditer(text[start:end])]
        self.w = [t.low for t in self.toks]

    def word(self, k: int) -> str:
        return self.w[k] if 0 <= k < len(self.w) else ""

    # R2 ------------------------------------------------------------------
    def number_at(self, i: int) -> tuple[int, int] | None:
        """(value, index after) of a number starting at token i."""
        t, nxt = self.word(i), self.word(i + 1)
        if re.fullmatch(r"\d+\.\d+", t) and nxt in ("thousand", "million"):
            return round(float(t) * SCALE[nxt]), i + 2
        if t in ("a", "one") and nxt in ("dozen", "hundred", "thousand"):
            value, k = parse_number(f"a {nxt}") or 0, i + 2
        elif t and t != "dozen" and (DIGITS.fullmatch(t) or parse_number(t) is not None):
            value, k = parse_number(t) or 0, i + 1
        else:
            return None
        while self.word(k) in SCALE and value < 1000:
            value, k = value * SCALE[self.word(k)], k + 1
        return value, k

    def count_at(self, i: int) -> Count | None:
        w, qualifier, k = self.w, None, i
        for h in HEDGES:
            if w[i : i + len(h.split())] == h.split():
                qualifier, k = h, i + len(h.split())
                break
        if self.word(k) == "between" and (a := self.number_at(k + 1)) and self.word(a[1]) == "and" and (b := self.number_at(a[1] + 1)):
            return Count(k, b[1], bounds_for(None, a[0], None, b[0]), "between", None, b[1])
        if self.word(k) in VAGUE or w[k : k + 2] == ["a", "lot"]:
            vague, j = ("a lot", k + 2) if self.word(k) == "a" else (self.word(k), k + 1)
            if vague == "many" and (self.word(j) in ("more", "times", "years") or (self.word(j) == "of" and self.word(j + 1) in ("them", "the", "whom", "those"))):
                return None
            if qualifier not in (None, "some") and vague in ("many", "a lot", "lots"):
                return None
            if vague in ("tens", "hundreds") and self.word(j) == "of" and self.word(j + 1) == "thousands":
                base = bounds_for(None, None, vague)
                return Count(i, j + 2, Bounds(Kind.VAGUE, base.low * 1000, (base.high or 0) * 1000 + 999), None, f"{vague} of thousands", j + 2)
            rq = read_quantity(" ".join(t.text for t in self.toks[i:j]))
            if rq is None:
                return None
            return Count(i, j, rq.bounds, rq.qualifier, rq.vague_term, j + 1 if self.word(j) == "of" else j)
        if (num := self.number_at(k)) is None:
            return None
        value, j = num
        if qualifier is None and self.word(j) in ("to", "-", "–") and (b := self.number_at(j + 1)) and b[0] > value:
            return Count(i, b[1], bounds_for(None, value, None, b[0]), None, None, b[1])
        rq = read_quantity(" ".join(t.text for t in self.toks[i:j]))
        bounds = rq.bounds if rq is not None else bounds_for("about" if qualifier == "an estimated" else qualifier, value)
        return Count(i, j, bounds, qualifier, None, j)

    def counts(self) -> list[Count]:
        out, i = [], 0
        while i < len(self.w):
            c = self.count_at(i)
            if c is not None:
                out.append(c)
            i = c.j if c is not None else i + 1
        return out

    def false_alarm(self, c: Count) -> bool:
        """R3."""
        prev, nxt, nxt2, last = self.word(c.i - 1), self.word(c.j), self.word(c.j + 1), self.w[c.j - 1]
        months = {t.low for t in self.toks[max(0, c.i - 1) : c.j + 1] if t.low in MONTHS and t.text[0].isupper()}
        return (prev in ("$", "€", "£", "¥", "aged", "age", "ages", "no", "number", "#") or nxt in ("%", "percent", "per")
                or nxt in UNIT_NOUNS or nxt in THINGS or (nxt in ("new", "more", "other", "separate", "temporary") and nxt2 in THINGS | UNIT_NOUNS)
                or (nxt in ("years", "year") and nxt2 == "old") or prev in months or nxt in months
                or (bool(YEAR.fullmatch(last)) and (nxt not in PERSONS or (prev == "," and bool(DIGITS.fullmatch(self.word(c.i - 2))))))
                or (nxt == "of" and c.bounds.kind == Kind.EXACT and c.bounds.low == 1))

    # R4-R6 ---------------------------------------------------------------
    def cue_at(self, k: int) -> tuple[Outcome, Unit, int] | None:
        """An outcome word or phrase at k: (outcome, unit, index after it)."""
        for phrase, out in PHRASE_CUES.items():
            if tuple(self.w[k : k + len(phrase)]) == phrase:
                return out, P, k + len(phrase)
        w = self.word(k)
        if w in NOUN_CUES:
            return NOUN_CUES[w][0], NOUN_CUES[w][1], k + 1
        if w in VERB_CUES:
            if VERB_CUES[w] == O.KILLED and self.word(k + 1) in ("or", "and") and VERB_CUES.get(self.word(k + 2)) == O.INJURED:
                return O.KILLED_OR_INJURED, P, k + 3
            return VERB_CUES[w], P, k + 1
        return None

    def object_at(self, k: int) -> bool:
        w = self.word(k)
        return (w in DETERMINERS - {"that", "which", "whose"} or w in PERSONS or w in ("them", "him", "her", "us")
                or (bool(w) and self.count_at(k) is not None))

    def right_cue(self, start: int, limit: int, person: bool = False) -> tuple[Outcome, Unit] | None:
        """R5: scan the gap from `start` (the counted noun) up to `limit` for an outcome word."""
        w, k, budget, aux = self.w, start, 9, False
        while k < limit and budget > 0:
            if w[k] == "," and self.word(k + 1) in APPOSITION and "," in w[k + 1 : limit]:
                k = w.index(",", k + 1) + 1  # ", aged 20 to 45,"
                continue
            budget -= 1
            if (cue := self.cue_at(k)) is not None:
                if not aux and w[k] not in NOUN_CUES and self.object_at(cue[2]):
                    return None  # active voice: the counted people are the agents
                return cue[0], cue[1]
            if w[k] in WEAK_CUES and person and w[k] not in ("lost", "losing"):
                return WEAK_CUES[w[k]], P
            word, k = w[k], k + 1
            person = person or word in PERSONS
            if word in AUX or word in ADJ_ED or (word in HEDGE_VERBS and self.word(k - 2) in AUX_VERBS | HEDGE_VERBS):
                aux = aux or word in AUX_VERBS
                continue
            if word in ("and", "or") and (self.word(k) in PERSONS or (self.word(k + 1) in PERSONS and self.word(k) not in BREAK | PUNCT)):
                continue  # "civilians and rebels were killed"
            if word in PUNCT or word in BREAK or word in THINGS or word in UNIT_NOUNS or (word.endswith("ed") and len(word) > 4):
                return None
        return None

    def left_cue(self, c: Count) -> Outcome | None:
        """R4: the count is the object of an outcome verb or noun."""
        w, i = self.w, c.i
        if self.word(i - 1) == "another" or (self.word(i - 1) == "further" and self.word(i - 2) == "a"):
            i -= 1 if self.word(i - 1) == "another" else 2
        prev = self.word(i - 1)
        if prev in VERB_CUES and prev not in NOT_LEFT:
            return VERB_CUES[prev]
        if prev in WEAK_CUES and self.noun_phrase(c)[1] is not None:
            return WEAK_CUES[prev]
        for phrase, out in PHRASE_CUES.items():
            if tuple(w[max(0, i - len(phrase)) : i]) == phrase and phrase[-1] not in ("missing", "homeless", "lives", "life", "for", "death"):
                return out
        if prev == "of" and self.word(i - 2) in OF_CUES:
            return OF_CUES[self.word(i - 2)]
        if prev in ("were", "are", "included", "include", "includes") and self.word(i - 2) in VERB_CUES:
            return VERB_CUES[self.word(i - 2)]
        for back in range(i - 1, max(-1, i - 9), -1):  # death toll (from the clashes) rose to N
            if w[back] == "toll":
                return O.KILLED_OR_INJURED if self.word(back - 1) == "casualty" else O.KILLED
            if w[back] in PUNCT or (w[back] in BREAK and w[back] != "to") or self.count_at(back) is not None:
                break
        return None

    def noun_phrase(self, c: Count) -> tuple[list[str], Tok | None]:
        """R9: the counted noun phrase (up to 6 tokens) and its person head noun."""
        words: list[str] = []
        head = None
        for k in range(c.noun_from, min(len(self.w), c.noun_from + 6)):
            t = self.w[k]
            if t in PUNCT or (t in BREAK and t != "and") or t in VERB_CUES or t in AUX_VERBS or t in ("in", "at", "near", "on"):
                break
            if t == "and" and self.word(k + 1) not in PERSONS:
                break
            words.append(t)
            head = self.toks[k] if t in PERSONS else head
        return words, head


def victim_category(words: Iterable[str]) -> VictimCategory:
    """R9."""
    lexicons = ((VictimCategory.STATE_FORCES, STATE), (VictimCategory.ARMED_GROUP, ARMED), (VictimCategory.CIVILIANS, CIVIL))
    found = {cat for w in words for cat, lex in lexicons if w in lex}
    return VictimCategory.MIXED if len(found) > 1 else (found.pop() if found else VictimCategory.UNKNOWN)


def _span(text: str, a: Tok, b: Tok) -> TextSpan:
    return TextSpan(a.start, b.end, text[a.start : b.end])


def extract_sentence(text: str, start: int, end: int, headline: bool) -> list[Figure]:
    s = Sentence(text, start, end)
    raw = s.counts()
    counts = [c for c in raw if not s.false_alarm(c)]
    got: dict[int, tuple[Outcome, Unit, str]] = {}  # count index -> outcome, unit, "left"/"right"
    for n, c in enumerate(counts):
        limit = counts[n + 1].i if n + 1 < len(counts) else len(s.w)
        if (lo := s.left_cue(c)) is not None:
            got[n] = (lo, NOUN_CUES.get(s.word(c.noun_from), (lo, P))[1], "left")
        elif (rc := s.right_cue(c.noun_from, limit)) is not None:
            got[n] = (rc[0], rc[1], "right")
    for n in range(len(counts) - 2, -1, -1):  # R7: share the next count's right cue
        between = s.w[counts[n].noun_from : counts[n + 1].i]
        if n not in got and got.get(n + 1, (None, None, ""))[2] == "right" and 0 < len(between) <= 6 and between[-1] in ("and", "or", ",") \
                and not any(x in (BREAK - {"and", "or"}) | AUX for x in between):
            got[n] = got[n + 1]
    for n in range(1, len(counts)):  # R7: share the previous left cue; "including N"
        c, between = counts[n], s.w[counts[n - 1].j : counts[n].i]
        if n in got or n - 1 not in got:
            continue
        if got[n - 1][2] == "left" and 0 < len(between) <= 6 and between[-1] in ("and", "or", ",") and not any(x in BREAK - {"and", "or"} for x in between):
            got[n] = got[n - 1]
        elif s.word(c.i - 1) == "including" or s.w[max(0, c.i - 2) : c.i] == ["among", "them"]:
            got[n] = got[n - 1]
    figures = []
    for n, c in enumerate(counts):
        if n in got:
            words, head = s.noun_phrase(c)
            victim = _span(text, head, head) if head is not None else None
            q = Quantity(_span(text, s.toks[c.i], s.toks[c.j - 1]), c.bounds, c.qualifier, c.vague)
            figures.append(Figure(q, got[n][0], got[n][1], victim_category(words), victim=victim, in_headline=headline))
    counted = {k for c in raw for k in range(c.i, min(len(s.w), c.noun_from + 6))}
    return figures + _bare_plurals(text, s, counted, headline)


def _bare_plurals(text: str, s: Sentence, counted: set[int], headline: bool) -> list[Figure]:
    """R8."""
    out = []
    for k, w in enumerate(s.w):
        if k in counted or w not in PERSONS or not (w.endswith("s") or w in ("people", "police", "men", "women", "children")):
            continue
        back = k - 1  # step back over up to two modifiers ("rebel fighters", "Veskarian civilians")
        while back >= 0 and k - back <= 2 and not (s.w[back] in DETERMINERS | PUNCT | BREAK | AUX | set(VERB_CUES) or s.w[back].endswith(("’s", "'s"))):
            back -= 1
        before = s.word(back)
        if before in DETERMINERS or before.endswith(("’s", "'s")) or before == "of":
            continue
        if before in VERB_CUES and before not in NOT_LEFT and back == k - 1:
            outcome: Outcome | None = VERB_CUES[before]
        else:
            rc = s.right_cue(k + 1, len(s.w), person=True)
            outcome = rc[0] if rc is not None and rc[1] == P else None
        if outcome is not None:
            span = _span(text, s.toks[k], s.toks[k])
            out.append(Figure(Quantity(span, bounds_for(None)), outcome, P, victim_category(s.w[back + 1 : k + 1]), victim=span, in_headline=headline))
    return out


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Fallback splitter (lines, then . ! ? before a capital) for a document without sentences."""
    spans: list[tuple[int, int]] = []
    for m in re.finditer(r"[^\n]+", text):
        s = m.start()
        for e in re.finditer(r"[.!?][”\"’]?\s+(?=[“\"A-Z0-9])", m.group()):
            spans.append((s, m.start() + e.end()))
            s = m.start() + e.end()
        spans.append((s, m.end()))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def is_headline(text: str, start: int, end: int) -> bool:
    """R10."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end) if text.find("\n", end) >= 0 else len(text)
    line = text[line_start:line_end].strip()
    after = text[line_end:].lstrip("\n").split("\n", 1)[0]
    return (text[start:end].strip() == line and not re.search(r"[.!?”\"’]$", line)) or bool(re.match(r"(Photo|Credit|Picture)s?\b", after))


def extract_figures(text: str, sentences: Sequence[tuple[int, int]] | None = None) -> list[Figure]:
    spans = list(sentences) if sentences else split_sentences(text)
    figures = [f for a, b in spans for f in extract_sentence(text, a, b, is_headline(text, a, b))]
    return sorted(figures, key=lambda f: (f.quantity.span.start or 0, f.quantity.span.end or 0, f.outcome.value))  # R11


def extract(document) -> list[Figure]:
    """A document's casualty figures (the rules above), with offsets."""
    return extract_figures(document.text, [(s.start, s.end) for s in document.sentences])
