"""The `rules` baseline on invented sentences only (it never sees the benchmark texts)."""

from __future__ import annotations

import hashlib
import random
import re
from pathlib import Path

import pytest

from bench.systems.rules import casualties as rules_casualties
from bench.systems.rules import ner as rules_ner
from bench.systems.rules import system as rules
from bench.systems.rules.system import RulesSystem, create
from bench.systems.rules.ner import load_gazetteer, tag
from bench.documents.corpus import ArticleMeta, Document
from bench.documents.tokenize import tokenize
from bench.systems.base import DocumentPrediction, System
from bench.tasks.registry import TaskName
from bench.tasks.ner.types import PredictedMention

LABELS = {"PER", "ORG", "GPE", "LOC", "FAC", "NORP", "EVENT"}

TEXT = """Gunmen Kill Dozens In Coastal Villages As Syrian Forces Battle Assad Loyalists
BEIRUT (AP) — Fighting spread across western Syria on Friday, the Syrian Observatory for Human Rights (SOHR) said.
Syrian President Ahmed al-Sharaa met UN envoy Geir Pedersen in Damascus. Sharaa promised calm.
Residents of Jableh said fighters from Hayat Tahrir al-Sham stormed the Mezzeh airbase.
"We are afraid," said Umm Ahmad, 54, a resident of Baniyas. SOHR counted 40 dead near Hama.
The UN-backed talks were praised by pro-Kremlin media and the Kurdistan Workers' Party.
Supporters of Bashar al-Assad fled to the mountains.
gunmen kill dozens in coastal villages as syrian forces battle assad loyalists
"""


def spans(text: str) -> dict[str, str]:
    return {text[s:e]: label for s, e, label in tag(text)}


def has(text: str, name: str, label: str) -> bool:
    return any(text[s:e] == name and lab == label for s, e, lab in tag(text))


# -- each rule fires -------------------------------------------------------------------

@pytest.mark.parametrize(
    "text, name, label",
    [
        # 1. units: Arabic particles, inner apostrophes, dotted acronyms, possessives
        ("Officials met Bashar al-Assad in Moscow.", "Bashar al-Assad", "PER"),
        ("Fighters of Hay'at Tahrir al-Sham advanced.", "Hay'at Tahrir al-Sham", "ORG"),
        ("Aid came from the U.S. and Qatar.", "U.S.", "GPE"),
        ("Observers cited Lebanon's army.", "Lebanon", "GPE"),
        # 2. hyphenated modifiers
        ("The UN-backed plan failed.", "UN", "ORG"),
        ("Protesters waved pro-Kremlin flags.", "Kremlin", "ORG"),
        ("The Israel-Hamas truce held.", "Hamas", "ORG"),
        # 4. runs with of/for after a head word
        ("Officials at the Ministry of Defence denied it.", "Ministry of Defence", "ORG"),
        ("Ships crossed the Gulf of Aden.", "Gulf of Aden", "LOC"),
        # 6. gazetteer, facility word after a GPE
        ("Flights left Damascus airport on time.", "Damascus airport", "FAC"),
        ("Many Alawites and Druze stayed.", "Alawites", "NORP"),
        ("The Arab Spring changed the region.", "Arab Spring", "EVENT"),
        # 7. titles are left out
        ("Syrian President Ahmed al-Sharaa spoke.", "Ahmed al-Sharaa", "PER"),
        ("Syrian President Ahmed al-Sharaa spoke.", "Syrian", "NORP"),
        ("Talks with Defence Minister Murhaf Abu Qasra ended.", "Murhaf Abu Qasra", "PER"),
        ("Aides of Lt. Col. Karim Haddad left.", "Karim Haddad", "PER"),
        # 8. head words
        ("Troops of the Coastal Shield Brigade deployed.", "Coastal Shield Brigade", "ORG"),
        ("Villagers fled into the Alawite Mountains.", "Alawite Mountains", "LOC"),
        ("Jets took off from Hmeimim Air Base.", "Hmeimim Air Base", "FAC"),
        ("Veterans of the Battle of Aleppo met.", "Battle of Aleppo", "EVENT"),
        ("Officers from the Interior Ministry arrived.", "Interior Ministry", "ORG"),
        # 9. person cues
        ("Zuhair Makhlouf said the road was closed.", "Zuhair Makhlouf", "PER"),
        ("Neighbours found Ibrahim, 34, hiding.", "Ibrahim", "PER"),
        ("Fighters loyal to Abu Mohammed al-Jolani arrived.", "Abu Mohammed al-Jolani", "PER"),
        ("His spokesman Omer Celik denied it.", "Omer Celik", "PER"),
        # 11. unknown names in context
        ("Shelling hit homes in Qardaha overnight.", "Qardaha", "GPE"),
        ("Clashes spread to the town of Beit Ana.", "Beit Ana", "GPE"),
        ("Clashes spread through Marqab countryside.", "Marqab", "GPE"),
        ("Shells fell on Mezzeh airbase.", "Mezzeh airbase", "FAC"),
        ("Looting hit Latakia, Jableh and Baniyas.", "Baniyas", "GPE"),
        ("Members of the XYZQ group protested.", "XYZQ", "ORG"),
        ("Old Trotskyists marched.", "Trotskyists", "NORP"),
        ("JABLEH, Syria (Reuters) - Shops reopened.", "JABLEH", "GPE"),
        # 15. lower-case gazetteer names
        ("our correspondent in damascus reports", "damascus", "GPE"),
    ],
)
def test_rule_fires(text, name, label):
    assert has(text, name, label), spans(text)


