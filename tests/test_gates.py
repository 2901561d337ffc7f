"""CI gates end to end: `--fail-under` on eval and score, `bench compare --max-drop`, exit codes 0/1/2."""

from __future__ import annotations

import json

import pytest

from conftest import run_bench


def _degrade(source, target, keep_every=2):
    """Keep every other prediction of each task (dropping parents that are gone)."""
    lines = []
    for line in source.read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        doc.pop("system", None)  # no longer the oracle's output: scored under the file's own name
        for key in ("ner", "casualties", "attributions"):
            if key in doc:
                doc[key] = doc[key][::keep_every]
        kept = {r["id"] for r in doc.get("attributions", [])}
        for relation in doc.get("attributions", []):
            if relation.get("parent") not in kept:
                relation["parent"] = None
        lines.append(json.dumps(doc, ensure_ascii=False))
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """The oracle's results and predictions, a degraded copy (half its predictions) and both scored."""
    folder = tmp_path_factory.mktemp("gates")
    oracle, preds = folder / "oracle.json", folder / "oracle.jsonl"
    result = run_bench("eval", "oracle", "--out", str(oracle), "--save-predictions", str(preds))
    assert result.returncode == 0, result.stderr
    degraded = _degrade(preds, folder / "degraded.jsonl")
    assert run_bench("score", str(degraded), "--out", str(folder / "degraded.json")).returncode == 0
    assert run_bench("score", str(preds), "--out", str(folder / "rescored.json")).returncode == 0
    return folder


def _lines(result):
    return result.stderr.strip().splitlines()


def test_compare_fails_a_degraded_run_and_passes_an_identical_one(runs):
    degraded = run_bench("compare", str(runs / "oracle.json"), str(runs / "degraded.json"), "--max-drop", "0.02")
    assert degraded.returncode == 1, degraded.stderr
    assert "gate ner.strict_f1@gold: 1.0000 -> " in degraded.stderr and "FAILED" in degraded.stderr
    assert _lines(degraded)[-1].startswith("bench: 3 of 3 gate(s) failed")
    same = run_bench("compare", str(runs / "oracle.json"), str(runs / "oracle.json"), "--max-drop", "0.02")
    assert same.returncode == 0, same.stderr
    # The same predictions scored again (another file, another date) are no regression either.
    rescored = run_bench("compare", str(runs / "oracle.json"), str(runs / "rescored.json"), "--max-drop", "0", "--significant-only")
    assert rescored.returncode == 0, rescored.stderr
    assert "FAILED" not in rescored.stderr


