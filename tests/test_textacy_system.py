"""The `textacy` system (bench/systems/textacy_quotes.py): spaCy and textacy for real on invented sentences."""

from __future__ import annotations

import pytest

from bench.tasks.attribution.types import Mode, SourceType
from bench.tasks.registry import TaskName
from conftest import require_stack


@pytest.fixture(scope="module")
def nlp():  # type: ignore[no-untyped-def]
    require_stack("textacy")
    from bench.systems.textacy_quotes import load_model

    return load_model()


def extract_relations(*args):
    from bench.systems.textacy_quotes import extract_relations

    return extract_relations(*args)


def paragraphs(text):
    from bench.systems.textacy_quotes import paragraphs

    return paragraphs(text)


def create():
    require_stack("textacy")
    from bench.systems.textacy_quotes import create

    return create()


def test_one_quote(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“The road to the valley is closed to everyone,” the mayor said on Tuesday."
    (r,) = extract_relations(nlp, text)
    assert (r.id, r.source.text, r.source.type, r.cue.text, r.mode, r.parent) == ("q1", "mayor", SourceType.UNSPECIFIED, "said", Mode.DIRECT, None)
    assert [c.text for c in r.content] == ["The road to the valley is closed to everyone"]  # M5: no marks, no comma


def test_split_quote_is_one_relation(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "“We will not leave the village,” Anna Velt told reporters. “This has always been our home.”"
    (r,) = extract_relations(nlp, text)
    assert r.source.text == "Anna Velt" and r.cue.text == "told"
    assert [c.text for c in r.content] == ["We will not leave the village", "This has always been our home"]


def test_possessive_apostrophe_costs_only_its_paragraph(nlp) -> None:  # type: ignore[no-untyped-def]
    text = "The rebels’ commander was not at the meeting.\n\n“Nobody will be allowed to cross the bridge,” the colonel said."
    from textacy.extract.triples import direct_quotations

    with pytest.raises(ValueError):  # textacy bails out on the whole document (M2)
        list(direct_quotations(nlp(text)))
    rels = extract_relations(nlp, text)
    assert [(r.source.text, r.cue.text) for r in rels] == [("colonel", "said")]


def test_indirect_speech_is_not_reached(nlp) -> None:  # type: ignore[no-untyped-def]
    assert extract_relations(nlp, "The minister said the talks would resume next week.") == []
    assert extract_relations(nlp, "According to the monitor, five people were killed.") == []


def test_offsets_and_ids(nlp) -> None:  # type: ignore[no-untyped-def]
    text = ("Talks opened on Monday.\n\n“We came here to listen to both sides,” the envoy said.\n\n"
            "“There will be no ceasefire this winter,” the general told the radio station.")
    rels = extract_relations(nlp, text)
    assert [r.id for r in rels] == ["q1", "q2"]
    for r in rels:
        for span in (r.source.span, r.cue, *r.content):
            assert span is not None and text[span.start : span.end] == span.text


def test_paragraphs() -> None:
    assert paragraphs("a\n\nb\n \nc") == [(0, 1), (3, 4), (7, 8)]


class _D:
    def __init__(self, id: str, text: str) -> None:
        self.id, self.text = id, text


def test_deterministic_and_order_independent() -> None:
    docs = [_D("a", "“We will rebuild the school soon,” the teacher said."), _D("b", "No one spoke."),
            _D("c", "“Everyone must leave the town tonight,” an officer told residents.")]
    system = create()
    one = {p.doc_id: p.for_task(TaskName.ATTRIBUTION) for p in system.predict(docs)}
    two = {p.doc_id: p.for_task(TaskName.ATTRIBUTION) for p in system.predict(docs[::-1])}
    assert one == two and len(one["a"]) == 1 and one["b"] == ()
