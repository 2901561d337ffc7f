"""The rules baseline's casualty rules (1.3.0 on, written blind: bench/systems/rules/casualties.py),
on invented sentences only (none from the articles or the development set), rule by rule."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from bench.systems.rules.casualties import extract, extract_figures, split_sentences


def figs(text: str) -> list[tuple[str, str, str, int, int | None, str, str]]:
    return [(f.quantity.span.text, f.outcome.value, f.quantity.bounds.kind.value, f.quantity.bounds.low, f.quantity.bounds.high,
             f.unit.value, f.victim_category.value) for f in extract_figures(text)]


def one(text: str) -> tuple[str, str, str, int, int | None, str, str]:
    out = figs(text)
    assert len(out) == 1, out
    return out[0]


# R1/R2 count phrases and values ------------------------------------------------------------
@pytest.mark.parametrize("text, phrase, kind, low, high", [
    ("Twelve soldiers died in an ambush on the highway.", "Twelve", "exact", 12, 12),
    ("Twenty-three people were arrested after the clashes.", "Twenty-three", "exact", 23, 23),
    ("More than a dozen journalists remain missing.", "More than a dozen", "lower_bound", 13, None),
    ("Up to 40 fighters were killed near the border.", "Up to 40", "upper_bound", 1, 40),
    ("Nearly 200 families have fled their homes.", "Nearly 200", "approx", 180, 199),
    ("An estimated 300 people were killed.", "An estimated 300", "approx", 270, 330),
    ("UN officials say 1.5 million people have been displaced.", "1.5 million", "exact", 1_500_000, 1_500_000),
    ("Two hundred villagers were displaced.", "Two hundred", "exact", 200, 200),
    ("Between 8 and 15 guards were wounded.", "Between 8 and 15", "range", 8, 15),
    ("Between eight and fifteen guards were wounded.", "Between eight and fifteen", "range", 8, 15),
    ("Some 1,200 residents were evacuated.", "Some 1,200", "approx", 1080, 1320),
])
def test_numbers_and_hedges(text: str, phrase: str, kind: str, low: int, high: int | None) -> None:
    got = one(text)
    assert got[0] == phrase and got[2:5] == (kind, low, high)


@pytest.mark.parametrize("text, phrase, low, high", [
    ("Dozens of villagers were wounded in the shelling.", "Dozens", 24, 99),
    ("Several aid workers were abducted on Tuesday.", "Several", 3, 9),
    ("A lot of people are dying in the camps.", "A lot", 2, None),
    ("Hundreds more have fled across the river.", "Hundreds", 200, 999),
    ("The war has killed tens of thousands of people.", "tens of thousands", 20_000, 99_999),
    ("Many were killed when the bridge collapsed under fire.", "Many", 2, None),
])
def test_vague_words(text: str, phrase: str, low: int, high: int | None) -> None:
    got = one(text)
    assert got[0] == phrase and got[2:5] == ("vague", low, high)


# R3 false alarms ---------------------------------------------------------------------------
@pytest.mark.parametrize("text", [
    "About 5,000 people marched through the capital on Sunday.",
    "Over 1,000 demonstrators gathered peacefully in the square.",
    "The offensive lasted 12 days and covered 40 kilometres.",
    "The rebels control 14 towns and 2 provinces.",
    "The president appointed 3 new ministers on Monday.",
    "The ministry paid $3 million in compensation to 200 families.",
    "Turnout was 45 percent, officials said.",
    "The ceasefire held for 48 hours.",
    "The court sentenced four men to 10 years in prison.",
    "A car bomb killed a 7-year-old girl.",
    "The fighting began on 3 June 2021.",
    "Thousands attended the funerals of those killed.",
    "Some 2,000 troops were deployed to the city.",
    "Many of the victims were women.",
    "One of the convoys was stopped at 2 checkpoints.",
    "No one was hurt in the blast.",
])
def test_no_figure(text: str) -> None:
    assert figs(text) == []


def test_date_next_to_a_count() -> None:
    assert [f[0] for f in figs("On 12 May, 30 people were killed in a drone strike.")] == ["30"]
    assert [f[0] for f in figs("Since 2011, 400,000 people have died in the war.")] == ["400,000"]


def test_age_apposition_is_skipped() -> None:
    assert [f[:2] for f in figs("Six people, aged 20 to 45, were shot dead.")] == [("Six", "killed")]


# R4 left cues ------------------------------------------------------------------------------
@pytest.mark.parametrize("text, phrase, outcome", [
    ("The bombing killed 14 people in the port.", "14", "killed"),
    ("Gunmen Abduct 20 Students From Boarding School", "20", "kidnapped"),
    ("The army killed another 12 insurgents overnight.", "12", "killed"),
    ("Police rounded up 150 people overnight.", "150", "arrested"),
    ("The army lost 15 soldiers in the battle for the ridge.", "15", "killed"),
    ("Rescuers pulled the bodies of 9 miners from the rubble.", "9", "killed"),
    ("The death toll has risen to 57, the ministry said.", "57", "killed"),
    ("The clashes claimed the lives of 18 people.", "18", "killed"),
    ("The dead included 4 children and a nurse.", "4", "killed"),
    ("The militia said it had captured 3 soldiers.", "3", "kidnapped"),
    ("The fighting has displaced about 4,000 villagers.", "about 4,000", "displaced"),
    ("The death toll from the clashes rose to 1,018, the monitor said.", "1,018", "killed"),
    ("The massacre of 30 villagers shocked the region.", "30", "killed"),
])
def test_left_cues(text: str, phrase: str, outcome: str) -> None:
    got = one(text)
    assert got[:2] == (phrase, outcome)


def test_left_cue_wins_and_needs_a_person_for_lost() -> None:
    assert figs("The army lost 4 tanks in the battle.") == []


# R5 right cues -----------------------------------------------------------------------------
@pytest.mark.parametrize("text, phrase, outcome", [
    ("Five people were injured in the explosion.", "Five", "injured"),
    ("Forty people were taken hostage at the hotel.", "Forty", "kidnapped"),
    ("Eight people lost their lives when the bridge was shelled.", "Eight", "killed"),
    ("At least 90 people went missing during the storm.", "At least 90", "missing"),
    ("Thousands of people have been forced to flee.", "Thousands", "displaced"),
    ("The shelling has left 300 people homeless.", "300", "displaced"),
    ("Nine fishermen from the island are still missing.", "Nine", "missing"),
    ("Seventeen guards were said to have been killed.", "Seventeen", "killed"),
    ("Around 1,000 people are estimated to have been killed.", "Around 1,000", "killed"),
    ("More than 100 people were killed or wounded on Friday.", "More than 100", "killed_or_injured"),
    ("20 killed", "20", "killed"),
])
def test_right_cues(text: str, phrase: str, outcome: str) -> None:
    got = one(text)
    assert got[:2] == (phrase, outcome)


def test_headline_without_verb() -> None:
    assert [f[:2] for f in figs("Two Dead, Five Hurt in Market Blast")] == [("Two", "killed"), ("Five", "injured")]


def test_first_cue_wins() -> None:
    assert [f[:2] for f in figs("At least 9 people were killed and dozens wounded in the raid.")] == [("At least 9", "killed"), ("dozens", "injured")]


def test_active_voice_is_not_a_victim_count() -> None:
    assert [f[:2] for f in figs("Thirty gunmen killed five soldiers at a checkpoint.")] == [("five", "killed")]
    assert [f[:2] for f in figs("Hundreds of police arrested 40 students.")] == [("40", "arrested")]


def test_gap_breaks_on_other_verbs() -> None:
    assert figs("Two hundred prisoners escaped from the jail.") == []
    assert figs("The 3 men were charged with murder.") == []


# R6 outcome nouns --------------------------------------------------------------------------
@pytest.mark.parametrize("text, outcome, unit", [
    ("Hundreds of kidnappings were reported in the region.", "kidnapped", "incidents"),
    ("At least three killings were recorded in the district.", "killed", "incidents"),
    ("The group documented three massacres in the province.", "killed", "incidents"),
    ("The police made 30 arrests overnight.", "arrested", "incidents"),
    ("The strike caused 31 casualties.", "killed_or_injured", "persons"),
    ("The hospital registered 14 deaths on Friday.", "killed", "persons"),
    ("Rescuers recovered 5 bodies from the river.", "killed", "persons"),
])
def test_outcome_nouns(text: str, outcome: str, unit: str) -> None:
    got = one(text)
    assert (got[1], got[5]) == (outcome, unit)


# R7 sharing --------------------------------------------------------------------------------
def test_coordinated_counts_share_a_right_cue() -> None:
    got = figs("Officials said 5 police officers and 3 civilians were killed.")
    assert [(f[0], f[1], f[6]) for f in got] == [("5", "killed", "state_forces"), ("3", "killed", "civilians")]


def test_coordinated_counts_share_a_left_cue() -> None:
    got = figs("The raid left the village empty after killing 8 farmers and 2 teachers.")
    assert [(f[0], f[1]) for f in got] == [("8", "killed"), ("2", "killed")]


def test_including_subset() -> None:
    got = figs("The strike caused 31 casualties, including 9 children.")
    assert [(f[0], f[1], f[6]) for f in got] == [("31", "killed_or_injured", "unknown"), ("9", "killed_or_injured", "civilians")]


# R8 bare plurals ---------------------------------------------------------------------------
@pytest.mark.parametrize("text, phrase, outcome", [
    ("Civilians Killed in Overnight Raid on Market", "Civilians", "killed"),
    ("The strikes killed civilians in the old town.", "civilians", "killed"),
    ("Rebel fighters have been captured near the dam.", "fighters", "kidnapped"),
])
def test_bare_plurals(text: str, phrase: str, outcome: str) -> None:
    got = one(text)
    assert got[:4] == (phrase, outcome, "vague", 2) and got[4] is None


def test_no_bare_plural_with_a_determiner_or_as_agent() -> None:
    assert figs("The civilians were evacuated by bus.") == []
    assert figs("Soldiers fired on the crowd.") == []
    assert figs("The detainees had been held without charge.") == []


# R9 victim categories ----------------------------------------------------------------------
@pytest.mark.parametrize("text, category", [
    ("Twelve soldiers died in an ambush.", "state_forces"),
    ("At least 6 militants were killed in the raid.", "armed_group"),
    ("Four aid workers were abducted.", "civilians"),
    ("Dozens of civilians and rebels were killed in the crossfire.", "mixed"),
    ("Eleven people were wounded.", "unknown"),
    ("Nine Ardanians were arrested.", "unknown"),
])
def test_victim_category(text: str, category: str) -> None:
    assert one(text)[6] == category


# R10 headlines -----------------------------------------------------------------------------
DOC = ("5 Killed in Raid on Village\nResidents say the army came at night\n\nARDANE, 3 March\n\n"
       "A boy stands by a ruined house.\nPhoto: A. Person/Agency\n\nFive people were killed. Two others were hurt.")


def test_headline_flag() -> None:
    got = [(f.quantity.span.text, f.in_headline) for f in extract_figures(DOC)]
    assert got == [("5", True), ("Five", False), ("Two", False)]


def test_offsets_match_text() -> None:
    for f in extract_figures(DOC):
        s = f.quantity.span
        assert DOC[s.start : s.end] == s.text


# R11 determinism and order independence ----------------------------------------------------
@dataclass
class _Sent:
    start: int
    end: int


@dataclass
class _Doc:
    id: str
    text: str

    @property
    def sentences(self) -> list[_Sent]:
        return [_Sent(a, b) for a, b in split_sentences(self.text)]


def test_deterministic_and_order_independent() -> None:
    docs = [_Doc("a", DOC), _Doc("b", "Gunmen killed 4 guards. Dozens of residents fled."), _Doc("c", "Talks resumed on Monday.")]
    first = {d.id: tuple(extract(d)) for d in docs}
    again = {d.id: tuple(extract(d)) for d in reversed(docs)}
    alone = {d.id: tuple(extract(d)) for d in docs[::-1]}
    assert first == again == alone
    assert [f.quantity.span.text for f in first["b"]] == ["4", "Dozens"] and first["c"] == ()
