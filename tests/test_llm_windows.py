"""Windowed prompting: windows, grounding inside a window, merging, bounded answers, the cache."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from bench.documents.windows import WindowStrategy, make_windows, paragraphs
from bench.tasks import all_tasks
from bench.tasks.attribution.task import AttributionTask, prepare as prepare_attribution, relation_from_json
from bench.tasks.ner.task import NerTask
from bench.tasks.grounding import Unplaced, occurrences
from bench.tasks.ner.labels import identity_map
from bench.tasks.ner.task import prepare as prepare_ner
from bench.tasks.ner.types import NerGold, PredictedMention
from conftest import REPO
from testkit.llm_fakes import Fault, FakeServer

DOC = "003_a061056322098f3b"
NER, ATTRIBUTION = NerTask(), AttributionTask()


def localise(task, items, window):
    return task.llm.localise(items, window)


@pytest.fixture(scope="module")
def doc(corpus):
    return corpus[DOC]


def no_gold(doc_id: str) -> NerGold:
    return NerGold(doc_id, (), ())


@pytest.mark.parametrize("strategy", list(WindowStrategy))
@pytest.mark.parametrize("context", [False, True])
def test_windows_tile_the_article_in_order(corpus, strategy, context):
    for doc in corpus.values():
        windows = make_windows(doc, strategy, context)
        assert [w.index for w in windows] == list(range(len(windows)))
        assert all(w.ground_start <= w.start < w.end <= w.ground_end for w in windows)
        assert all(a.end <= b.start for a, b in zip(windows, windows[1:]))
        assert len(windows) == {WindowStrategy.DOCUMENT: 1, WindowStrategy.PARAGRAPH: len(paragraphs(doc)), WindowStrategy.SENTENCE: len(doc.sentences)}[strategy]
        # every sentence lies inside exactly one window: nothing is left out
        for s in doc.sentences:
            assert sum(w.start <= s.start and s.end <= w.end for w in windows) == 1


def test_attribution_sentence_windows_show_their_neighbours_as_marked_context(corpus):
    doc = corpus["000_5cf36fedf2077db3"]
    assert ATTRIBUTION.llm.context and not NER.llm.context  # attribution content may cross a sentence
    windows = make_windows(doc, WindowStrategy.SENTENCE, context=True)
    inner = [w for w in windows if w.before and w.after]
    assert inner, "some sentence has a neighbour on both sides in its paragraph"
    w = inner[0]
    text = w.prompt_text(doc)
    assert text.splitlines()[0] == "[context, do not extract from it] " + w.before and w.text(doc) in text
    assert doc.text[w.ground_start : w.ground_end].startswith(w.before) and doc.text[w.ground_start : w.ground_end].endswith(w.after)
    # windows without context have none
    assert all(not w.before and not w.after for w in make_windows(doc, WindowStrategy.SENTENCE))


def _sentence_windows(doc, *offsets):
    windows = make_windows(doc, WindowStrategy.SENTENCE)
    return [next(w for w in windows if w.start <= o < w.end) for o in offsets]


def test_the_same_string_in_two_windows_grounds_at_each_ones_own_occurrence(doc):
    first, later = occurrences(doc, "Assad")[0], occurrences(doc, "Assad")[2]
    w1, w2 = _sentence_windows(doc, first[0], later[0])
    # the later window lists it first: text-only grounding without windows would take the first occurrence twice over
    items = localise(NER, [PredictedMention("PER", text="Assad")], w2) + localise(NER, [PredictedMention("PER", text="Assad")], w1)
    prepared = prepare_ner(doc, no_gold(doc.id), items, identity_map(), "t")
    assert sorted((s.start, s.end) for s in prepared.pred) == sorted([first, later])
    assert prepared.unplaced == ()


def test_a_string_found_only_outside_its_window_is_ungrounded(doc):
    latakia = occurrences(doc, "Latakia")
    (w,) = _sentence_windows(doc, occurrences(doc, "Syria")[0][0])
    assert not any(w.ground_start <= o[0] < w.ground_end for o in latakia)
    items = localise(NER, [PredictedMention("GPE", text="Latakia")], w)
    prepared = prepare_ner(doc, no_gold(doc.id), items, identity_map(), "t")
    assert prepared.pred == () and prepared.unplaced == (("Latakia", "GPE", Unplaced.UNGROUNDED),)
    # without a window the same string grounds in the article
    assert len(prepare_ner(doc, no_gold(doc.id), [PredictedMention("GPE", text="Latakia")], identity_map(), "t").pred) == 1


def test_attribution_content_that_crosses_into_the_next_sentence_grounds_through_the_context(doc, corpus):
    from bench.tasks.attribution.task import AttributionTask

    windows = make_windows(doc, WindowStrategy.SENTENCE, context=True)
    w = next(w for w in windows if w.after)
    tail, head = doc.text[w.start : w.end].split()[-3:], w.after.split()[:3]
    content = " ".join(tail + head)  # runs from this window's sentence into the next one
    record = relation_from_json({"id": "a1", "source": {"text": "officials", "type": "official"}, "cue": {"text": "said"}, "content": [{"text": content}], "mode": "indirect"})
    gold = AttributionTask().load_gold(corpus.root, corpus)[doc.id]
    crossing = localise(ATTRIBUTION, [record], w)
    assert crossing[0].id == f"w{w.index}.a1"
    prepared = prepare_attribution(doc, gold, crossing, "t")
    assert len(prepared.pred) == 1
    start = prepared.pred[0].content[0].start
    assert w.start <= start < w.end < prepared.pred[0].content[0].end <= w.ground_end
    # the same record from a window that does not reach the next sentence does not ground
    far = next(x for x in windows if x.ground_end <= w.start)
    assert len(prepare_attribution(doc, gold, localise(ATTRIBUTION, [record], far), "t").ungrounded) == 1


def test_duplicates_beyond_the_windows_occurrences_are_removed_and_counted(doc):
    first = occurrences(doc, "Assad")[0]
    (w,) = _sentence_windows(doc, first[0])
    looping = [PredictedMention("PER", text="Assad")] * 20 + [PredictedMention("ORG", text="Nowhere Corp")] * 5
    kept, removed = NER.llm.dedupe(localise(NER, looping, w), doc)
    assert len(kept) == 2 and removed == 23  # "Assad" once in its window; the ungrounded string once


def test_attribution_duplicates_from_neighbouring_windows_merge_and_keep_their_children(doc):
    windows = make_windows(doc, WindowStrategy.SENTENCE, context=True)
    raw = [
        {"id": "a1", "source": {"text": "SANA", "type": "state_media"}, "cue": {"text": "reported"}, "content": [{"text": "x y"}], "mode": "indirect"},
        {"id": "a2", "source": {"text": "officials", "type": "official"}, "cue": {"text": "said"}, "content": [{"text": "z"}], "mode": "indirect", "parent": "a1"},
    ]
    one = localise(ATTRIBUTION, [relation_from_json(raw[0])], windows[0])
    two = localise(ATTRIBUTION, [relation_from_json(r) for r in raw], windows[1])
    kept, removed = ATTRIBUTION.llm.dedupe(one + two, doc)
    assert removed == 1 and [r.id for r in kept] == ["w0.a1", "w1.a2"] and kept[1].parent == "w0.a1"


def test_answer_schemas_are_bounded_by_the_window(doc):
    sentence = make_windows(doc, WindowStrategy.SENTENCE)[0]
    whole = make_windows(doc, WindowStrategy.DOCUMENT)[0]
    fmt = NER.llm.answer_format("1.2.0")
    small, large = fmt.bounds.max_items(sentence, doc), fmt.bounds.max_items(whole, doc)
    assert 4 <= small < large
    schema = fmt.schema(small)
    assert schema["properties"]["entities"]["maxItems"] == small
    assert "maxItems" not in fmt.schema()["properties"]["entities"]  # the unbounded schema is unchanged


# --- end to end through the CLI, against the tests' own server ---


def bench(cache_dir, *args):
    env = dict(os.environ, BENCH_CACHE_DIR=str(cache_dir))
    env.pop("BENCH_API_KEY", None)
    return subprocess.run([sys.executable, "-m", "bench", *args], capture_output=True, text=True, cwd=REPO, env=env, timeout=300)


def test_windows_are_recorded_cached_and_a_window_change_misses_the_cache(tmp_path, corpus):
    cache = tmp_path / "cache"
    sentences = sum(len(d.sentences) for d in corpus.values())
    with FakeServer() as server:
        spec = f"openai:fake@{server.url}"
        first = bench(cache, "eval", spec, "--task", "ner", "--window", "sentence", "--out", str(tmp_path / "a.json"), "--save-predictions", str(tmp_path / "a.jsonl"))
        assert first.returncode == 0, first.stderr
        assert len(server.requests) == sentences
        bodies = server.requests[:]
        second = bench(cache, "eval", spec, "--task", "ner", "--window", "sentence", "--out", str(tmp_path / "b.json"))
        assert second.returncode == 0, second.stderr
        assert len(server.requests) == sentences  # a repeated run makes 0 backend calls
        paragraph = bench(cache, "eval", spec, "--task", "ner", "--window", "paragraph", "--out", str(tmp_path / "c.json"))
        assert paragraph.returncode == 0, paragraph.stderr
        assert len(server.requests) > sentences  # another window misses the cache
    a, b, c = (json.loads((tmp_path / f"{n}.json").read_text()) for n in "abc")
    assert a["system"]["window"] == "sentence" and a["system"]["windows"] == {"ner": sentences} and a["system"]["requests"] == sentences
    assert b["system"]["cache_hits"] == sentences and a["metrics"] == b["metrics"]
    assert c["system"]["window"] == "paragraph" and c["system"]["windows"]["ner"] == len(server.requests) - sentences
    assert a["system"]["prompts"]["ner"]["version"] == "1.3.0"
    # the bound is part of the constrained output the endpoint is sent, on every label's list
    lists = bodies[0]["response_format"]["json_schema"]["schema"]["properties"]
    assert len(lists) == 7 and all(4 <= items["maxItems"] <= 40 for items in lists.values())
    # "Syria" from every sentence's answer grounds only where that sentence has it; the rest is ungrounded
    ungrounded = [r for r in a["metrics"] if r["metric"] == "ungrounded" and r.get("view") == "gold"][0]["value"]
    assert ungrounded > sentences
    # saved predictions carry the windows, so `bench score` gives the same numbers
    line = json.loads((tmp_path / "a.jsonl").read_text().splitlines()[0])
    assert all(len(m["window"]) == 2 for m in line["ner"])
    rescored = bench(cache, "score", str(tmp_path / "a.jsonl"), "--out", str(tmp_path / "s.json"))
    assert rescored.returncode == 0, rescored.stderr
    s = json.loads((tmp_path / "s.json").read_text())
    assert s["metrics"] == a["metrics"]  # parse_failures too: its support is the answers the file records
    assert line["answers"] == {"ner": len([x for x in corpus.values() if x.id == line["doc_id"]][0].sentences)}


def test_a_failed_window_loses_only_its_own_predictions(tmp_path):
    cache = tmp_path / "cache"
    with FakeServer() as server:
        server.faults = [Fault(content='{"entities": [{"text": "Syria", "label": "GPE"}, {"te', finish_reason="length")]
        result = bench(cache, "eval", f"openai:fake@{server.url}", "--task", "ner", "--window", "paragraph", "--concurrency", "1", "--out", str(tmp_path / "r.json"))
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "r.json").read_text())
    failures = {r.get("label"): (r["value"], r["support"]) for r in record["metrics"] if r["metric"] == "parse_failures"}
    windows = record["system"]["windows"]["ner"]
    assert windows > 2 and failures == {None: (1, windows), "truncated": (1, windows)}  # 1 failed answer of one per window
    (error,) = [e for e in record["errors"]["ner"] if e.get("kind") == "parse_failure"]
    assert "paragraph window 0 [" in error["message"]
    strict = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("view") == "gold" and "label" not in r][0]
    assert strict["tp"] >= 1  # the other windows' "Syria" still counts


def test_prompts_1_0_0_stay_selectable_with_their_recorded_hashes(tmp_path):
    from bench.systems.llm.prompts import load_prompt

    # the hashes that the first smollm2 row (prompts 1.0.0) recorded
    recorded = {
        "ner": "72d51621cbe637ba3b94c5b7876015ffc8d8eb98e7725681f4149da650539ee0",
        "casualties": "ca0623643ab27c6d22183797e312ebe00570e4642a687924b4dd9552851f546f",
        "attribution": "f37a052940f3ee5f74c3f39231a122911e0e7206fac6468c6cd068456e62a751",
    }
    for task in all_tasks():
        old = load_prompt(task, version="1.0.0")
        assert old.sha256 == recorded[task.name] and not old.bounded and old.version == "1.0.0"
        assert load_prompt(task).version == "1.3.0" and load_prompt(task).bounded
    result = bench(tmp_path / "cache", "eval", "empty", "--prompt-version", "9.9")  # only LLM systems read it
    assert result.returncode == 0


def test_an_unknown_prompt_version_is_one_line(tmp_path):
    with FakeServer() as server:
        result = bench(tmp_path / "cache", "eval", f"openai:fake@{server.url}", "--prompt-version", "9.9")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "1.0.0, 1.1.0, 1.2.0" in result.stderr


def test_recorded_answers_are_the_parse_failure_support_and_cannot_be_fewer_than_the_failures(tmp_path, corpus):
    from conftest import run_bench

    failure = {"kind": "truncated", "message": "paragraph window 3: cut off"}
    lines = [{"doc_id": d, "ner": [{"text": "Syria", "label": "GPE"}], "failures": {"ner": [failure]}, "answers": {"ner": 20}} for d in corpus]
    path = tmp_path / "p.jsonl"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    assert run_bench("score", str(path), "--out", str(tmp_path / "r.json")).returncode == 0
    rows = [r for r in json.loads((tmp_path / "r.json").read_text())["metrics"] if r["metric"] == "parse_failures" and "label" not in r]
    assert [(r["value"], r["support"]) for r in rows] == [(2.0, 40)]
    lines[1]["answers"] = {"ner": 1}
    lines[1]["failures"]["ner"] = [failure, failure]
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    result = run_bench("score", str(path))
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and f"{path}:2: answers.ner is 1, fewer than its 2 failures" in result.stderr
