"""Attribution gold validates, and each corruption (links to casualties included) is
named precisely; predictions-file records get one line and exit 2."""

from __future__ import annotations

import json

import pytest

from bench.tasks.validate import validate_tree
from conftest import run_bench
from test_cli import _write

D0, D3 = "000_5cf36fedf2077db3", "003_a061056322098f3b"


def _edit(root, change, doc=D0, task="attribution"):
    path = root / "gold" / task / f"{doc}.json"
    raw = json.loads(path.read_text(encoding="utf-8"))
    change(raw)
    path.write_text(json.dumps(raw, ensure_ascii=False, indent=1), encoding="utf-8")


def _rel(raw, rid):
    return next(r for r in raw["relations"] if r["id"] == rid)


def test_landed_gold_is_valid(corpus):
    assert [str(p) for p in validate_tree(corpus.root)] == []


CORRUPTIONS = {
    "missing parent": (lambda raw: _rel(raw, "000-a22").update(parent="000-a99"), "relations[21] (id 000-a22).parent: '000-a99' is not a relation in this file"),
    "cycle": (lambda raw: _rel(raw, "000-a21").update(parent="000-a23"), "parents form a cycle"),
    "partial without parent": (lambda raw: _rel(raw, "000-a06").update(coverage="partial"), "relations[5] (id 000-a06).coverage: partial coverage needs a parent"),
    "unlisted figure": (lambda raw: _rel(raw, "000-a02").update(figures=[]), "figure 000-c02 ('over 70') lies inside the content but is not listed"),
    "figure outside the content": (lambda raw: _rel(raw, "000-a03").update(figures=["000-c01"]), "figure 000-c01 ('Dozens') is not inside the content"),
    "head not in the span": (lambda raw: _rel(raw, "000-a08")["source"].update(head="witness"), "relations[7] (id 000-a08).source.head: 'witness' is not a word of the source span 'an unnamed eyewitness'"),
    "null source with a type": (lambda raw: _rel(raw, "000-a01")["source"].update(type="media"), "relations[0] (id 000-a01).source: a null span goes with type 'unspecified', and only with it"),
    "wrong entity": (lambda raw: _rel(raw, "000-a12")["source"].update(entity="sana"), "relations[11] (id 000-a12).source.entity: 'sana' does not match the NER gold: the NER mention there is 'sohr'"),
    "cue inside its own content": (
        lambda raw: _rel(raw, "000-a03").update(cue=_rel(raw, "000-a03")["content"][0] | {"end": _rel(raw, "000-a03")["content"][0]["start"] + 3, "text": "the"}),
        "relations[2] (id 000-a03).content[0]: holds the relation's own cue 'the'",
    ),
    "unknown mode": (lambda raw: _rel(raw, "000-a03").update(mode="paraphrase"), "mode: schema: 'paraphrase' is not one of"),
}


@pytest.mark.parametrize("case", sorted(CORRUPTIONS))
def test_each_corruption_is_named(tree_copy, case):
    change, expected = CORRUPTIONS[case]
    _edit(tree_copy, change)
    msgs = [str(p) for p in validate_tree(tree_copy)]
    assert any(expected in m and m.startswith(f"gold/attribution/{D0}.json: ") for m in msgs), msgs


def test_casualty_link_must_agree_both_ways(tree_copy):
    # The figure "at least 13" is listed by The National (000-a06) and, nested in it, by SOHR (000-a05).
    _edit(tree_copy, lambda raw: next(f for f in raw["figures"] if f["id"] == "000-c05").update(attribution="000-a06"), task="casualties")
    msgs = [str(p) for p in validate_tree(tree_copy)]
    assert any("figure 000-c05: casualty attribution is '000-a06', but should be the innermost relation listing it, '000-a05'" in m for m in msgs), msgs


DOC = D3
GOOD = {"id": "r1", "source": {"text": "SOHR", "type": "monitor"}, "cue": {"text": "according to"}, "content": [{"text": "The violence broke out"}], "mode": "indirect"}


