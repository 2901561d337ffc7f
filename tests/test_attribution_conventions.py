"""Convention robustness (attribution scorer 1.1.0, casualty scorer 1.1.0).

The files in tests/data/conventions/ restate the gold in other legitimate conventions
(PARC full noun phrases, bare heads and other aliases, cues with auxiliaries, content
with its quotation marks) and must score who-said-what F1 = 1.0; a file of
wrong-but-similar sources must have every source counted wrong; a casualty coder who
picks the other defensible victim category keeps a perfect `f1`, while `strict_f1` and
the confusion table show the difference. Each file is tested whole and row by row.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.harness.predictions import read_predictions
from bench.tasks.attribution.alignment import align, judge_source, words
from bench.tasks.attribution.task import AttributionTask, prepare, relation_from_json
from bench.tasks.base import ScoringContext
from bench.tasks.registry import TaskName
from bench.tasks.casualties.task import CasualtyTask

DATA = Path(__file__).parent / "data" / "conventions"
RIGHT_FILES = ("attribution_full_np_sources.jsonl", "attribution_short_sources.jsonl", "attribution_auxiliary_cues.jsonl", "attribution_quoted_content.jsonl")
WRONG_FILE = "attribution_wrong_sources.jsonl"
TASK = AttributionTask()


def _rows(name):
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        out += [(name, record["doc_id"], raw) for raw in record["attributions"]]
    return out


@pytest.fixture(scope="module")
def gold(corpus):
    return TASK.load_gold(corpus.root, corpus)


def _score(corpus, name, tasks=(TASK,), folder=DATA):
    """Each task's score of a predictions file, read as `bench score` reads it."""
    predictions = read_predictions(folder / name, corpus, list(tasks))
    out = {}
    for task in tasks:
        gold = task.load_gold(corpus.root, corpus)
        items = {d: (p.for_task(task.name) if p else ()) for d, p in ((d, predictions.predictions.get(d)) for d in gold)}
        out[task.name] = task.score(corpus, gold, items, ScoringContext(evaluated=frozenset({task.name})))
    return out


@pytest.mark.parametrize("name", RIGHT_FILES)
def test_other_conventions_score_one(corpus, name):
    score = _score(corpus, name)[TaskName.ATTRIBUTION]
    f1 = score.row("f1")
    assert (f1.value, f1.tp, f1.fp, f1.fn) == (1.0, 39, 0, 0)
    assert score.row("cue_head_f1").value == 1.0 and score.row("content_strict_f1").value == 1.0
    assert score.row("nesting_f1").value == 1.0 and score.row("ungrounded").value == 0


def test_each_file_changes_what_it_says(corpus):
    cues = _score(corpus, "attribution_auxiliary_cues.jsonl")[TaskName.ATTRIBUTION]
    assert cues.row("cue_f1").value < 0.8  # the strict cue metric still sees the auxiliaries
    typed = _score(corpus, "attribution_full_np_sources.jsonl")[TaskName.ATTRIBUTION]
    assert typed.row("source_type_accuracy").value < 1.0  # "local reports" typed media, SOHR named_org...
    assert typed.row("source_type_confusion", label="document->media").value == 1


def test_wrong_but_similar_sources_are_all_wrong(corpus):
    score = _score(corpus, WRONG_FILE)[TaskName.ATTRIBUTION]
    f1 = score.row("f1")
    assert (f1.tp, f1.fp, f1.fn) == (0, 39, 39)
    assert score.row("content_strict_f1").value == 1.0  # aligned on content, every one of them
    assert sorted(e["kind"] for e in score.errors) == ["wrong_source"] * 39
    assert all(e["source_check"]["why"] for e in score.errors)


