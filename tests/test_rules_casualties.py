"""The casualty rules of `rules@1.2.0` (bench/systems/rules/casualties_annotator.py) on invented sentences only (never the benchmark texts):
each documented rule fires, and the crowd and date filters hold."""

from __future__ import annotations

import pytest

from bench.systems.rules.casualties_annotator import extract
from test_rules_baseline import make_document


def figures(text):
    doc = make_document(text)
    out = []
    for f in extract(doc):
        b = f.quantity.bounds
        assert doc.text[f.quantity.span.start : f.quantity.span.end] == f.quantity.span.text
        out.append((f.quantity.span.text, b.kind.value, b.low, b.high, f.outcome.value, f.unit.value, f.victim_category.value, f.victim.text if f.victim else None))
    return out


@pytest.mark.parametrize(
    "text, expected",
    [
        # 1 + 2: hedges, numerals, number words, vague words; cue after the phrase
        ("At least 12 soldiers were killed in the attack.", ("At least 12", "lower_bound", 12, None, "killed", "persons", "state_forces", "soldiers")),
        ("More than 30 civilians died overnight.", ("More than 30", "lower_bound", 31, None, "killed", "persons", "civilians", "civilians")),
        ("Nearly 40 people were wounded.", ("Nearly 40", "approx", 36, 39, "injured", "persons", "unknown", "people")),
        ("Three police officers were kidnapped near the border.", ("Three", "exact", 3, 3, "kidnapped", "persons", "state_forces", "police officers")),
        ("Dozens of rebels are missing after the battle.", ("Dozens", "vague", 24, 99, "missing", "persons", "armed_group", "rebels")),
        ("Thousands of families have been displaced.", ("Thousands", "vague", 2000, 9999, "displaced", "persons", "unknown", "families")),
        ("Several villagers were arrested.", ("Several", "vague", 3, 9, "arrested", "persons", "civilians", "villagers")),
        # 3: cue before the phrase
        ("The militia lost 7 fighters in the ambush.", ("7", "exact", 7, 7, "killed", "persons", "armed_group", "fighters")),
        ("The blast wounded about 20 workers.", ("about 20", "approx", 18, 22, "injured", "persons", "unknown", "workers")),
        # 5: event nouns count incidents (or people, for deaths and casualties)
        ("Hundreds of abductions were recorded last year.", ("Hundreds", "vague", 200, 999, "kidnapped", "incidents", "unknown", None)),
        ("Officials counted 45 deaths.", ("45", "exact", 45, 45, "killed", "persons", "unknown", None)),
    ],
)
def test_rule_fires(text, expected):
    assert figures(text) == [expected]


@pytest.mark.parametrize(
    "text",
    [
        "Hundreds of protesters poured into the streets.",  # crowd
        "Thousands attended a rally where two were later reported hurt by police.",  # crowd before the cue
        "The ceasefire was signed on 12 March 2024 in Geneva.",  # dates
        "Five cities staged demonstrations.",  # no outcome
        "The war lasted 13 years.",  # no outcome
        "The deadly ambush shocked the town.",  # an outcome but no count
    ],
)
def test_non_casualty_numbers_are_left_alone(text):
    assert figures(text) == []


def test_numbers_in_a_date_are_not_counts_but_a_vague_word_after_a_month_is():
    assert figures("Since March, hundreds of detainees have died in custody.") == [
        ("hundreds", "vague", 200, 999, "killed", "persons", "unknown", "detainees")
    ]


def test_headline_lines_are_marked():
    doc = make_document("Gunmen Kill Five Soldiers Near Hama\nFive soldiers were killed near Hama on Sunday.")
    found = extract(doc)
    assert [(f.quantity.span.text, f.in_headline) for f in found] == [("Five", True), ("Five", False)]