def test_significant_only_lets_a_small_noisy_drop_pass(runs, tmp_path):
    """Dropping 1 of 10 casualty figures loses 0.05 of F1 but is not significant over 54 sentences."""
    lines = (runs / "oracle.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["casualties"] = first["casualties"][1:]
    one_less = tmp_path / "one_less.jsonl"
    one_less.write_text("\n".join([json.dumps(first)] + lines[1:]) + "\n", encoding="utf-8")
    assert run_bench("score", str(one_less), "--out", str(tmp_path / "one_less.json")).returncode == 0
    args = ("compare", str(runs / "oracle.json"), str(tmp_path / "one_less.json"), "--max-drop", "0.02", "--metric", "casualties.f1")
    assert run_bench(*args).returncode == 1
    assert run_bench(*args, "--significant-only").returncode == 0
    # The halved run's drops are significant, so --significant-only still fails it.
    halved = run_bench("compare", str(runs / "oracle.json"), str(runs / "degraded.json"), "--max-drop", "0.02", "--significant-only")
    assert halved.returncode == 1 and "significant): FAILED" in halved.stderr


def test_compare_json_reports_every_metric_with_its_test(runs):
    result = run_bench("compare", str(runs / "oracle.json"), str(runs / "degraded.json"), "--json")
    assert result.returncode == 0  # no gate asked for: a comparison alone never fails
    report = json.loads(result.stdout)
    assert report["method"]["resamples"] == 10_000 and "two-sided" in report["method"]["p_value"]
    first = report["differences"][0]
    assert (first["task"], first["metric"], first["view"]) == ("ner", "strict_f1", "gold")
    assert first["a"] == 1.0 and first["diff"] < 0 and first["high"] < 0 and first["significant"]
    metrics = {(d["task"], d["metric"]) for d in report["differences"]}
    assert {("casualties", "detection_f1"), ("attribution", "cue_f1"), ("attribution", "nesting_f1")} <= metrics


def test_fail_under_on_score_and_eval(runs, tmp_path):
    degraded = runs / "degraded.jsonl"
    out = tmp_path / "d.json"
    failed = run_bench("score", str(degraded), "--out", str(out), "--fail-under", "ner.strict_f1=0.80", "--fail-under", "casualties.f1=0.5")
    assert failed.returncode == 1, failed.stderr
    assert "gate ner.strict_f1@gold:" in failed.stderr and _lines(failed)[-1] == "bench: 1 of 2 gate(s) failed: ner.strict_f1@gold"
    assert json.loads(out.read_text())["system"]["name"] == "degraded"  # results are still written for the CI log
    passed = run_bench("score", str(runs / "oracle.jsonl"), "--fail-under", "ner.strict_f1=0.80", "--fail-under", "casualties.f1=0.5")
    assert passed.returncode == 0, passed.stderr
    assert run_bench("eval", "oracle", "--fail-under", "ner.strict_f1@conll=1.0", "--fail-under", "attribution.cue_f1=1").returncode == 0
    assert run_bench("eval", "empty", "--fail-under", "ner.strict_f1=0.8").returncode == 1


@pytest.mark.parametrize(
    ("gate", "message"),
    [
        ("ner.strct_f1=0.8", "bench: error: unknown metric 'ner.strct_f1' (did you mean 'ner.strict_f1@gold'?)"),
        ("ner.strict_f1@conl=0.8", "bench: error: unknown metric 'ner.strict_f1@conl' (did you mean 'ner.strict_f1@conll'?)"),
        ("ner.strict_f1", "bench: error: bad --fail-under 'ner.strict_f1': expected TASK.METRIC[@VIEW]=NUMBER"),
        ("ner.strict_f1=high", "bench: error: bad --fail-under 'ner.strict_f1=high': 'high' is not a number"),
        ("casualties.f1=0.5", "bench: error: --fail-under casualties.f1: task 'casualties' is not evaluated in this run"),
    ],
)
def test_a_bad_gate_is_a_usage_error_and_writes_nothing(tmp_path, gate, message):
    out, preds = tmp_path / "r.json", tmp_path / "p.jsonl"
    result = run_bench("eval", "oracle", "--task", "ner", "--out", str(out), "--save-predictions", str(preds), "--fail-under", gate)
    assert result.returncode == 2
    errors = [line for line in _lines(result) if not line.startswith("bench: oracle: predict")]  # progress lines aside
    assert len(errors) == 1 and errors[0].startswith(message), result.stderr
    assert not out.exists() and not preds.exists()


def test_compare_refuses_runs_on_other_gold_or_scorer(runs, tmp_path):
    record = json.loads((runs / "oracle.json").read_text())
    record["tasks"]["casualties"]["scorer_version"] = "9.9.9"
    other = tmp_path / "other_scorer.json"
    other.write_text(json.dumps(record))
    result = run_bench("compare", str(runs / "oracle.json"), str(other), "--max-drop", "0.02")
    assert result.returncode == 2
    (line,) = _lines(result)
    assert line.startswith("bench: error: results disagree on casualties gold or scorer")
    assert str(runs / "oracle.json") in line and str(other) in line and "scorer 9.9.9" in line


@pytest.mark.parametrize("case", ["missing", "not_json", "not_a_record"])
def test_compare_rejects_a_bad_results_file(runs, tmp_path, case):
    bad = tmp_path / "bad.json"
    if case == "not_json":
        bad.write_text("{nope")
    elif case == "not_a_record":
        bad.write_text(json.dumps({"metrics": []}))
    result = run_bench("compare", str(runs / "oracle.json"), str(bad))
    assert result.returncode == 2 and len(_lines(result)) == 1 and str(bad) in result.stderr
    assert "Traceback" not in result.stderr


def test_compare_gate_on_an_unknown_metric_is_a_usage_error(runs):
    result = run_bench("compare", str(runs / "oracle.json"), str(runs / "degraded.json"), "--max-drop", "0.1", "--metric", "casualties.detection")
    assert result.returncode == 2
    assert _lines(result) == ["bench: error: unknown metric 'casualties.detection' (did you mean 'casualties.detection_f1'?); "
                              "metrics are named TASK.METRIC or TASK.METRIC@VIEW, e.g. ner.strict_f1, ner.strict_f1@conll, casualties.f1"]


def _conll_only(record):
    """A record as a CoNLL-label system leaves it: NER in the CoNLL view only."""
    keep = lambda item: item["task"] != "ner" or item.get("view") == "conll"  # noqa: E731
    record = dict(record, metrics=[r for r in record["metrics"] if keep(r)], units=[u for u in record["units"] if keep(u)])
    record["intervals"] = dict(record["intervals"], rows=[r for r in record["intervals"]["rows"] if keep(r)])
    return record


def test_ner_without_a_view_means_gold_or_the_only_view_there_is(runs):
    from bench.results.metricref import MetricRef, resolve
    from bench.results.record import RunRecord

    record = json.loads((runs / "oracle.json").read_text())
    full, conll = RunRecord.from_json(record), RunRecord.from_json(_conll_only(record))
    assert resolve(full, MetricRef.parse("ner.strict_f1"))[0] == MetricRef("ner", "strict_f1", "gold")
    assert resolve(full, MetricRef.parse("ner.strict_f1@conll"))[0] == MetricRef("ner", "strict_f1", "conll")
    assert resolve(conll, MetricRef.parse("ner.strict_f1"))[0] == MetricRef("ner", "strict_f1", "conll")
    assert resolve(full, MetricRef.parse("casualties.f1"))[0] == MetricRef("casualties", "f1", None)
