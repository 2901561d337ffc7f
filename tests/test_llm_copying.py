"""Copy-constrained answers (prompts 1.2.0 on): the phrases a window offers, and the schema that carries them."""

from __future__ import annotations

import json
import re

from hypothesis import given, settings, strategies as st

from bench.documents.corpus import Document
from bench.documents.windows import WindowStrategy, make_windows
from bench.systems.llm.answers import parse_answer
from bench.systems.llm.prompts import load_prompt
from bench.tasks import all_tasks
from bench.tasks.attribution.task import AttributionTask
from bench.tasks.copying import clause_phrases
from bench.tasks.copying import phrases as all_phrases
from bench.tasks.llm import choices
from bench.tasks.ner.llm import BY_LABEL_KEYS, name_like, starts_name
from bench.tasks.ner.task import NerTask
from testkit.llm_fakes import FakeServer
from test_llm_windows import bench

NER, ATTRIBUTION = NerTask(), AttributionTask()


def phrases(doc, start, end, limit, capitalised=False):
    """The copy rule's phrases; `capitalised`: NER's name rule (prompts 1.3.0)."""
    if capitalised:
        return all_phrases(doc, start, end, limit, name_like, starts_name)
    return all_phrases(doc, start, end, limit)


def document(text: str) -> Document:
    return Document("t", text, "0" * 64, None)  # type: ignore[arg-type]


