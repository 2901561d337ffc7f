"""The LLM protocol's ceiling (`bench ceiling`, docs/llm-ceiling.md): a perfect answer sent
through the same parser, dedupe, grounding and scorer as a model's; near 1.0 where the
format is free text, unreachable gold counted by reason, and the reasons adding up to the
shortfall. The committed table and docs page are current, and the leaderboard shows the
ceiling beside LLM rows only."""

from __future__ import annotations

import json
import shutil
from dataclasses import replace

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.documents.corpus import ArticleMeta, Corpus, Document, load_corpus, sha256_bytes
from bench.documents.windows import WindowStrategy
from bench.errors import BenchError
from bench.harness.ceiling import ceiling
from bench.systems.llm.prompts import load_prompt
from bench.tasks.ceiling import CROSSES_WINDOWS, IdealAnswer, IdealItem
from bench.tasks.ner.types import Entity, Mention, NerGold
from bench.tasks.registry import all_tasks, get_task
from conftest import REPO, run_bench

TABLE = REPO / "results" / "ceiling" / "llm-ceiling.json"


@pytest.fixture(scope="module")
def table():
    """The committed table (test_committed_table_and_docs_page_are_current: it is a fresh one)."""
    from bench.results.ceiling import read_table

    return read_table(TABLE).ceilings


def _adds_up(c) -> None:
    """Every gold item is given (exactly or not) or unreachable, and the shortfall is unreachable + lost."""
    assert c.exact + sum(c.approximated.values()) + c.unreachable == c.support, c
    assert c.support - c.credited == pytest.approx(c.unreachable + c.lost), c


def test_every_version_window_and_task_is_there_and_adds_up(table):
    versions = ("1.0.0", "1.1.0", "1.2.0", "1.3.0")
    assert {(c.task, c.prompt_version, c.window) for c in table} == {(t.name, v, w.value) for t in all_tasks() for v in versions for w in WindowStrategy}
    for c in table:
        _adds_up(c)
        assert c.lost == 0 and c.false_positives == 0 and c.duplicates_removed == 0, c  # the harness loses nothing a perfect answer gives


def test_free_text_formats_reach_the_gold(table):
    """Prompts 1.0.0 and 1.1.0 (free-text fields): NER and casualties reach 1.0; attribution
    only misses its agentless relations, which no answer can hold (a source is required)."""
    for c in table:
        if c.prompt_version in ("1.0.0", "1.1.0"):
            if c.task == "attribution":
                assert set(c.left_out) == {"agentless source (the answer needs one)"} and c.value >= 0.95, c
            else:
                assert c.value == 1.0 and not c.left_out, c


def test_the_name_rule_of_1_3_0_is_what_caps_ner(table):
    (c,) = [c for c in table if (c.task, c.prompt_version, c.window) == ("ner", "1.3.0", "paragraph")]
    assert c.left_out == {"lower-case name": 3, "name ending in a lower-case word": 1}
    assert c.value == pytest.approx(2 * 159 / (159 + 163))


