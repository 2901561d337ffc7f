"""Casualty gold: it validates, each corruption is named precisely, and the
conventions table in GUIDELINES.md is the one the code applies."""

from __future__ import annotations

import json
import re

import pytest

from bench.tasks.casualties.conventions import read_quantity
from bench.tasks.validate import validate_tree

D0, D3 = "000_5cf36fedf2077db3", "003_a061056322098f3b"


def _edit(root, change, doc=D0):
    path = root / "gold" / "casualties" / f"{doc}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")


def _messages(root):
    return [str(p) for p in validate_tree(root)]


def test_landed_gold_is_valid(corpus):
    assert _messages(corpus.root) == []


def _set(path, value):
    def change(raw):
        node = raw
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = value

    return change


CORRUPTIONS = {
    "bounds that break the conventions": (
        _set(["figures", 1, "quantity", "low"], 70),
        "figures[1] (id 000-c02).quantity.low: is 70, but the conventions table reads 'over 70' so: low 71 (GUIDELINES.md 2.2)",
    ),
    "low above high": (_set(["figures", 0, "quantity", "low"], 120), "figures[0] (id 000-c01).quantity: low 120 > high 99"),
    "unknown outcome": (_set(["figures", 0, "outcome"], "dead"), "figures[0] (id 000-c01).outcome: schema: 'dead' is not one of"),
    "span text": (_set(["figures", 1, "quantity", "text"], "over 80"), "figures[1] (id 000-c02).quantity: text 'over 80' does not match the article"),
    "entity link to the wrong entity": (
        _set(["figures", 0, "location", "entity"], "latakia"),
        "figures[0] (id 000-c01).location.entity: 'latakia' does not match the NER gold: the NER mention there is 'syria'",
    ),
    "named span without its link": (_set(["figures", 0, "location", "entity"], None), "figures[0] (id 000-c01).location.entity: span 'Syria' is the NER mention of 'syria': link it"),
    "argument outside the sentence": (
        _set(["figures", 1, "time"], {"start": 10, "end": 16, "text": "Dozens", "entity": None}),
        "figures[1] (id 000-c02).time: span 'Dozens' is not in the figure's sentence",
    ),
    "a number that is both": (
        lambda raw: raw["non_casualty"].insert(0, {"id": "000-n99", "start": 10, "end": 16, "text": "Dozens", "kind": "other_count"}),
        "non_casualty[0] (id 000-n99): overlaps the quantity of figure 000-c01",
    ),
    "duplicate id": (_set(["figures", 2, "id"], "000-c01"), "figures[2] (id 000-c01): duplicate id"),
    "wrong document prefix": (_set(["figures", 0, "id"], "003-c77"), "figures[0] (id 003-c77): id must start with the document prefix '000'"),
    "missing quantity": (lambda raw: raw["figures"][0].pop("quantity"), "figures[0] (id 000-c01): schema: 'quantity' is a required property"),
    "victim alternatives without the category": (
        _set(["figures", 0, "victim", "category_alternatives"], ["mixed", "civilians"]),
        "figures[0] (id 000-c01).victim.category_alternatives: lists the defensible categories, so it must hold the category 'unknown' too",
    ),
    "a single victim alternative": (
        _set(["figures", 0, "victim", "category_alternatives"], ["unknown"]),
        "figures[0] (id 000-c01).victim.category_alternatives: schema:",
    ),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_each_corruption_is_named(tree_copy, case):
    change, expected = CORRUPTIONS[case]
    _edit(tree_copy, change)
    msgs = _messages(tree_copy)
    assert any(expected in m and m.startswith(f"gold/casualties/{D0}.json: ") for m in msgs), msgs


def test_changed_gold_needs_a_version_bump(tree_copy):
    _edit(tree_copy, lambda raw: raw["figures"][1].update(note="changed"))
    msgs = _messages(tree_copy)
    assert len(msgs) == 1 and "casualties: gold content changed" in msgs[0] and "bump gold_version" in msgs[0], msgs


def _table_rows(corpus):
    text = (corpus.root / "gold" / "GUIDELINES.md").read_text(encoding="utf-8")
    section = text[text.index("### 2.2 Normalisation conventions") : text.index("### 2.3")]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[1] in {"exact", "lower_bound", "upper_bound", "range", "approx", "vague"}:
            rows.append(cells)
    return rows


# Concrete readings of each table row (N = 50 where the table has a variable).
EXAMPLES = {
    '"13"': ("13", 13, 13, 13),
    '"at least 13"': ("at least 13", 13, None, None),
    '"over 70"': ("over 70", 71, None, None),
    '"up to N"': ("up to 50", 1, 50, None),
    '"about': ("about 50", 45, 55, 50),
    '"nearly': ("nearly 50", 45, 49, 50),
    '"between a and b"': ("between 5 and 8", 5, 8, None),
    '"a dozen"': ("a dozen", 12, 12, 12),
    '"dozens"': ("Dozens", 24, 99, None),
    '"tens"': ("tens", 20, 99, None),
    '"hundreds"': ("hundreds", 200, 999, None),
    '"thousands"': ("thousands", 2000, 9999, None),
    '"several"': ("Several", 3, 9, None),
    "a bare plural": ("a lot", 2, None, None),
}


def test_guidelines_table_matches_the_code(corpus):
    rows = _table_rows(corpus)
    assert len(rows) == len(EXAMPLES)
    for text, kind, low, high, point, _ in rows:
        key = next(k for k in EXAMPLES if text.startswith(k))
        phrase, want_low, want_high, want_point = EXAMPLES[key]
        read = read_quantity(phrase)
        assert read is not None and read.bounds.kind.value == kind, (text, read)
        assert (read.bounds.low, read.bounds.high, read.bounds.point) == (want_low, want_high, want_point), text
        if re.fullmatch(r"\d+", low):
            assert int(low) == want_low, text
        if re.fullmatch(r"\d+", high):
            assert int(high) == want_high, text
        if high == "∞":
            assert want_high is None, text


@pytest.mark.parametrize(
    "phrase, expected",
    [
        ("More than 70", ("lower_bound", 71, None, None, "More than", None)),
        ("About 25", ("approx", 23, 28, 25, "About", None)),  # 22.5 rounds half up
        ("almost 10", ("approx", 9, 9, 10, "almost", None)),
        ("twenty-five", ("exact", 25, 25, 25, None, None)),
        ("1,200", ("exact", 1200, 1200, 1200, None, None)),
        ("5-8", ("range", 5, 8, None, None, None)),
        ("at least dozens", ("vague", 24, 99, None, "at least", "dozens")),
        ("the people", None),
    ],
)
def test_read_quantity(phrase, expected):
    read = read_quantity(phrase)
    if expected is None:
        assert read is None
    else:
        b = read.bounds
        assert (b.kind.value, b.low, b.high, b.point, read.qualifier, read.vague_term) == expected