def test_a_parc_annotation_with_extra_relations_loses_only_those(corpus, tmp_path):
    """Full noun phrases plus relations PARC annotates and these guidelines do not (3.1)."""
    extra = {
        "000_5cf36fedf2077db3": [
            {"id": "x1", "source": {"text": "no leader of the uprising", "type": "unnamed_individual"}, "cue": {"text": "identified"}, "content": [{"text": "himself"}], "mode": "indirect"},
            {"id": "x2", "source": {"text": "any party", "type": "unnamed_group"}, "cue": {"text": "made statements"}, "content": [{"text": "declaring the toppling of the HTS-led regime"}], "mode": "indirect"},
        ],
        "003_a061056322098f3b": [
            {"id": "x3", "source": {"text": "armed groups", "type": "unnamed_group"}, "cue": {"text": "identifying themselves as"}, "content": [{"text": "the ‘Coastal Shield Forces"}], "mode": "mixed"},
        ],
    }
    lines = []
    for line in (DATA / "attribution_full_np_sources.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        record["attributions"] += extra[record["doc_id"]]
        lines.append(json.dumps(record, ensure_ascii=False))
    (tmp_path / "parc.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    f1 = _score(corpus, "parc.jsonl", folder=tmp_path)[TaskName.ATTRIBUTION].row("f1")
    assert (f1.tp, f1.fp, f1.fn) == (39, 3, 0) and f1.value >= 0.93


def _judged(corpus, gold, doc_id, raw):
    """Align one row alone (its parent dropped) with its document's gold."""
    relation = relation_from_json({**raw, "parent": None})
    prepared = prepare(corpus[doc_id], gold[doc_id], [relation], doc_id)
    pairs, _, _ = align(corpus[doc_id], prepared.gold, prepared.pred, prepared.entity_names)
    assert len(pairs) == 1, f"{raw['id']} does not align"
    return pairs[0], judge_source(pairs[0].gold, pairs[0].pred, prepared.entity_names)


def _same_content(corpus, gold, doc_id, rid):
    by_id = {r.id: r for r in gold[doc_id].relations}
    target = words(corpus[doc_id], by_id[rid])
    return {r.id for r in gold[doc_id].relations if words(corpus[doc_id], r) == target}


@pytest.mark.parametrize("name, doc_id, raw", [pytest.param(*row, id=f"{row[0].split('_')[1]}-{row[2]['id']}") for name in RIGHT_FILES for row in _rows(name)])
def test_each_row_in_another_convention_is_right(corpus, gold, name, doc_id, raw):
    pair, judgement = _judged(corpus, gold, doc_id, raw)
    assert pair.gold.id == raw["id"]
    assert judgement.right, judgement


@pytest.mark.parametrize("doc_id, raw", [pytest.param(*row[1:], id=row[2]["id"]) for row in _rows(WRONG_FILE)])
def test_each_wrong_but_similar_source_is_wrong(corpus, gold, doc_id, raw):
    pair, judgement = _judged(corpus, gold, doc_id, raw)
    assert pair.gold.id in _same_content(corpus, gold, doc_id, raw["id"])
    assert not judgement.right, judgement


def test_a_coder_with_other_defensible_victims_keeps_full_credit(corpus):
    """The gold's figures and values, with `mixed` or `civilians` where the gold lists them as defensible."""
    task = CasualtyTask()
    score = _score(corpus, "casualties_other_victims.jsonl", (task,))[TaskName.CASUALTIES]
    assert score.row("f1").value == 1.0 and score.row("detection_f1").value == 1.0
    assert score.row("victim_accuracy").value == 1.0  # every category it picked is defensible
    assert score.row("victim_exact_accuracy").value == pytest.approx(0.3)  # ... and 7 of 10 are not the gold's own
    strict = score.row("strict_f1")
    assert (strict.tp, strict.fp, strict.fn) == (3, 7, 7)  # the gold's own category differs on 7 of 10
    assert score.row("victim_confusion", label="unknown->mixed").value == 5
    assert score.row("victim_confusion", label="unknown->civilians").value == 2
    assert sorted(e["kind"] for e in score.errors) == []  # defensible: not an error


def test_a_coder_with_one_value_wrong_still_scores_above_the_bar(corpus, tmp_path):
    """The issue's conflict-data coder: value accuracy 0.9, other defensible victims."""
    lines = (DATA / "casualties_other_victims.jsonl").read_text(encoding="utf-8").splitlines()
    record = json.loads(lines[0])
    record["casualties"][1]["quantity"] |= {"kind": "lower_bound", "low": 70, "high": None, "qualifier": "over"}  # "over 70" read as 70 or more
    path = tmp_path / "coder.jsonl"
    path.write_text("\n".join([json.dumps(record, ensure_ascii=False)] + lines[1:]) + "\n", encoding="utf-8")
    score = _score(corpus, "coder.jsonl", (CasualtyTask(),), folder=tmp_path)[TaskName.CASUALTIES]
    assert score.row("f1").value == pytest.approx(0.95) and score.row("value_accuracy").value == pytest.approx(0.9)
    assert score.row("strict_f1").value == pytest.approx(0.3)