def test_committed_table_and_docs_page_are_current():
    result = run_bench("ceiling", "--check", "--out", str(TABLE), "--write", str(REPO / "docs" / "llm-ceiling.md"), cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_the_command_prints_a_table_and_says_not_to_tune_on_it():
    result = run_bench("ceiling", "--prompt-version", "1.3.0", "--window", "sentence", "--task", "ner")
    assert result.returncode == 0, result.stderr
    assert "| 1.3.0 | sentence | **0.9876** | 163 | 159 |" in result.stdout
    assert "Never use it to choose or tune prompts" in result.stdout
    assert "tune prompts" in " ".join(run_bench("ceiling", "--help").stdout.split())
    bad = run_bench("ceiling", "--prompt-version", "9.9.9", "--task", "ner")
    assert bad.returncode == 2 and len(bad.stderr.strip().splitlines()) == 1 and "unknown prompt version" in bad.stderr
    lonely = run_bench("ceiling", "--check")
    assert lonely.returncode == 2 and "--check needs" in lonely.stderr


def test_leaderboard_shows_the_ceiling_beside_llm_rows_only(tmp_path):
    text = (REPO / "leaderboard.md").read_text(encoding="utf-8")
    for task, value in (("ner", "0.9876"), ("casualties", "1.0000"), ("attribution", "0.9459")):
        section = text.split(f"## {task}\n")[1].split("\n## ")[0]
        header = next(line for line in section.splitlines() if line.startswith("| system"))
        column = header.split(" | ").index("LLM ceiling")
        for line in (line for line in section.splitlines() if line.startswith("| [")):
            cell = line.split(" | ")[column]
            assert cell == (value if line.startswith("| [smollm2]") else "—"), line


def test_a_stale_table_is_refused_in_one_line(tmp_path):
    results = tmp_path / "results"
    shutil.copytree(REPO / "results", results, ignore=shutil.ignore_patterns("variants"))
    raw = json.loads(TABLE.read_text(encoding="utf-8"))
    for entry in raw["ceilings"]:
        entry["prompt_sha256"] = "0" * 64
    (results / "ceiling" / "llm-ceiling.json").write_text(json.dumps(raw), encoding="utf-8")
    result = run_bench("leaderboard", "--results", str(results), "--out", str(tmp_path / "lb.md"))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert "remake the table with `bench ceiling --out`" in result.stderr
    raw["ceilings"][0]["value"] = "high"
    (results / "ceiling" / "llm-ceiling.json").write_text(json.dumps(raw), encoding="utf-8")
    result = run_bench("leaderboard", "--results", str(results), "--out", str(tmp_path / "lb.md"))
    assert result.returncode == 2 and "not a valid ceiling table" in result.stderr


def test_verify_recomputes_the_table(tmp_path):
    from bench.errors import ResultsError
    from bench.results.ceiling import read_table, verify_table

    table = read_table(TABLE)
    table = replace(table, ceilings=table.ceilings[:2])
    verify_table(table, TABLE)
    changed = replace(table, ceilings=(replace(table.ceilings[0], value=0.5), *table.ceilings[1:]))
    with pytest.raises(ResultsError, match="differs from a fresh one in value"):
        verify_table(changed, TABLE)


def test_an_ideal_answer_outside_the_enum_is_an_error():
    """The generic code checks each ideal answer against the schema its request sends."""
    task = get_task("ner")
    corpus = load_corpus()

    class Liar:
        def __getattr__(self, name):
            return getattr(task.llm, name)

        def ideal_answer(self, gold, document, window, fmt):
            return IdealAnswer(fmt.answer([{"text": "Not In The Text", "label": "PER"}]), ())

    class Lying:
        def __getattr__(self, name):
            return getattr(task, name)

        llm = Liar()

    with pytest.raises(BenchError, match="breaks the schema its request sends"):
        ceiling(Lying(), load_prompt(task, None, "1.3.0"), WindowStrategy.PARAGRAPH, corpus, task.load_gold(corpus.root, corpus))


# --- properties on invented documents ------------------------------------------------------

WORDS = ["Damascus", "Latakia", "west", "airbase", "al-Sham", "the", "of", "U.S.", "Front", "said", "Assad", "people", "("]


def _document(sentences: list[list[str]], breaks: list[bool]) -> Document:
    parts = []
    for k, words in enumerate(sentences):
        parts.append(" ".join(words) + ".")
        if k < len(sentences) - 1:
            parts.append("\n" if breaks[k] else " ")
    text = "".join(parts)
    digest = sha256_bytes(text.encode("utf-8"))
    return Document("t", text, digest, ArticleMeta("t", None, "h", "2025-01-01", "1 Jan 2025", None, digest))


@st.composite
def documents_with_gold(draw):
    sentences = draw(st.lists(st.lists(st.sampled_from(WORDS), min_size=1, max_size=14), min_size=1, max_size=5))
    breaks = draw(st.lists(st.booleans(), min_size=len(sentences), max_size=len(sentences)))
    document = _document(sentences, breaks)
    words = [t for t in document.tokens if t.text[0].isalnum()]
    mentions, entities, end = [], [], -1
    picks = draw(st.lists(st.tuples(st.integers(0, max(len(words) - 1, 0)), st.integers(1, 12), st.sampled_from(["PER", "GPE", "ORG"])), max_size=12))
    for first, length, label in sorted(picks):
        if first >= len(words) or words[first].start <= end:
            continue
        last = words[min(first + length - 1, len(words) - 1)]
        if last.end <= words[first].start:
            continue
        k = len(mentions)
        mentions.append(Mention(f"m{k}", words[first].start, last.end, document.text[words[first].start : last.end], f"e{k}"))
        entities.append(Entity(f"e{k}", mentions[-1].text, label))
        end = last.end
    return document, NerGold("t", tuple(entities), tuple(mentions))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents_with_gold(), st.sampled_from(["1.0.0", "1.1.0", "1.2.0", "1.3.0"]), st.sampled_from(list(WindowStrategy)))