def _line(*records):
    return json.dumps({"doc_id": DOC, "attributions": list(records)})


BAD = {
    "content with no text": (_line(GOOD | {"content": [{}]}), "bad.jsonl:1: attributions[0].content[0]: {} is not valid under any of the given schemas"),
    "no content": (_line(GOOD | {"content": []}), "bad.jsonl:1: attributions[0].content: [] should be non-empty"),
    "unknown mode": (_line(GOOD | {"mode": "paraphrase"}), "bad.jsonl:1: attributions[0].mode: 'paraphrase' is not one of"),
    "unknown type": (_line(GOOD | {"source": {"text": "SOHR", "type": "ngo"}}), "bad.jsonl:1: attributions[0].source.type: 'ngo' is not one of"),
    "missing parent": (_line(GOOD | {"parent": "r9"}), "bad.jsonl:1: attributions[0].parent: 'r9' is not the id of a relation in this document"),
    "cycle": (_line(GOOD | {"parent": "r2"}, GOOD | {"id": "r2", "parent": "r1"}), "bad.jsonl:1: attributions[0].parent: parents form a cycle through 'r1'"),
    "duplicate id": (_line(GOOD, GOOD), "bad.jsonl:1: attributions[1]: id 'r1' again (also attributions[0])"),
    "offsets that do not match": (_line(GOOD | {"cue": {"start": 0, "end": 6, "text": "Syrian"}, "content": [{"start": 0, "end": 5, "text": "Syrie"}]}), "bad.jsonl:1: attributions[0].content[0]: text 'Syrie' does not match document"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_attribution_record_gets_one_line_and_exit_2(tmp_path, case):
    line, expected = BAD[case]
    result = run_bench("score", str(_write(tmp_path / "bad.jsonl", [line])), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in result.stderr, err
    assert expected in err[0].replace(str(tmp_path) + "/", ""), err[0]


def test_a_text_only_file_scores(tmp_path):
    named = GOOD | {"content": [{"text": "The violence broke out following the arrival of military reinforcements from Idlib to launch a large-scale security operation in Latakia and its countryside"}]}
    record = json.loads(run_bench("score", str(_write(tmp_path / "p.jsonl", [_line(named)])), "--json").stdout)
    f1 = next(r for r in record["metrics"] if r["task"] == "attribution" and r["metric"] == "f1" and "label" not in r)
    assert (f1["tp"], f1["fp"], f1["fn"]) == (1, 0, 38)  # doc 000 has no line: its 28 relations are missed
    cue = next(r for r in record["metrics"] if r["metric"] == "cue_f1" and "label" not in r)
    assert cue["tp"] == 1
    assert not any(r["metric"] == "figure_source_accuracy" for r in record["metrics"])  # casualties not in the file


def test_eval_prints_the_attribution_table_and_writes_its_rows(tmp_path):
    out = tmp_path / "rules.json"
    result = run_bench("eval", "--task", "attribution", "--task", "casualties", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "attribution.f1=" in result.stdout.splitlines()[0]
    assert "attribution  [source_accuracy=" in result.stdout and "attribution content (PARC partial credit)" in result.stdout
    record = json.loads(out.read_text())
    assert record["tasks"]["attribution"]["gold_version"] == "1.0.0" and record["tasks"]["attribution"]["headline"] == "f1"
    rows = [r for r in record["metrics"] if r["task"] == "attribution"]
    assert {"f1", "content_partial_f1", "content_strict_f1", "cue_f1", "source_accuracy", "nesting_f1", "figure_source_accuracy"} <= {r["metric"] for r in rows}
    f1 = next(r for r in rows if r["metric"] == "f1" and "label" not in r)
    assert 0.0 < f1["value"] < 1.0
    units = [u for u in record["units"] if u["task"] == "attribution" and "metric" not in u]  # the headline's
    assert (sum(u["tp"] for u in units), sum(u["fp"] for u in units), sum(u["fn"] for u in units)) == (f1["tp"], f1["fp"], f1["fn"])
