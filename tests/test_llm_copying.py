"""Copy-constrained answers (prompts 1.2.0): the phrases a window offers, and the schema that carries them."""

from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from bench.documents.corpus import Document
from bench.systems.llm.answers import answer_schema, parse_answer
from bench.systems.llm.copying import COPY_FIELDS, choices, phrases
from bench.systems.llm.prompts import load_prompt
from bench.systems.llm.windows import WindowStrategy, make_windows, max_items
from bench.tasks.base import TaskName
from bench.tasks.ner.task import NerTask
from llm_fakes import FakeServer
from test_llm_windows import bench


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
    window = make_windows(doc, WindowStrategy.PARAGRAPH, TaskName.NER)[1]
    offered = choices(TaskName.NER, doc, window.ground_start, window.ground_end)
    schema = answer_schema(TaskName.NER, max_items(TaskName.NER, window, doc), offered)
    item = schema["properties"]["entities"]["items"]["properties"]["text"]
    assert item == {"enum": offered["text"]} and all(p in window.text(doc) for p in item["enum"])
    for task in TaskName:  # every constrained field of every task gets its own list
        fields = choices(task, doc, window.ground_start, window.ground_end)
        assert set(fields) == set(COPY_FIELDS[task]) and all(fields.values())
    # a field with nothing to copy allows no record at all
    assert answer_schema(TaskName.NER, 5, {"text": []})["properties"]["entities"]["maxItems"] == 0
    # the parser checks the free-text bounded schema: a string outside the list is the scorer's `ungrounded`, not a failure
    answer = json.dumps({"entities": [{"text": "Nowhere", "label": "GPE"}]})
    parsed = parse_answer(NerTask(), answer, doc, "t", max_items=5)
    assert parsed.failure is None and parsed.items[0].text == "Nowhere"


def test_the_copy_rule_is_part_of_the_prompt_identity():
    for task in TaskName:
        new, old = load_prompt(task, version="1.2.0"), load_prompt(task, version="1.1.0")
        assert new.copies and not old.copies and new.sha256 != old.sha256
        assert load_prompt(task).version == "1.2.0"


def test_the_endpoint_is_sent_the_phrases_and_1_1_0_is_not(tmp_path, corpus):
    with FakeServer() as server:
        spec = f"openai:fake@{server.url}"
        assert bench(tmp_path / "c", "eval", spec, "--task", "ner", "--window", "paragraph", "--out", str(tmp_path / "a.json")).returncode == 0
        constrained = server.requests[:]
        old = bench(tmp_path / "c", "eval", spec, "--task", "ner", "--window", "paragraph", "--prompt-version", "1.1.0", "--out", str(tmp_path / "b.json"))
        assert old.returncode == 0 and len(server.requests) == 2 * len(constrained)  # another prompt identity: no cache hit
    docs = list(corpus.values())
    windows = [w for d in docs for w in make_windows(d, WindowStrategy.PARAGRAPH, TaskName.NER)]
    texts = {d.id: d for d in docs}
    sent = [r["response_format"]["json_schema"]["schema"]["properties"]["entities"]["items"]["properties"]["text"] for r in constrained]
    expected = [choices(TaskName.NER, d, w.ground_start, w.ground_end)["text"] for d in texts.values() for w in make_windows(d, WindowStrategy.PARAGRAPH, TaskName.NER)]
    assert len(sent) == len(windows) and sorted(s["enum"] for s in sent) == sorted(expected)
    free = server.requests[len(constrained)]["response_format"]["json_schema"]["schema"]["properties"]["entities"]["items"]["properties"]["text"]
    assert free == {"type": "string", "minLength": 1, "maxLength": 100}
