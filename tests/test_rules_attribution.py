"""The attribution baselines (rules and spaCy) on invented sentences only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import require_stack
from test_rules_baseline import make_document

from bench.systems.rules import attribution as rules_attribution
from bench.systems.rules import attribution_text
from bench.systems.spacy import attribution as spacy_attribution
from bench.systems.rules.attribution_text import find_quotes, guess_type, head_of, mode_of
from bench.systems.rules.attribution import extract
from bench.tasks.attribution.types import Coverage, Mode, Relation, SourceType


def run(text: str) -> list[Relation]:
    doc = make_document(text)
    relations = extract(doc)
    check_spans(doc, relations)
    return relations


def check_spans(doc, relations: list[Relation]) -> None:
    """Every span matches the text and lies on token boundaries; ids are r1, r2, ..."""
    assert [r.id for r in relations] == [f"r{i + 1}" for i in range(len(relations))]
    assert all(r.parent is None or r.parent in {x.id for x in relations} - {r.id} for r in relations)
    for r in relations:
        spans = (r.cue, *r.content) + ((r.source.span,) if r.source.span else ())
        for span in spans:
            assert doc.text[span.start:span.end] == span.text
            assert doc.is_token_aligned(span.start, span.end), span
            assert span.text[0].isalnum() and (span.text[-1].isalnum() or span.text[-1] == ")")


def one(relations: list[Relation], cue: str) -> Relation:
    found = [r for r in relations if r.cue.text == cue]
    assert len(found) == 1, [r.cue.text for r in relations]
    return found[0]


def contents(relation: Relation) -> list[str]:
    return [c.text for c in relation.content]


# ---------------------------------------------------------------- rule 1: quotes
def test_quotes_pair_curly_and_straight_marks_but_not_apostrophes():
    text = "The mayor’s aide called it a ‘disaster’ and said \"never again\" and “enough.”"
    inner = [text[q.open + 1:q.close] for q in find_quotes(text)]
    assert inner == ["disaster", "never again", "enough."]


def test_a_quote_left_open_closes_at_the_end_of_its_line():
    text = "“We waited all night\nThen help came."
    assert [text[q.open + 1:q.close] for q in find_quotes(text)] == ["We waited all night"]


# ---------------------------------------------------------------- rules 5 and 7: subject and complement
def test_subject_before_the_cue_and_that_clause():
    r = one(run("Officials said on Tuesday that the bridge over the river was closed."), "said")
    assert r.source.text == "Officials" and r.source.type is SourceType.OFFICIAL
    assert contents(r) == ["the bridge over the river was closed"] and r.mode is Mode.INDIRECT


def test_told_skips_the_addressee_and_time_adverbs():
    r = one(run("The mayor told reporters on Tuesday that the levee had held."), "told")
    assert r.source.text == "The mayor" and contents(r) == ["the levee had held"]


def test_apposition_is_skipped_and_a_semicolon_ends_the_content():
    r = one(run("Jane Porter, a spokeswoman for the port, said the docks would reopen; the unions stayed silent."), "said")
    assert r.source.text == "Jane Porter" and r.source.type is SourceType.NAMED_PERSON
    assert contents(r) == ["the docks would reopen"]


def test_relative_pronoun_subject_takes_its_antecedent():
    rels = run("Residents, who are urging the council to act, said they feel abandoned.")
    urging, said = one(rels, "urging"), one(rels, "said")
    assert urging.source.text == said.source.text == "Residents"
    assert contents(urging) == ["the council to act"] and contents(said) == ["they feel abandoned"]


def test_object_relative_is_part_of_a_described_content():
    r = one(run("The aid groups, which local media described as “overwhelmed,” asked for help."), "described")
    assert r.source.text == "local media" and r.source.type is SourceType.MEDIA
    assert contents(r) == ["which", "as “overwhelmed"] and r.mode is Mode.MIXED


def test_calls_for_includes_for_and_a_partly_quoted_content_is_mixed():
    r = one(run("The statement also calls for “urgent repairs” and “better warning systems.”"), "calls for")
    assert r.source.text == "The statement" and r.source.type is SourceType.DOCUMENT
    assert contents(r) == ["urgent repairs” and “better warning systems"] and r.mode is Mode.MIXED


def test_characterisation_content_stops_before_but():
    r = one(run("Some commentators have called the response a “total failure,” but others disagreed."), "called")
    assert r.source.type is SourceType.UNNAMED_GROUP and contents(r) == ["the response a “total failure"]


def test_show_with_a_document_source():
    r = one(run("Videos shared on social media show that cars were swept away."), "show")
    assert r.source.text == "Videos shared on social media" and r.source.type is SourceType.DOCUMENT
    assert r.source.head == "Videos" and contents(r) == ["cars were swept away"]


def test_speaker_after_an_unquoted_clause_and_a_parenthetical_cue():
    r = one(run("The roads are closed, the ministry said."), "said")
    assert r.source.text == "the ministry" and contents(r) == ["The roads are closed"]
    r = one(run("The floods, experts said, were caused by heavy rain."), "said")
    assert contents(r) == ["The floods", "were caused by heavy rain"]


def test_a_dateline_is_not_content():
    r = one(run("PORTVILLE (Wire) — A storm flooded the harbour on Saturday, the coast guard said."), "said")
    assert r.source.text == "the coast guard" and contents(r) == ["A storm flooded the harbour on Saturday"]


def test_noun_uses_negation_and_self_naming_are_not_cues():
    assert run("A group calling itself the River Committee posted the pictures.") == []
    assert run("The so-called experts did not say anything useful.") == []
    assert run("The reported clashes ended and a warning siren sounded.") == []
    assert run("The storm claimed the lives of four fishermen.") == []


# ---------------------------------------------------------------- rule 6: speaker after the quote
def test_speaker_after_the_quote_then_adding():
    rels = run("“We are running out of water,” a farmer told reporters, adding that the wells had dried up.")
    told, adding = one(rels, "told"), one(rels, "adding")
    assert told.source.text == adding.source.text == "a farmer"
    assert told.source.type is SourceType.UNNAMED_INDIVIDUAL
    assert contents(told) == ["We are running out of water"] and told.mode is Mode.DIRECT
    assert contents(adding) == ["the wells had dried up"] and adding.mode is Mode.INDIRECT
    assert told.parent is None and adding.parent is None


def test_discontinuous_quote_around_the_cue():
    r = one(run("“The water rose very quickly,” the agency explained in a bulletin on Sunday, “and many families were trapped.”"), "explained")
    assert r.source.text == "the agency" and r.source.type is SourceType.MEDIA
    assert contents(r) == ["The water rose very quickly", "and many families were trapped"] and r.mode is Mode.DIRECT


def test_inverted_speaker_with_straight_quotes():
    r = one(run('"We saw the water coming," said a witness.'), "said")
    assert r.source.text == "a witness" and contents(r) == ["We saw the water coming"] and r.mode is Mode.DIRECT


def test_a_quote_continuing_in_the_next_paragraph():
    r = one(run("“Many people lost everything,” the charity said.\n“We need more volunteers.”\nThe rain stopped."), "said")
    assert contents(r) == ["Many people lost everything", "We need more volunteers"]


def test_colon_then_quote():
    r = one(run("The minister said: “We will rebuild every house.”"), "said")
    assert contents(r) == ["We will rebuild every house"] and r.mode is Mode.DIRECT


# ---------------------------------------------------------------- rule 3: according to
def test_according_to_at_the_start():
    r = one(run("According to local reports, a curfew was imposed in the harbour town."), "According to")
    assert r.source.text == "local reports" and r.source.type is SourceType.DOCUMENT and r.source.head == "reports"
    assert contents(r) == ["a curfew was imposed in the harbour town"]


def test_according_to_inside_the_clause_gives_two_spans():
    r = one(run("The floods destroyed two villages, according to the Red Crescent, and cut off “the main road.”"), "according to")
    assert r.source.text == "the Red Crescent"
    assert contents(r) == ["The floods destroyed two villages", "and cut off “the main road"] and r.mode is Mode.MIXED


# ---------------------------------------------------------------- rule 4: passives
@pytest.mark.parametrize("text, spans", [
    ("Power cuts have also been reported across the northern districts.", ["Power cuts", "across the northern districts"]),
    ("It is believed that the dam was poorly maintained.", ["the dam was poorly maintained"]),
    ("The storm caused what is believed to have been the worst flooding in decades.", ["what", "to have been the worst flooding in decades"]),
])
def test_agentless_passives_have_no_source(text, spans):
    (r,) = run(text)
    assert r.source.span is None and r.source.type is SourceType.UNSPECIFIED
    assert r.cue.text in ("reported", "believed") and contents(r) == spans


def test_passive_with_an_agent_names_it():
    rels = run("The figures were reported by the Harbour Authority, which said that 300 boats sank.")
    reported, said = one(rels, "reported"), one(rels, "said")
    assert reported.source.text == said.source.text == "the Harbour Authority"
    assert contents(reported) == ["The figures"] and contents(said) == ["300 boats sank"]


# ---------------------------------------------------------------- rule 11: nesting
def test_citing_in_part_is_nested_and_partial():
    rels = run("The Daily Courier, in part citing the Weather Monitoring Centre, reported on Monday that 40 homes were flooded.")
    host, cited = one(rels, "reported"), one(rels, "citing")
    assert host.source.text == "The Daily Courier" and host.parent is None and host.coverage is Coverage.FULL
    assert cited.source.text == "the Weather Monitoring Centre" and cited.source.type is SourceType.MONITOR
    assert cited.parent == host.id and cited.coverage is Coverage.PARTIAL
    assert contents(cited) == contents(host) == ["40 homes were flooded"]
    assert host.id == "r1"


def test_trailing_citing_is_nested_and_full():
    rels = run("Two ferries sank, the agency reported, citing port officials.")
    host, cited = one(rels, "reported"), one(rels, "citing")
    assert contents(host) == ["Two ferries sank"] and cited.parent == host.id and cited.coverage is Coverage.FULL
    assert cited.source.text == "port officials" and cited.source.type is SourceType.OFFICIAL


def test_cues_inside_a_quote_are_nested_in_the_quoting_relation():
    rels = run("“Residents have called for an inquiry, explaining that the alarms never sounded,” the Valley Rights Monitor "
               "reported. “Families also stressed that help came late.”")
    outer = one(rels, "reported")
    assert outer.source.type is SourceType.MONITOR and outer.mode is Mode.DIRECT
    assert contents(outer) == ["Residents have called for an inquiry, explaining that the alarms never sounded",
                               "Families also stressed that help came late"]
    called, explaining, stressed = one(rels, "called for"), one(rels, "explaining"), one(rels, "stressed")
    assert called.source.text == explaining.source.text == "Residents" and stressed.source.text == "Families"
    assert contents(called) == ["an inquiry"] and contents(explaining) == ["the alarms never sounded"]
    assert {called.parent, explaining.parent, stressed.parent} == {outer.id}


def test_quoted_person_saying_is_nested():
    rels = run("The Courier quoted a local fisherman saying that, “the nets were all torn.”")
    quoted, saying = one(rels, "quoted"), one(rels, "saying")
    assert contents(quoted) == ["a local fisherman saying that, “the nets were all torn"] and quoted.mode is Mode.MIXED
    assert saying.source.text == "a local fisherman" and saying.parent == quoted.id
    assert contents(saying) == ["the nets were all torn"] and saying.mode is Mode.DIRECT


def test_clause_reported_by_a_trailing_speaker_nests_the_inner_relation():
    rels = run("He said the ‘Blue Brigade’ had taken control, the network reported.")
    said, reported = one(rels, "said"), one(rels, "reported")
    assert contents(said) == ["the ‘Blue Brigade’ had taken control"] and said.mode is Mode.MIXED
    assert reported.source.text == "the network" and said.parent == reported.id
    assert said.source.type is SourceType.UNNAMED_INDIVIDUAL


# ---------------------------------------------------------------- rules 9 and 10: mode and types
def test_mode_of_spans():
    text = "“All quoted here” and partly “quoted” text"
    quotes = find_quotes(text)
    assert mode_of([(1, 16)], quotes, text) is Mode.DIRECT
    assert mode_of([(22, 42)], quotes, text) is Mode.MIXED
    assert mode_of([(36, 42)], quotes, text) is Mode.INDIRECT


@pytest.mark.parametrize("source, kind", [
    ("state-run television", SourceType.STATE_MEDIA),
    ("the news agency", SourceType.MEDIA),
    ("Some international media outlets", SourceType.MEDIA),
    ("the Northern Observatory for Civil Rights", SourceType.MONITOR),
    ("a rights group", SourceType.MONITOR),
    ("sources in the Interior Ministry", SourceType.OFFICIAL),
    ("regional officials", SourceType.OFFICIAL),
    ("Videos shared on social media", SourceType.DOCUMENT),
    ("local reports", SourceType.DOCUMENT),
    ("The statement", SourceType.DOCUMENT),
    ("Maria Lopez", SourceType.NAMED_PERSON),
    ("the River Valley Farmers Union", SourceType.NAMED_ORG),
    ("UNICEF", SourceType.NAMED_ORG),
    ("an unnamed eyewitness", SourceType.UNNAMED_INDIVIDUAL),
    ("a leader from the remnants of the old militia", SourceType.UNNAMED_INDIVIDUAL),
    ("Residents from the southern valley", SourceType.UNNAMED_GROUP),
    ("Witnesses", SourceType.UNNAMED_GROUP),
    ("they", SourceType.UNNAMED_GROUP),
    (None, SourceType.UNSPECIFIED),
])
def test_source_type_keywords(source, kind):
    assert guess_type(source) is kind


def test_head_of_an_unnamed_source():
    assert head_of("a leader from the remnants of the old militia") == "leader"
    assert head_of("Both the council and farmers") == "farmers"
    assert head_of("Videos emerging from the valley") == "Videos"


def test_a_longer_text_is_deterministic_and_ordered():
    text = ("Floods Hit The Valley\nOfficials said 40 homes were flooded. “It was terrible,” a resident said.\n"
            "According to the Red Crescent, aid arrived late. Looting has been reported in the town.")
    doc = make_document(text)
    first, second = extract(doc), extract(doc)
    check_spans(doc, first)
    assert first == second
    assert [r.cue.text for r in first] == ["said", "said", "According to", "reported"]


# ---------------------------------------------------------------- spaCy extractor
@pytest.fixture(scope="module")
def nlp():
    require_stack("spacy")
    return spacy_attribution.load()


def run_spacy(text: str, nlp) -> list[Relation]:
    doc = make_document(text)
    relations = spacy_attribution.extract(doc, nlp)
    check_spans(doc, relations)
    return relations


def test_spacy_subject_and_ccomp(nlp):
    require_stack("spacy")
    r = one(run_spacy("Jane Porter, a spokeswoman for the port, said that the docks would reopen.", nlp), "said")
    assert r.source.text == "Jane Porter" and contents(r) == ["the docks would reopen"] and r.mode is Mode.INDIRECT


def test_spacy_quote_before_the_speaker(nlp):
    require_stack("spacy")
    r = one(run_spacy("“We saw the water coming,” a witness said.", nlp), "said")
    assert r.source.text == "a witness" and contents(r) == ["We saw the water coming"] and r.mode is Mode.DIRECT


def test_spacy_according_to_and_passive(nlp):
    require_stack("spacy")
    r = one(run_spacy("According to local reports, a curfew was imposed in the town.", nlp), "According to")
    assert r.source.text == "local reports" and contents(r) == ["a curfew was imposed in the town"]
    r = one(run_spacy("It is believed that the dam was poorly maintained.", nlp), "believed")
    assert r.source.span is None and r.source.type is SourceType.UNSPECIFIED
    assert contents(r) == ["the dam was poorly maintained"]


def test_spacy_needs_a_subject_and_a_complement(nlp):
    require_stack("spacy")
    assert run_spacy("The reported clashes ended at noon.", nlp) == []
    assert run_spacy("Officials did not say that the road was closed.", nlp) == []


# ---------------------------------------------------------------- honesty
def test_sources_never_refer_to_the_annotations_or_the_articles():
    for module in (rules_attribution, spacy_attribution, attribution_text):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"\bgold\b|seeds|load_corpus|data_root", source)


def test_the_spacy_module_imports_spacy_lazily():
    source = Path(spacy_attribution.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^(?:import spacy|from spacy)", source, re.MULTILINE)
