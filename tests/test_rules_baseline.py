"""The `rules` baseline: each rule class fires on small invented sentences, the output is
token-aligned, non-overlapping and deterministic, and the baseline never reads gold."""

from __future__ import annotations

import builtins
import importlib
import io
from pathlib import Path

import pytest

from baselines import rules, rules_ner
from baselines.rules_ner import tag
from bench.documents.corpus import ArticleMeta, Document
from bench.documents.tokenize import tokenize
from bench.systems.base import System
from bench.tasks.base import TaskName
from bench.tasks.ner.labels import NerLabel
from bench.tasks.ner.types import PredictedMention

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "seeds").glob("*.txt"))


def mentions(text: str) -> set[tuple[str, str]]:
    return {(text[s:e], label) for s, e, label in tag(text)}


def texts(text: str) -> set[str]:
    return {text[s:e] for s, e, _ in tag(text)}


# --- each rule class fires ---------------------------------------------------------------


def test_gazetteer_country_and_city():
    found = mentions("Aid convoys left Amman for the border with Iraq on Monday.")
    assert ("Amman", "GPE") in found and ("Iraq", "GPE") in found


def test_norp_adjective_religion_and_plural():
    found = mentions("The Iraqi delegation met Druze elders and several Kurds near the border.")
    assert {("Iraqi", "NORP"), ("Druze", "NORP"), ("Kurds", "NORP")} <= found
    assert ("Yazidis", "NORP") in mentions("Many Yazidis returned home.")


def test_adjacent_norp_names_are_split():
    assert {("Sunni", "NORP"), ("Kurdish", "NORP")} <= mentions("He spoke to Sunni Kurdish farmers.")


def test_org_head_word_and_connector():
    text = "A spokesman for the Regional Water Authority and the Ministry of Public Health declined to comment."
    found = mentions(text)
    assert ("Regional Water Authority", "ORG") in found
    assert ("Ministry of Public Health", "ORG") in found


def test_two_ministries_joined_by_and_stay_separate():
    found = mentions("Officials from the Ministry of Energy and Ministry of Transport met.")
    assert {("Ministry of Energy", "ORG"), ("Ministry of Transport", "ORG")} <= found


def test_title_before_person_is_left_out():
    found = mentions("On Tuesday President Karim Haddad visited the new port.")
    assert ("Karim Haddad", "PER") in found
    assert not any("President" in t for t, _ in found)


def test_lower_case_role_cue_and_arabic_particle():
    found = mentions("Local commander Yusuf al-Masri denied the report.")
    assert ("Yusuf al-Masri", "PER") in found


def test_surname_propagates_as_person():
    found = mentions("The envoy Nadia Qasimi arrived late. Officials said Qasimi would stay a week.")
    assert ("Nadia Qasimi", "PER") in found
    assert sum(1 for t, label in found if t == "Qasimi" and label == "PER") == 1


def test_acronym_in_parentheses_takes_label_and_propagates():
    text = (
        "Troops entered the Democratic Republic of Zembla (DRZ) at dawn.\n"
        "By noon DRZ officials had closed the airport."
    )
    spans = [(text[s:e], label) for s, e, label in tag(text)]
    assert ("Democratic Republic of Zembla", "GPE") in spans
    assert spans.count(("DRZ", "GPE")) == 2


def test_unknown_acronym_defaults_to_org():
    assert ("WFZ", "ORG") in mentions("The report by WFZ was published on Friday.")


def test_hyphenated_modifiers_keep_only_the_name():
    found = mentions("The Hezbollah-backed candidate met pro-Iran militias and Kurdish-led units.")
    assert {("Hezbollah", "ORG"), ("Iran", "GPE"), ("Kurdish", "NORP")} <= found
    assert not any("-" in t for t, _ in found)


def test_possessive_is_excluded():
    found = mentions("Egypt’s foreign minister praised Lebanon's army.")
    assert {("Egypt", "GPE"), ("Lebanon", "GPE")} <= found


def test_sentence_initial_common_word_not_tagged():
    text = "Witnesses said the convoy was hit. Residents fled toward Homs. Several shops were closed."
    found = texts(text)
    assert "Homs" in found
    assert not {"Witnesses", "Residents", "Several"} & found


def test_weekdays_and_determiners_are_not_names():
    found = texts("The talks resumed on Thursday in the capital, The officials said.")
    assert not {"Thursday", "The"} & found


def test_preposition_cue_gives_gpe():
    assert ("Qusrani", "GPE") in mentions("Fighting was reported in Qusrani overnight.")


def test_place_word_after_gives_gpe_without_the_word():
    assert ("Zarwan", "GPE") in mentions("Shelling hit villages across the Zarwan countryside.")