def test_reasons_add_up_to_the_shortfall_on_any_document(case, version, strategy):
    """On any text and any NER gold: every mention is accounted for once, the perfect answer
    has no false positive, and what is not credited is exactly what was left out."""
    document, gold = case
    task = get_task("ner")
    corpus = Corpus(REPO, {"t": document})
    c = ceiling(task, load_prompt(task, None, version), strategy, corpus, {"t": gold})
    _adds_up(c)
    assert c.false_positives == 0 and c.lost == 0, c
    crossing = sum(1 for m in gold.mentions if document.sentence_at(m.start).end < m.end)
    if strategy is WindowStrategy.SENTENCE:
        assert c.left_out.get(CROSSES_WINDOWS, 0) == crossing, c
    if version == "1.0.0" and strategy is WindowStrategy.DOCUMENT:
        assert c.value == 1.0, c  # free text, unbounded, one window: every mention


def test_a_mention_across_a_paragraph_is_unreachable_with_paragraph_windows():
    document = _document([["Damascus", "Front"], ["Latakia", "west"]], [True])
    start = document.text.index("Front")
    end = document.text.index("Latakia") + len("Latakia")
    gold = NerGold("t", (Entity("e0", "x", "ORG"),), (Mention("m0", start, end, document.text[start:end], "e0"),))
    task = get_task("ner")
    corpus = Corpus(REPO, {"t": document})
    by_window = {s: ceiling(task, load_prompt(task, None, "1.1.0"), s, corpus, {"t": gold}) for s in WindowStrategy}
    assert by_window[WindowStrategy.DOCUMENT].value == 1.0
    assert by_window[WindowStrategy.PARAGRAPH].left_out == {CROSSES_WINDOWS: 1}
    with_copy = ceiling(task, load_prompt(task, None, "1.2.0"), WindowStrategy.DOCUMENT, corpus, {"t": gold})
    assert with_copy.left_out == {"phrase crosses a sentence": 1}


def test_an_item_is_accounted_for_once():
    task = get_task("ner")
    corpus = load_corpus()

    class Twice:
        def __getattr__(self, name):
            return getattr(task.llm, name)

        def ideal_answer(self, gold, document, window, fmt):
            return IdealAnswer(fmt.answer([]), (IdealItem("same", False, "x"),))

    class Task:
        def __getattr__(self, name):
            return getattr(task, name)

        llm = Twice()

    with pytest.raises(BenchError, match="accounts again for gold item 'same'"):
        ceiling(Task(), load_prompt(task, None, "1.3.0"), WindowStrategy.PARAGRAPH, corpus, task.load_gold(corpus.root, corpus))
