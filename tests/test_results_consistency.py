"""Results files are checked for consistency on every read (bench.results.consistency):
each committed file passes, and each way a hand-edited file can lie is refused with the
rule it broke, in one line, by `bench compare` and `bench leaderboard` (exit 2)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from bench.results import consistency
from bench.results.record import RunRecord
from bench.tasks.score import Counts

from conftest import REPO, run_bench

COMMITTED = sorted(p for p in (REPO / "results").rglob("*.json") if p.name != "summary.json" and "ceiling" not in p.relative_to(REPO / "results").parts[:1])  # the ceiling table is no run record (`bench leaderboard --verify` recomputes it)


def _raw(name: str = "rules.json") -> dict:
    return json.loads((REPO / "results" / name).read_text(encoding="utf-8"))


def _problem(raw: dict) -> str | None:
    return consistency.problem(RunRecord.from_json(raw))


def _row(raw: dict, task: str, metric: str, view: str | None = None, label: str | None = None) -> dict:
    return next(r for r in raw["metrics"] if (r["task"], r["metric"], r.get("view"), r.get("label")) == (task, metric, view, label))


@pytest.mark.parametrize("path", COMMITTED, ids=lambda p: str(p.relative_to(REPO / "results")))
def test_every_committed_results_file_is_consistent(path):
    assert consistency.problem(RunRecord.from_json(json.loads(path.read_text(encoding="utf-8")))) is None


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 500), st.integers(0, 500), st.integers(0, 500), st.booleans(), st.floats(1e-6, 0.5))
def test_rows_from_counts_pass_and_a_moved_value_does_not(tp, fp, fn, halves, shift):
    counts = Counts(tp / 2, fp / 2, fn / 2) if halves else Counts(tp, fp, fn)
    raw = _raw()
    keep = [r for r in raw["metrics"] if r["task"] != "casualties" or r["metric"] not in ("f1", "precision", "recall") or r.get("label")]
    rows = [r.to_json() for r in counts.rows("casualties", "f1")]
    raw["metrics"] = keep + rows
    raw.pop("units")
    raw.pop("intervals")
    assert _problem(raw) is None
    f1 = next(r for r in raw["metrics"] if r["task"] == "casualties" and r["metric"] == "f1" and "label" not in r)
    f1["value"] = f1["value"] + shift if f1["value"] + shift <= 1 else f1["value"] - shift
    assert _problem(raw).startswith("C3:")


def test_row_order_changes_nothing():
    raw = _raw()
    raw["metrics"].reverse()
    raw["units"].reverse()
    raw["intervals"]["rows"].reverse()
    assert _problem(raw) is None


def _headline_lies(raw):
    _row(raw, "ner", "strict_f1", "gold")["value"] = 0.99


def _f1_of_7_5(raw):
    _row(raw, "casualties", "f1")["value"] = 7.5


def _inverted_interval(raw):
    row = next(r for r in raw["intervals"]["rows"] if r["task"] == "casualties" and r["metric"] == "f1")
    row["low"], row["high"] = 0.99, 0.01


def _interval_of_another_value(raw):
    next(r for r in raw["intervals"]["rows"] if r["task"] == "casualties" and r["metric"] == "f1")["value"] = 0.5


def _duplicate_row(raw):
    raw["metrics"].append(dict(_row(raw, "casualties", "f1")))


def _precision_lies(raw):
    _row(raw, "ner", "strict_precision", "gold")["value"] = 1.0


def _accuracy_lies(raw):
    _row(raw, "casualties", "value_accuracy")["value"] = 1.0 if _row(raw, "casualties", "value_accuracy")["value"] < 1 else 0.5


def _support_lies(raw):
    _row(raw, "ner", "strict_f1", "gold")["support"] += 10


def _collapsed_units(raw):
    ner = [u for u in raw["units"] if u["task"] == "ner" and u["view"] == "gold"]
    total = {k: sum(u[k] for u in ner) for k in ("tp", "fp", "fn")}
    raw["units"] = [u for u in raw["units"] if not (u["task"] == "ner" and u["view"] == "gold")]
    raw["units"].append({**ner[0], **total})  # one unit holding every count: sums still match


def _huge_units(raw):
    for u in raw["units"]:
        if u["task"] == "ner" and u["view"] == "gold":
            u["tp"] *= 100


def _duplicate_unit(raw):
    raw["units"].append(dict(raw["units"][0]))


def _unit_of_another_document(raw):
    raw["units"][0]["doc_id"] = "elsewhere"


def _gold_hash_not_the_golds(raw):
    raw["tasks"]["ner"]["gold_sha256"] = "0" * 64


LIES = {
    "C3": [_headline_lies, _support_lies],
    "C2": [_f1_of_7_5],
    "C6": [_inverted_interval, _interval_of_another_value],
    "C1": [_duplicate_row, _duplicate_unit],
    "C4": [_precision_lies],
    "C5": [_accuracy_lies],
    "C7": [_collapsed_units, _huge_units, _unit_of_another_document],
    "C8": [_gold_hash_not_the_golds],
}
CASES = [(rule, lie) for rule, lies in LIES.items() for lie in lies]


@pytest.mark.parametrize("rule, lie", CASES, ids=[lie.__name__.strip("_") for _, lie in CASES])
def test_each_lie_is_refused_with_its_rule(rule, lie):
    raw = _raw()
    lie(raw)
    problem = _problem(raw)
    assert problem is not None and problem.startswith(f"{rule}:"), problem


def test_a_share_out_of_range_is_c2_even_without_counts():
    raw = _raw()
    _row(raw, "attribution", "content_partial_f1")["value"] = 1.5
    assert _problem(raw).startswith("C2:")


def test_a_variant_run_checks_the_gold_it_came_from():
    raw = json.loads((REPO / "results/variants/rules/names+numbers-seed1.json").read_text(encoding="utf-8"))
    assert _problem(raw) is None
    raw["variant"]["base_gold"]["ner"]["gold_sha256"] = "f" * 64
    assert _problem(raw).startswith("C8:")


def test_a_record_of_other_articles_needs_only_the_same_sentences_for_every_metric():
    raw = _raw()
    raw["documents"] = {doc: "0" * 64 for doc in raw["documents"]}  # not the installed articles
    assert _problem(raw) is None
    _collapsed_units(raw)
    assert _problem(raw).startswith("C7:")


@pytest.mark.parametrize("lie", [_headline_lies, _inverted_interval, _collapsed_units, _gold_hash_not_the_golds], ids=lambda f: f.__name__.strip("_"))
def test_compare_and_leaderboard_refuse_the_file_in_one_line(tmp_path, lie):
    raw = _raw()
    lie(raw)
    bad = tmp_path / "results" / "bad.json"
    bad.parent.mkdir()
    bad.write_text(json.dumps(raw), encoding="utf-8")
    good = REPO / "results" / "rules.json"
    for args in (("compare", str(good), str(bad), "--max-drop", "0.5"), ("leaderboard", "--results", str(bad.parent), "--out", str(tmp_path / "lb.md"))):
        result = run_bench(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and "Traceback" not in result.stderr
        assert str(bad) in lines[0] and "inconsistent" in lines[0], lines[0]
    assert not (tmp_path / "lb.md").exists()


def test_a_run_on_another_tree_may_have_gold_of_the_same_version_and_another_hash():
    """`bench eval --data` on a part of the articles (the harness routes' one-article tree):
    its gold is a part of the installed gold, under the same version, so C8 does not apply."""
    raw = _raw()
    raw["documents"] = dict(list(raw["documents"].items())[:1])
    raw["tasks"]["ner"]["gold_sha256"] = "0" * 64
    found = _problem(raw) or ""
    assert "C8" not in found
    raw = _raw()
    raw["tasks"]["ner"]["gold_sha256"] = "0" * 64
    assert (_problem(raw) or "").startswith("C8")