def test_facility_word_is_part_of_the_name():
    assert ("Marwa airbase", "FAC") in mentions("Jets took off from the Marwa airbase before dawn.")


def test_coordination_spreads_gpe():
    assert ("Telkalah", "GPE") in mentions("Curfews were imposed on Aleppo, Hama and Telkalah.")


def test_title_case_headline_needs_support():
    text = "Heavy Storms Batter Coastal Villages in Lebanon\n\nRain fell on Tuesday."
    found = mentions(text)
    assert found == {("Lebanon", "GPE")}


def test_lower_case_headline_repeat_finds_known_names():
    text = "Ministers of Jordan met Benjamin Netanyahu.\n\nministers of jordan met netanyahu in private"
    found = [(text[s:e], label) for s, e, label in tag(text)]
    assert ("netanyahu", "PER") in found
    assert ("jordan", "GPE") not in found  # a common word: never matched in lower case


def test_caps_dateline_uses_gazetteer_only():
    found = mentions("BEIRUT, LEBANON - JUNE 3: A man walks past a shop.")
    assert found == {("BEIRUT", "GPE"), ("LEBANON", "GPE")}


def test_the_west_as_a_place():
    assert ("west", "LOC") in mentions("The group was backed by the west and its allies.")
    assert not mentions("Rain fell in the west of the valley.")


# --- output properties -------------------------------------------------------------------

INVENTED = (
    "UN envoy Mariam Saleh (UNE) said the Syrian Arab Red Crescent reached Idlib city.\n"
    "The Al-Qaeda-linked group and the Popular Defence Forces clashed near the Haddar airport; "
    "Saleh's office, the Ministry of Defence and al-Nusra said nothing. Turkish-backed units left."
)


@pytest.mark.parametrize("text", [INVENTED, "", "   \n", "no capitals here at all"] + [p.read_text("utf-8") for p in SEEDS])
def test_spans_are_token_aligned_sorted_and_non_overlapping(text):
    toks = tokenize(text)
    starts, ends = {t.start for t in toks}, {t.end for t in toks}
    spans = tag(text)
    assert spans == sorted(spans)
    for (s, e, label), nxt in zip(spans, spans[1:] + [None]):
        assert s in starts and e in ends and s < e
        assert label in {lab.value for lab in NerLabel}
        assert text[s:e] == text[s:e].strip()
        assert text[s:e].lower() not in {"the", "a", "an"}
        assert not text[s:e].endswith(("’s", "'s"))
        if nxt is not None:
            assert e <= nxt[0]


def test_deterministic():
    assert tag(INVENTED) == tag(INVENTED)
    assert tag(INVENTED + "\n") [: len(tag(INVENTED))] == tag(INVENTED)


# --- the system ----------------------------------------------------------------------------


def _doc(text: str, doc_id: str = "x") -> Document:
    meta = ArticleMeta(id=doc_id, outlet=None, headline="", date="2025-01-01", date_as_written="", byline=None, sha256="")
    return Document(doc_id, text, "", meta)


def test_system_protocol_and_predictions():
    system = rules.create()
    assert isinstance(system, System)
    assert system.name == "rules" and system.version == "1.0.0" and system.tasks == frozenset({TaskName.NER})
    docs = [_doc(INVENTED, "a"), _doc("Nothing here.", "b")]
    preds = system.predict(docs)
    assert [p.doc_id for p in preds] == ["a", "b"]
    items = preds[0].for_task(TaskName.NER)
    assert items and all(isinstance(m, PredictedMention) for m in items)
    assert all(m.text == INVENTED[m.start : m.end] for m in items)


# --- never reads gold ------------------------------------------------------------------------


def test_sources_never_reference_the_gold_directory():
    for path in (REPO / "baselines" / "rules_ner.py", REPO / "baselines" / "rules.py", REPO / "baselines" / "gazetteer.json"):
        source = path.read_text(encoding="utf-8")
        assert "gold/" not in source and "gold\\" not in source, path
        assert "load_gold" not in source and "data_root" not in source, path


def test_no_file_under_gold_is_opened(monkeypatch):
    opened: list[str] = []
    real_open, real_io_open = builtins.open, io.open

    def spy(file, *args, **kwargs):
        opened.append(str(file))
        return real_open(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", spy)
    monkeypatch.setattr(io, "open", spy)
    rules_ner._gazetteer.cache_clear()
    importlib.reload(rules_ner)
    importlib.reload(rules)
    rules.create().predict([_doc(p.read_text("utf-8"), p.stem) for p in SEEDS] + [_doc(INVENTED)])
    monkeypatch.setattr(builtins, "open", real_open)
    monkeypatch.setattr(io, "open", real_io_open)
    assert opened, "the spy saw no file at all (the gazetteer should have been read)"
    assert not [f for f in opened if "gold" in Path(f).parts]
