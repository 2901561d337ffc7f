"""The source head rule (bench/tasks/attribution/sources.py, GUIDELINES.md 3.6) and the
cue head rule (cues.py), table by table: phrase, gold, expected. Names come from the
NER gold, as in scoring; the rows are written from the guidelines and from reading."""

from __future__ import annotations

import pytest

from bench.tasks.attribution.cues import head
from bench.tasks.attribution.sources import alias_index, judge, read_source, singular
from bench.tasks.attribution.task import AttributionTask

D0 = "000_5cf36fedf2077db3"


@pytest.fixture(scope="module")
def index(corpus):
    gold = AttributionTask().load_gold(corpus.root, corpus)
    return alias_index(gold[D0].entity_names)


# (predicted phrase, gold entity id, right?)
NAMED = [
    # PARC full noun phrases: determiners, descriptors, appositions, acronyms, self-naming.
    ("The National", "the_national", True),
    ("the National", "the_national", True),
    ("The Emirati newspaper The National", "the_national", True),
    ("The Emirati newspaper\u00a0The National", "the_national", True),
    ("The National’s", "the_national", True),
    ("the newspaper, The National", "the_national", True),
    ("The National, in part citing the SOHR", "the_national", True),
    ("SOHR", "sohr", True),
    ("the SOHR", "sohr", True),
    ("Syrian Observatory for Human Rights", "sohr", True),
    ("the non-governmental organization the Syrian Observatory for Human Rights (SOHR)", "sohr", True),
    ("the Syrian Observatory for Human Rights (SOHR", "sohr", True),
    ("the UK-based Syrian Observatory for Human Rights, a monitoring group", "sohr", True),
    ("Fadel Abdul Ghany", "fadel_abdul_ghany", True),
    ("Fadel Abdul Ghany, executive director of the Syrian Network for Human Rights", "fadel_abdul_ghany", True),
    ("the executive director of the Syrian Network for Human Rights, Fadel Abdul Ghany", "fadel_abdul_ghany", True),
    ("The regime-controlled Syrian Arab News Agency (SANA)", "sana", True),
    ("Syria’s state news agency SANA", "sana", True),
    ("SANA", "sana", True),
    ("a group calling itself the Military Council for the Liberation of Syria", "mclsyria", True),
    ("a group identifying itself as the Military Council for the Liberation of Syria", "mclsyria", True),
    ("Military Council for the Liberation of Syria", "mclsyria", True),
    ("Alawites", "alawites", True),
    ("President Ahmed al-Sharaa – formerly known as Abu Mohammed al-Julani", "ahmed_al_sharaa", True),
    ("Abu Mohammed al-Jolani", "ahmed_al_sharaa", True),
    ("the HTS-led Ministry of Defense", "syria_mod", True),
    # Something else that merely contains the name.
    ("sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", "hts", False),
    ("sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", "syria_mod", False),
    ("sources close to The National", "the_national", False),
    ("sources close to the SOHR", "sohr", False),
    ("a leader from the remnants of Assad’s forces", "bashar_al_assad", False),
    ("Assad’s forces", "bashar_al_assad", False),
    ("supporters of the new government", "hts", False),
    ("HTS-linked extremist groups", "hts", False),
    ("the HTS-led regime", "hts", False),
    ("the head of SOHR", "sohr", False),
    ("a spokesman for The National", "the_national", False),
    ("officials loyal to Assad", "bashar_al_assad", False),
    ("the SOHR director", "sohr", False),
    ("the Syrian Observatory", "sohr", False),
    ("Observatory", "sohr", False),
    # Two different entities.
    ("SOHR and The National", "sohr", False),
    ("The National and SOHR", "sohr", False),
    ("The National, SOHR", "the_national", False),
    ("SOHR along with The National", "sohr", False),
    ("SOHR as well as local media", "sohr", False),
    ("The Regime-controlled Syrian Arab News Agency (SANA) and the SOHR", "sana", False),
    ("The National, in part citing the SOHR", "sohr", False),
    ("Fadel Abdul Ghany, executive director of the Syrian Network for Human Rights", "snhr", False),
    ("the Syrian Network for Human Rights", "fadel_abdul_ghany", False),
    # Not the entity at all, or no source.
    ("SANA", "sohr", False),
    ("local media", "the_national", False),
    ("", "sohr", False),
]


@pytest.mark.parametrize("phrase, entity, right", NAMED)
def test_named_source(index, phrase, entity, right):
    judgement = judge(phrase, "gold span", entity, None, index)
    assert judgement.right is right, judgement


