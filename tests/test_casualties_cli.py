"""The casualty task through the CLI: tables and rows in `bench eval`, predictions-file
records, and one line with file:line and exit 2 for each bad record."""

from __future__ import annotations

import json

import pytest

from conftest import run_bench
from test_cli import _write

DOC = "000_5cf36fedf2077db3"
GOOD = {"quantity": {"text": "over 70", "kind": "lower_bound", "low": 71, "high": None}, "outcome": "killed", "unit": "persons", "victim": {"category": "unknown"}}


def _line(**changes):
    record = json.loads(json.dumps(GOOD))
    for path, value in changes.items():
        node = record
        keys = path.split("__")
        for key in keys[:-1]:
            node = node[key]
        if value is ...:
            del node[keys[-1]]
        else:
            node[keys[-1]] = value
    return json.dumps({"doc_id": DOC, "casualties": [record]})


BAD = {
    "low above high": (_line(quantity__kind="range", quantity__low=90, quantity__high=80), "bad.jsonl:1: casualties[0].quantity: low 90 > high 80"),
    "negative count": (_line(quantity__low=-3), "bad.jsonl:1: casualties[0].quantity.low: -3 is less than the minimum of 0"),
    "unknown outcome": (_line(outcome="dead"), "bad.jsonl:1: casualties[0].outcome: 'dead' is not one of ['killed'"),
    "unknown victim category": (_line(victim__category="soldiers"), "bad.jsonl:1: casualties[0].victim.category: 'soldiers' is not one of"),
    "missing quantity": (_line(quantity=...), "bad.jsonl:1: casualties[0]: 'quantity' is a required property"),
    "quantity without span or text": (_line(quantity__text=...), "bad.jsonl:1: casualties[0].quantity: {'kind': 'lower_bound', 'low': 71, 'high': None} is not valid under any of the given schemas"),
    "offsets that do not match the text": (
        _line(quantity__start=547, quantity__end=554, quantity__text="over 80"),
        "bad.jsonl:1: casualties[0].quantity: text 'over 80' does not match document 000_5cf36fedf2077db3 at [547, 554), which reads 'over 70'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_casualty_record_gets_one_line_and_exit_2(tmp_path, case):
    line, expected = BAD[case]
    out = tmp_path / "out.json"
    result = run_bench("score", str(_write(tmp_path / "bad.jsonl", [line])), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    err = result.stderr.strip().splitlines()
    assert len(err) == 1 and "Traceback" not in result.stderr, err
    assert expected in err[0].replace(str(tmp_path) + "/", ""), err[0]
    assert not out.exists()


def test_a_text_only_file_scores_with_credit(tmp_path):
    half = json.loads(json.dumps(GOOD))
    half["victim"]["category"] = "civilians"  # another victim category (a repeat of the same figure)
    invented = json.loads(json.dumps(GOOD))
    invented["quantity"]["text"] = "at least 400"
    line = json.dumps({"doc_id": DOC, "casualties": [GOOD, half, invented]})
    record = json.loads(run_bench("score", str(_write(tmp_path / "p.jsonl", [line])), "--json").stdout)
    assert set(record["tasks"]) == {"casualties"}
    f1 = next(r for r in record["metrics"] if r["metric"] == "f1" and "label" not in r)
    # "over 70" occurs once: one record takes it (credit 1); the other is a surplus repeat.
    assert (f1["tp"], f1["fp"], f1["fn"], f1["predicted"], f1["support"]) == (1.0, 2.0, 9.0, 3, 10)
    counts = {r["metric"]: r["value"] for r in record["metrics"] if r["metric"] in ("ungrounded", "surplus")}
    assert counts == {"ungrounded": 1.0, "surplus": 1.0}


def test_eval_prints_the_casualty_table_and_writes_its_rows(tmp_path):
    out, preds = tmp_path / "rules.json", tmp_path / "rules.jsonl"
    result = run_bench("eval", "--out", str(out), "--save-predictions", str(preds))
    assert result.returncode == 0, result.stderr
    assert "casualties.f1=" in result.stdout.splitlines()[0]
    assert "casualties  [value_accuracy=" in result.stdout and "casualties per outcome (credit)" in result.stdout
    record = json.loads(out.read_text())
    assert record["tasks"]["casualties"]["gold_version"] == "1.2.0" and record["tasks"]["casualties"]["headline"] == "f1"
    metrics = {r["metric"] for r in record["metrics"] if r["task"] == "casualties"}
    assert {"f1", "strict_f1", "detection_f1", "value_accuracy", "victim_accuracy", "spurious_on_negatives", "ungrounded"} <= metrics
    units = [u for u in record["units"] if u["task"] == "casualties" and "metric" not in u]  # the headline's
    f1 = next(r for r in record["metrics"] if r["task"] == "casualties" and r["metric"] == "f1" and "label" not in r)
    assert sum(u["tp"] for u in units) == f1["tp"] and sum(u["fn"] for u in units) == f1["fn"]
    assert 0.0 < f1["value"] < 1.0  # a real number, neither the oracle nor empty
    rescored = json.loads(run_bench("score", str(preds), "--json").stdout)
    assert rescored["metrics"] == record["metrics"]
    saved = json.loads(preds.read_text().splitlines()[0])
    assert saved["casualties"] and "start" in saved["casualties"][0]["quantity"]


def test_schema_predictions_has_the_casualties_key():
    schema = json.loads(run_bench("schema", "predictions").stdout)
    assert schema["properties"]["casualties"]["items"]["required"] == ["quantity", "outcome", "unit", "victim"]
    assert json.loads(run_bench("schema", "casualties_gold").stdout)["properties"]["task"] == {"const": "casualties"}