WORDS = st.sampled_from(["Ali", "al", "-", "Assad", "U", ".", "S", ",", "said", "the", "Red", "Crescent", "’", "s", "12", "(", ")", "\n", "Yes", "!"])


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=40), st.integers(1, 6), st.data())
def test_every_phrase_is_a_token_run_of_the_window_inside_one_sentence(parts, limit, data):
    text = " ".join(parts)
    doc = document(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = phrases(doc, start, end, limit)
    assert len(found) == len(set(found))
    starts, ends = {t.start for t in doc.tokens}, {t.end for t in doc.tokens}
    for phrase in found:
        at = [i for i in range(start, end - len(phrase) + 1) if text.startswith(phrase, i) and i in starts and i + len(phrase) in ends]
        assert at, phrase  # a run of whole tokens inside [start, end)
        assert phrase[0].isalnum() or phrase[0] == "_"
        assert phrase[-1].isalnum() or phrase[-1] == "_" or phrase[-2:] in {"U.", "S."}
        assert "\n" not in phrase
        inside = [t for t in doc.tokens if at[0] <= t.start and t.end <= at[0] + len(phrase)]
        assert len(inside) <= limit
        assert len({doc.sentence_at(t.start).index for t in inside}) == 1


@settings(max_examples=100, deadline=None)
@given(st.lists(st.sampled_from(["Ali", "Hama", "said", "the", "Red", "Crescent", ".", ","]), min_size=1, max_size=30), st.integers(1, 5))
def test_every_run_of_word_tokens_is_offered(parts, limit):
    text = " ".join(parts)
    doc = document(text)
    found = set(phrases(doc, 0, len(text), limit))
    tokens = doc.tokens
    for i in range(len(tokens)):
        for j in range(i, min(i + limit, len(tokens))):
            run = tokens[i : j + 1]
            if run[0].text[0].isalnum() and run[-1].text[0].isalnum() and len({doc.sentence_at(t.start).index for t in run}) == 1:
                assert text[run[0].start : run[-1].end] in found


def test_initials_and_names_with_inner_punctuation_are_offered():
    doc = document("The U.S. envoy met Abu Mohammed al-Jolani in Damascus.")
    found = phrases(doc, 0, len(doc.text), 10)
    assert {"U.S.", "U.S. envoy", "Abu Mohammed al-Jolani", "Damascus"} <= set(found)
    assert "Damascus." not in found and "al-" not in found and "-Jolani" not in found


def test_the_schema_carries_the_windows_phrases_and_the_parser_still_reads_free_text(corpus):
    doc = corpus["003_a061056322098f3b"]
    window = make_windows(doc, WindowStrategy.PARAGRAPH)[1]
    fmt = NER.llm.answer_format("1.2.0")
    offered = choices(fmt, window, doc)
    schema = fmt.schema(fmt.bounds.max_items(window, doc), offered)
    item = schema["properties"]["entities"]["items"]["properties"]["text"]
    assert item == {"enum": offered["text"]} and all(p in window.text(doc) for p in item["enum"])
    for task in all_tasks():  # every constrained field of every task gets its own list
        task_fmt = task.llm.answer_format("1.2.0")
        fields = choices(task_fmt, window, doc)
        assert set(fields) == set(task_fmt.copy.max_tokens) and all(fields.values())
    # a field with nothing to copy allows no record at all
    assert fmt.schema(5, {"text": []})["properties"]["entities"]["maxItems"] == 0
    # the parser checks the free-text bounded schema: a string outside the list is the scorer's `ungrounded`, not a failure
    answer = json.dumps({"entities": [{"text": "Nowhere", "label": "GPE"}]})
    parsed = parse_answer(NER, fmt, answer, doc, "t", max_items=5)
    assert parsed.failure is None and parsed.items[0].text == "Nowhere"


def test_the_copy_rule_is_part_of_the_prompt_identity():
    for task in all_tasks():
        new, old = load_prompt(task, version="1.2.0"), load_prompt(task, version="1.1.0")
        assert new.format.copy is not None and old.format.copy is None and new.sha256 != old.sha256
        assert load_prompt(task).version == "1.3.0"


def test_the_endpoint_is_sent_the_phrases_and_1_1_0_is_not(tmp_path, corpus):
    with FakeServer() as server:
        spec = f"openai:fake@{server.url}"
        # --max-enum 0: every window whole (seven 1.2.0 paragraphs are over OpenAI's 15,000-character cap: tests/test_schema_limits.py)
        assert bench(tmp_path / "c", "eval", spec, "--task", "ner", "--window", "paragraph", "--prompt-version", "1.2.0", "--max-enum", "0", "--out", str(tmp_path / "a.json")).returncode == 0
        constrained = server.requests[:]
        old = bench(tmp_path / "c", "eval", spec, "--task", "ner", "--window", "paragraph", "--prompt-version", "1.1.0", "--out", str(tmp_path / "b.json"))
        assert old.returncode == 0 and len(server.requests) == 2 * len(constrained)  # another prompt identity: no cache hit
    docs = list(corpus.values())
    windows = [w for d in docs for w in make_windows(d, WindowStrategy.PARAGRAPH)]
    sent = [r["response_format"]["json_schema"]["schema"]["properties"]["entities"]["items"]["properties"]["text"] for r in constrained]
    fmt = NER.llm.answer_format("1.2.0")
    expected = [choices(fmt, w, d)["text"] for d in docs for w in make_windows(d, WindowStrategy.PARAGRAPH)]
    assert len(sent) == len(windows) and sorted(s["enum"] for s in sent) == sorted(expected)
    free = server.requests[len(constrained)]["response_format"]["json_schema"]["schema"]["properties"]["entities"]["items"]["properties"]["text"]
    assert free == {"type": "string", "minLength": 1, "maxLength": 100}


# Prompts 1.3.0: names look like names, contents are sentence prefixes or suffixes.


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(WORDS, st.sampled_from([" ", ""])), max_size=40), st.integers(1, 6))
def test_a_capitalised_phrase_is_a_phrase_that_starts_and_ends_like_a_name(parts, limit):
    text = "".join(word + space for word, space in parts)
    doc = document(text)
    every, names = phrases(doc, 0, len(text), limit), phrases(doc, 0, len(text), limit, capitalised=True)
    assert set(names) <= set(every)  # the same copy rule, narrowed
    for phrase in every:
        words = re.findall(r"\w+", phrase)
        hyphened = re.match(r"(\w+)-(\w+)", phrase)  # "al-Assad": a lower-case particle, then a word holding a capital
        particle = hyphened is not None and hyphened.group(1).islower() and any(c.isupper() for c in hyphened.group(2))
        joined = all(any(c.isupper() for c in w) or len(w) <= 3 for w in words[1:-1])
        marks = re.findall(r"[^\w\s]", phrase)
        clean = all(m in "-'’.&" for m in marks) and not re.search(r"\s[-'’.&]\s", phrase)
        looks_like_a_name = (any(c.isupper() for c in words[0]) or particle) and any(c.isupper() for c in words[-1]) and joined and clean
        assert (phrase in names) == looks_like_a_name, phrase