# (predicted phrase, gold head word, gold span, right?)
UNNAMED = [
    ("local reports", "reports", "local reports", True),
    ("a local report", "reports", "local reports", True),
    ("reports", "reports", "local reports", True),
    ("an unnamed eyewitness", "eyewitness", "an unnamed eyewitness", True),
    ("an eyewitness", "eyewitness", "an unnamed eyewitness", True),
    ("eyewitnesses", "eyewitness", "an unnamed eyewitness", True),
    ("Videos emerging from the clashes in Latakia", "Videos", "Videos emerging from the clashes in Latakia", True),
    ("Videos shared on social media", "Videos", "Videos shared on social media", True),
    ("a video", "Videos", "Videos shared on social media", True),
    ("sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", "sources", "sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", True),
    ("Ministry of Defense sources", "sources", "sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", True),
    ("sources close to the ministry", "sources", "sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", True),
    ("Both the HTS-led regime and locals", "locals", "Both the HTS-led regime and locals", True),
    ("locals", "locals", "Both the HTS-led regime and locals", True),
    ("HTS-linked extremist groups and supporters of the new government", "supporters", "HTS-linked extremist groups and supporters of the new government", True),
    ("many Sunni opponents of the Assad regime", "opponents", "many Sunni opponents of the Assad regime", True),
    ("a person calling themselves the leader of the Coastal Shield Forces", "person", "a person calling themselves the leader of the Coastal Shield Forces", True),
    ("the leader of the Coastal Shield Forces", "person", "a person calling themselves the leader of the Coastal Shield Forces", True),
    ("HTS regime-affiliated officials", "officials", "HTS regime-affiliated officials", True),
    ("Alawite people", "people", "Alawite people", True),
    # Another head noun, a name, or a coordination that adds a name.
    ("the HTS-led regime", "locals", "Both the HTS-led regime and locals", False),
    ("the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", "sources", "sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", False),
    ("Hayat Tahrir al-Sham", "sources", "sources in the Hayat Tahrir al-Sham (HTS)-led Ministry of Defense", False),
    ("local media", "reports", "local reports", False),
    ("SOHR", "groups", "Monitor groups", False),
    ("social media", "Videos", "Videos shared on social media", False),
    ("the Coastal Shield Forces", "person", "a person calling themselves the leader of the Coastal Shield Forces", False),
    ("Assad and his family are Alawites and many Sunni opponents of the Assad regime", "opponents", "many Sunni opponents of the Assad regime", False),
    ("SOHR and locals", "locals", "Both the HTS-led regime and locals", False),
    ("locals along with the SOHR", "locals", "Both the HTS-led regime and locals", False),
    ("the Alawite community in Syria", "Residents", "Residents from the Alawite community in Syria", False),
    ("", "locals", "Locals", False),
]


@pytest.mark.parametrize("phrase, head_word, gold_span, right", UNNAMED)
def test_unnamed_source(index, phrase, head_word, gold_span, right):
    judgement = judge(phrase, gold_span, None, head_word, index)
    assert judgement.right is right, judgement


@pytest.mark.parametrize("phrase, right", [(None, True), ("", True), ("officials", False), ("it", False)])
def test_agentless_gold_wants_no_source(index, phrase, right):
    assert judge(phrase, None, None, None, index).right is right


def test_reading_shows_the_compared_heads(index):
    reading = read_source("The Emirati newspaper The National, in part citing the SOHR", index)
    assert reading.head.entities == {"the_national"} and reading.others == ()
    judgement = judge("sources close to The National", "The National", "the_national", None, index)
    assert judgement.compared == "'sources'" and "not a mention" in judgement.why


@pytest.mark.parametrize("plural, single", [("sources", "source"), ("eyewitnesses", "eyewitness"), ("people", "person"), ("media", "media"), ("statement", "statement"), ("authorities", "authority")])
def test_singular(plural, single):
    assert singular(plural) == singular(single) == single


# (text of a cue in the article, its head word or None)
CUES = [
    ("have called", "called"),
    ("is believed", "believed"),
    ("have also been reported", "reported"),
    ("according to", "according"),
    ("in part citing", "citing"),
    ("calls for", "calls"),
    ("reported", "reported"),
]


@pytest.mark.parametrize("text, expected", CUES)
def test_cue_head(corpus, text, expected):
    document = next(d for d in corpus.values() if text in d.text)
    start = document.text.index(text)
    found = head(document, start, start + len(text))
    assert (document.text[found[0] : found[1]] if found else None) == expected


def test_a_function_word_alone_has_no_head(corpus):
    document = corpus[D0]
    start = document.text.index("according to") + len("according ")
    assert head(document, start, start + 2) is None  # "to"