def test_aleppo_province_leaves_out_the_place_word():
    text = "Clashes erupted in Aleppo province and Homs Governorate."
    assert spans(text) == {"Aleppo": "GPE", "Homs": "GPE"}


def test_acronym_in_parentheses_takes_the_label_everywhere():
    text = "The Coastal Shield Brigade (CSB) deployed. Later CSB commanders left. Critics blamed CSB."
    found = [(text[s:e], lab) for s, e, lab in tag(text)]
    assert found.count(("CSB", "ORG")) == 3


def test_surname_alone_after_the_full_name():
    text = "Villagers met Ahmad Khalil on Monday. Khalil was freed later."
    assert [text[s:e] for s, e, lab in tag(text) if lab == "PER"] == ["Ahmad Khalil", "Khalil"]


def test_headline_common_words_are_not_names_but_names_recur():
    found = spans(TEXT)
    for word in ("Gunmen", "Kill", "Dozens", "Coastal", "Villages", "Forces", "Battle", "Loyalists"):
        assert not any(word in name for name in found), found
    assert found["Assad"] == "PER"  # the surname of Bashar al-Assad, found again in the headline
    lower = TEXT.splitlines()[-1]
    offset = TEXT.index(lower)
    lowered = {TEXT[s:e]: lab for s, e, lab in tag(TEXT) if s >= offset}
    assert lowered == {"syrian": "NORP", "assad": "PER"}


def test_sentence_initial_and_dateline_words():
    text = "BEIRUT (AP) — But Ahmed said Monday's attack was different. Local sources told Enab Baladi."
    found = spans(text)
    assert found == {"BEIRUT": "GPE", "AP": "ORG", "Ahmed": "PER", "Enab Baladi": "ORG"}


def test_dates_titles_alone_and_quotes_are_not_names():
    text = 'On Friday the President\'s office said "We Will Not Leave" in March.'
    assert tag(text) == []


def test_whole_text_example():
    found = spans(TEXT)
    expected = {
        "Syrian": "NORP", "BEIRUT": "GPE", "AP": "ORG", "Syria": "GPE",
        "Syrian Observatory for Human Rights": "ORG", "SOHR": "ORG", "Ahmed al-Sharaa": "PER", "UN": "ORG",
        "Geir Pedersen": "PER", "Damascus": "GPE", "Sharaa": "PER", "Jableh": "GPE",
        "Hayat Tahrir al-Sham": "ORG", "Mezzeh airbase": "FAC", "Umm Ahmad": "PER", "Baniyas": "GPE",
        "Hama": "GPE", "Kremlin": "ORG", "Kurdistan Workers' Party": "ORG", "Bashar al-Assad": "PER",
    }
    for name, label in expected.items():
        assert found.get(name) == label, (name, found)