def test_names_with_particles_and_initials_are_offered_and_sentence_starts_are_cut_short():
    doc = document("Monitors said al-Jolani met U.S. envoys in Damascus. The Red Crescent of Hama helped the Harrow Front (HF) and Bell/Ash.")
    found = set(phrases(doc, 0, len(doc.text), 10, capitalised=True))
    assert {"Harrow Front", "HF", "Bell", "Ash"} <= found and not {"Harrow Front (HF", "Bell/Ash"} & found
    assert {"al-Jolani", "U.S.", "Damascus", "The Red Crescent of Hama", "Red Crescent", "Hama", "Monitors"} <= found
    assert not {"Monitors said", "al", "envoys", "Damascus.", "Hama helped", "met U.S.", "U.S. envoys in Damascus"} & found
    assert "Monitors said al-Jolani" not in found and "Jolani met U" in found  # a short word may join: the model still picks the name


@settings(max_examples=200, deadline=None)
@given(st.lists(WORDS, max_size=40), st.data())
def test_a_content_phrase_is_a_sentence_prefix_or_suffix_of_word_tokens(parts, data):
    text = " ".join(parts)
    doc = document(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    found = clause_phrases(doc, start, end)
    assert len(found) == len(set(found))
    expected = set()
    for sentence in doc.sentences:
        words = [t for t in doc.tokens[sentence.token_start : sentence.token_end] if start <= t.start and t.end <= end and re.match(r"\w", t.text)]
        for t in words:
            expected |= {text[words[0].start : t.end], text[t.start : words[-1].end]}
    assert set(found) == expected


def test_the_1_3_0_schemas_list_names_by_label_and_contents_by_sentence(corpus):
    doc = corpus["003_a061056322098f3b"]
    window = make_windows(doc, WindowStrategy.PARAGRAPH)[1]
    ner, attribution = load_prompt(NER, version="1.3.0"), load_prompt(ATTRIBUTION, version="1.3.0")
    assert ner.format.copy.accept and attribution.format.copy.clauses and "entities" in load_prompt(NER, version="1.2.0").format.schema()["properties"]
    names = choices(ner.format, window, doc)["text"]
    assert names == [p for p in phrases(doc, window.ground_start, window.ground_end, 10, capitalised=True) if len(p) <= 100]
    schema = ner.format.schema(7, {"text": names})
    assert list(schema["properties"]) == list(BY_LABEL_KEYS) and schema["required"] == list(BY_LABEL_KEYS)
    assert all(v == {"type": "array", "items": {"enum": names}, "maxItems": 7} for v in schema["properties"].values())
    answer = json.dumps({key: [] for key in BY_LABEL_KEYS} | {"people": [names[0]], "countries_cities_and_towns": ["Nowhere"]})
    parsed = parse_answer(NER, ner.format, answer, doc, "t", max_items=7)
    assert parsed.failure is None and [(m.text, m.label) for m in parsed.items] == [(names[0], "PER"), ("Nowhere", "GPE")]
    flat = parse_answer(NER, NER.llm.answer_format("1.2.0"), answer, doc, "t", max_items=7)  # the 1.2.0 form is a schema failure
    assert flat.failure is not None
    fields = choices(attribution.format, window, doc)
    assert fields["content"] == clause_phrases(doc, window.ground_start, window.ground_end) and fields["content"]
    content = attribution.format.schema(3, fields)["properties"]["attributions"]["items"]["properties"]["content"]
    assert content == {"enum": fields["content"]}


def test_the_1_3_0_rules_are_part_of_the_prompt_identity():
    for task in all_tasks():
        new, old = load_prompt(task, version="1.3.0"), load_prompt(task, version="1.2.0")
        if task.name == "casualties":  # same template, same rules: the same identity, so the cache is shared
            assert new.sha256 == old.sha256
        else:
            assert new.sha256 != old.sha256
