"""The `quantulum3` system (bench/systems/quantulum.py): the real library on invented sentences."""

from __future__ import annotations

import pytest

from bench.tasks.registry import TaskName
from conftest import require_stack


@pytest.fixture(autouse=True)
def _stack():
    require_stack("quantulum")


def extract_figures(*args, **kwargs):
    from bench.systems.quantulum import extract_figures

    return extract_figures(*args, **kwargs)


def candidate_counts(*args, **kwargs):
    from bench.systems.quantulum import candidate_counts

    return candidate_counts(*args, **kwargs)


def create():
    from bench.systems.quantulum import QuantulumCasualties

    return QuantulumCasualties(hedged=False)


def create_hedged():
    from bench.systems.quantulum import create

    return create()


def figs(text: str, hedged: bool = False) -> list[tuple[str, str, str, int, int | None]]:
    return [(f.quantity.span.text, f.outcome.value, f.quantity.bounds.kind.value, f.quantity.bounds.low, f.quantity.bounds.high)
            for f in extract_figures(text, hedged=hedged)]


def test_classifier_is_off() -> None:  # A1
    import quantulum3.classifier

    create()
    assert quantulum3.classifier.USE_CLF is False


def test_plain_counts() -> None:
    assert figs("Gunmen abducted 14 farmers near the dam.") == [("14", "kidnapped", "exact", 14, 14)]
    assert figs("Nine guards were wounded in the attack.") == [("Nine", "injured", "exact", 9, 9)]
    assert figs("About 1.2 million people have been displaced.") == [("1.2 million", "displaced", "exact", 1_200_000, 1_200_000)]


def test_non_count_units_are_dropped() -> None:  # A3
    assert figs("The convoy travelled 40 kilometres before it was seized.") == []
    assert figs("The siege lasted three days and 20 percent of homes burned.") == []
    assert candidate_counts("The ministry paid $5 million.", 0) == []


def test_dozen_unit() -> None:  # A3
    assert figs("Two dozen people were hurt in the blast.") == [("Two dozen", "injured", "exact", 24, 24)]


def test_acronym_misread_as_unit() -> None:  # A3
    assert figs("Rebels abducted seven KPA soldiers.") == [("seven", "kidnapped", "exact", 7, 7)]


def test_range_and_capitalised_between() -> None:  # A4, A5
    assert figs("Between 8 and 12 guards were killed.") == [("Between 8 and 12", "killed", "range", 8, 12)]
    assert figs("From 8 to 12 guards were killed.") == [("8 to 12", "killed", "range", 8, 12)]


def test_hedges_only_in_the_hedged_variant() -> None:  # A5
    assert figs("At least 9 people were killed.") == [("9", "killed", "exact", 9, 9)]
    assert figs("At least 9 people were killed.", hedged=True) == [("At least 9", "killed", "lower_bound", 9, None)]
    assert figs("Troops killed as many as 30 rebels.") == [("30", "killed", "exact", 30, 30)]  # A6: cue before the hedge
    assert figs("Troops killed as many as 30 rebels.", hedged=True) == [("as many as 30", "killed", "upper_bound", 1, 30)]


def test_no_outcome_no_figure() -> None:  # A6
    assert figs("About 5,000 people marched through the capital.") == []
    assert figs("The president appointed 3 new ministers.") == []


def test_vague_words_are_not_found() -> None:  # the limitation
    assert figs("Dozens of people were wounded and thousands fled.") == []


def test_victim_category_and_incidents() -> None:  # A6, A7
    f = extract_figures("Officials recorded 15 kidnappings in the province.")
    assert [(x.outcome.value, x.unit.value) for x in f] == [("kidnapped", "incidents")]
    f = extract_figures("Twelve soldiers were killed at the checkpoint.")
    assert [(x.victim_category.value, x.victim.text if x.victim else None) for x in f] == [("state_forces", "soldiers")]


class _S:
    def __init__(self, start: int, end: int) -> None:
        self.start, self.end = start, end


class _D:
    def __init__(self, id: str, text: str) -> None:
        self.id, self.text, self.sentences = id, text, [_S(0, len(text))]


def test_deterministic_and_order_independent() -> None:
    docs = [_D("a", "Gunmen abducted 14 farmers."), _D("b", "Between 8 and 12 guards were killed."), _D("c", "No one was hurt.")]
    for factory in (create, create_hedged):
        one = {p.doc_id: p.for_task(TaskName.CASUALTIES) for p in factory().predict(docs)}
        two = {p.doc_id: p.for_task(TaskName.CASUALTIES) for p in factory().predict(docs[::-1])}
        assert one == two and len(one["a"]) == 1 and one["c"] == ()