# -- output contract -----------------------------------------------------------------

def test_output_is_token_aligned_sorted_non_overlapping_and_deterministic():
    texts = [TEXT, "", "   \n", "a", "ISIS", "al-", "-Assad", "U.S.", "“Quote”", "Ali's", "X-Y-Z of the And"]
    for text in texts:
        out = tag(text)
        starts = {t.start for t in tokenize(text)}
        ends = {t.end for t in tokenize(text)}
        assert out == sorted(out)
        for (s, e, label), nxt in zip(out, out[1:] + [None]):
            assert s in starts and e in ends and s < e and label in LABELS
            assert nxt is None or e <= nxt[0]
        assert tag(text) == out


def test_random_fragments_never_break_the_contract():
    rng = random.Random(7)
    pieces = ["al-", "Assad", "U", ".", "S", "\n", "(", "SOHR", ")", "'s", "’", "Hay'at", "in", "Latakia", "of", "the",
              "Ministry", "said", "President", "Ahmed", ",", "45", "-", "—", "“", "and", "pro-", "-backed", "Abu", "bin"]
    for _ in range(300):
        text = "".join(rng.choice(pieces) + rng.choice(["", " ", "  "]) for _ in range(rng.randint(0, 20)))
        out = tag(text)
        starts, ends = {t.start for t in tokenize(text)}, {t.end for t in tokenize(text)}
        assert out == sorted(out) and all(s in starts and e in ends for s, e, _ in out)
        assert all(a[1] <= b[0] for a, b in zip(out, out[1:]))


def test_gazetteer_is_generic_and_well_formed():
    gaz = load_gazetteer()
    assert load_gazetteer() is gaz  # loaded once
    assert gaz.get("Syria") == "GPE" and gaz.get("who") is None and gaz.get("WHO") == "ORG"
    assert {"ahmed", "john"} <= gaz.first_names and "the" in gaz.common
    assert gaz.c.HEADS["ministry"] == "ORG" and "president" in gaz.c.TITLE_HEADS


# -- the System protocol -------------------------------------------------------------

def make_document(text: str, doc_id: str = "invented-1") -> Document:
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    meta = ArticleMeta(id=doc_id, outlet=None, headline=text.splitlines()[0], date="2025-01-01",
                       date_as_written="1 January 2025", byline=None, sha256=digest)
    return Document(doc_id, text, digest, meta)


def test_system_protocol_on_an_invented_document():
    system = create()
    assert isinstance(system, RulesSystem) and isinstance(system, System)
    assert system.name == "rules" and system.version.startswith("1.3.0 ") and system.tasks == frozenset({TaskName.NER, TaskName.CASUALTIES, TaskName.ATTRIBUTION})
    docs = [make_document(TEXT), make_document("nothing here", "invented-2")]
    predictions = system.predict(docs)
    assert [p.doc_id for p in predictions] == ["invented-1", "invented-2"]
    assert all(isinstance(p, DocumentPrediction) for p in predictions)
    mentions = predictions[0].for_task(TaskName.NER)
    assert mentions and all(isinstance(m, PredictedMention) for m in mentions)
    for m in mentions:
        assert docs[0].is_token_aligned(m.start, m.end) and docs[0].text[m.start:m.end] == m.text
    assert predictions[1].for_task(TaskName.NER) == ()
    assert system.predict(docs) == predictions


def test_sources_never_refer_to_the_gold_or_the_articles():
    for module in (rules, rules_ner, rules_casualties):
        source = Path(module.__file__).read_text(encoding="utf-8")
        assert not re.search(r"\bgold\b|seeds|load_corpus|data_root", source)
