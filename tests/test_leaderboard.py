"""The leaderboard: rendered from the committed results alone, current, deterministic, and
refusing results made on other gold or scorer versions. The committed results must
also still be what the scorer gives for their saved predictions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

import pytest

from conftest import REPO, run_bench

RESULTS = REPO / "results"


def test_committed_leaderboard_is_current():
    """CI runs this: `leaderboard.md` is exactly what `bench leaderboard` renders from results/."""
    result = run_bench("leaderboard", "--check", cwd=REPO)
    assert result.returncode == 0, result.stderr


def test_committed_leaderboard_has_an_interval_on_every_row():
    rows = [line for line in (REPO / "leaderboard.md").read_text(encoding="utf-8").splitlines() if line.startswith("| [")]
    assert len(rows) >= 4 + 3 + 4  # rules, spacy, oracle, empty in each task; spacy has no casualties
    for row in rows:
        headline = row.split(" | ")[2]
        assert headline.startswith("**") and headline.count("[") == 1 and headline.endswith("]"), row


@pytest.mark.parametrize("path", sorted(RESULTS.glob("*.json")), ids=lambda p: p.stem)
def test_committed_results_reproduce_from_their_saved_predictions(path):
    """A committed results file is what scoring its predictions file gives today (metrics, units, intervals)."""
    record = json.loads(path.read_text(encoding="utf-8"))
    predictions = path.parent / record["run"]["predictions"]
    label_map = record["system"]["label_maps"].get("ner")
    args = ["score", str(predictions), "--json"] + (["--label-map", label_map] if label_map else [])
    result = run_bench(*args)
    assert result.returncode == 0, result.stderr
    fresh = json.loads(result.stdout)
    hint = f"{path.name}: differs from a fresh score; re-run `bench eval` for it and `bench leaderboard`"
    for key in ("metrics", "units", "tasks", "documents"):
        assert fresh[key] == record[key], f"{key}: {hint}"
    # Interval bounds are exact sums of whole counts, but spread ungrounded counts are fractions.
    got, want = fresh["intervals"], record["intervals"]
    assert {k: v for k, v in got.items() if k != "rows"} == {k: v for k, v in want.items() if k != "rows"}, hint
    assert [(r["task"], r["metric"], r.get("view")) for r in got["rows"]] == [(r["task"], r["metric"], r.get("view")) for r in want["rows"]], hint
    for a, b in zip(got["rows"], want["rows"]):
        assert (a["value"], a["low"], a["high"]) == pytest.approx((b["value"], b["low"], b["high"]), abs=1e-12), hint


@pytest.fixture()
def results_copy(tmp_path):
    folder = tmp_path / "results"
    folder.mkdir()
    for path in RESULTS.glob("*.json"):
        shutil.copy(path, folder / path.name)
    return folder


def _render(folder, out, *extra):
    return run_bench("leaderboard", "--results", str(folder), "--out", str(out), *extra)


def test_check_detects_a_stale_or_missing_file(results_copy, tmp_path):
    out = tmp_path / "leaderboard.md"
    missing = _render(results_copy, out, "--check")
    assert missing.returncode == 1 and "does not exist" in missing.stderr and not out.exists()
    assert _render(results_copy, out).returncode == 0
    assert _render(results_copy, out, "--check").returncode == 0
    text = out.read_text(encoding="utf-8")
    out.write_text(text.replace("| 1.2.0 (casualty", "| 1.1.9 (casualty", 1), encoding="utf-8")
    stale = _render(results_copy, out, "--check")
    assert stale.returncode == 1
    assert "is out of date" in stale.stderr and "1.1.9" in stale.stderr and "run `bench leaderboard`" in stale.stderr
    # A new results file is a new row, with no list of systems to edit.
    record = json.loads((results_copy / "empty.json").read_text())
    record["system"] |= {"name": "newcomer", "spec": "newcomer", "version": "0.0.1"}
    (results_copy / "newcomer.json").write_text(json.dumps(record))
    assert _render(results_copy, out, "--check").returncode == 1
    assert _render(results_copy, out).returncode == 0 and "[newcomer](results/newcomer.json) | 0.0.1 |" in out.read_text()


def test_refuses_results_on_other_gold_naming_the_files(results_copy, tmp_path):
    record = json.loads((results_copy / "rules.json").read_text())
    record["tasks"]["ner"]["gold_version"] = "0.9.0"
    (results_copy / "rules.json").write_text(json.dumps(record))
    out = tmp_path / "leaderboard.md"
    result = _render(results_copy, out)
    assert result.returncode == 2 and not out.exists()
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("bench: error: results disagree on ner gold or scorer")
    assert f"{results_copy / 'rules.json'}: gold 0.9.0" in line and str(results_copy / "oracle.json") in line


def test_rendering_is_deterministic_sorted_and_reads_no_system(results_copy, tmp_path):
    """Same files, same bytes; rows best first; no system module is imported and nothing is
    run or scored (only files are read; the record's typed blocks come from bench.harness.metadata)."""
    probe = (
        "import sys; from pathlib import Path; from bench.reports.leaderboard import load_results, render; "
        f"folder = Path({str(results_copy)!r}); text = render(load_results(folder), folder.parent / 'lb.md'); "
        "assert text == render(load_results(folder), folder.parent / 'lb.md'); "
        "print(','.join(m for m in sys.modules if m.startswith(('bench.systems', 'bench.harness.run', 'bench.harness.predictions')))); print(text)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 0, result.stderr
    imported, text = result.stdout.split("\n", 1)
    assert imported == ""
    ner = text.split("## ner")[1].split("## ")[0]
    names = [line.split("](")[0][3:] for line in ner.splitlines() if line.startswith("| [")]
    headline, system = {}, {}
    for path in results_copy.glob("*.json"):
        record = json.loads(path.read_text())
        if "ner" not in record["tasks"]:
            continue
        system[path.stem] = record["system"]["name"]
        headline[path.stem] = next(m["value"] for m in record["metrics"] if m["task"] == "ner" and m["metric"] == "strict_f1" and m.get("view") == "gold" and "label" not in m)
    expected = sorted(headline, key=lambda stem: (-headline[stem], system[stem], f"{stem}.json"))  # best first, ties by name, then file
    assert names == [system[stem] for stem in expected]
    assert names[:4] == ["oracle", "rules", "rules", "spacy"]  # rules 1.3.0 and rules@1.2.0 share their NER rules
    assert "—" in text.split("## casualties")[1]  # parse failures: the rule-based systems have no such row


def test_no_results_is_a_usage_error(tmp_path):
    (tmp_path / "results").mkdir()
    result = _render(tmp_path / "results", tmp_path / "lb.md")
    assert result.returncode == 2 and "no results files" in result.stderr


def test_a_conll_label_system_is_marked_in_the_ner_table(results_copy, tmp_path):
    from test_gates import _conll_only

    record = _conll_only(json.loads((results_copy / "rules.json").read_text()))
    record["system"] |= {"name": "conll-rules"}
    (results_copy / "conll.json").write_text(json.dumps(record))
    out = tmp_path / "leaderboard.md"
    assert _render(results_copy, out).returncode == 0
    ner = out.read_text().split("## ner")[1].split("## ")[0]
    row = next(line for line in ner.splitlines() if line.startswith("| [conll-rules]"))
    interval = next(r for r in record["intervals"]["rows"] if r["task"] == "ner" and r["metric"] == "strict_f1")
    assert f"**0.9169** [{interval['low']:.3f}, {interval['high']:.3f}] (conll view)" in row


def test_verify_re_scores_every_committed_row_from_its_predictions():
    """The committed rows are what their saved predictions give, number for number
    (every metric row, count and per-sentence unit): the check CI runs."""
    result = run_bench("leaderboard", "--check", "--verify")
    assert result.returncode == 0, result.stderr
    assert "6 rows re-scored from their predictions" in result.stdout or "rows re-scored from their predictions, every number as recorded" in result.stdout


def _move_a_count(units):
    """One true positive moved from one sentence to another: the totals still add up, so
    only re-scoring the predictions can tell (bench.results.consistency cannot)."""
    ner = [u for u in units if u["task"] == "ner" and u["view"] == "gold" and "metric" not in u]
    giver = next(u for u in ner if u["tp"] > 0)
    taker = next(u for u in ner if u is not giver)
    giver["tp"] -= 1
    taker["tp"] += 1


@pytest.mark.parametrize("tamper, message", [
    (lambda r: next(m for m in r["metrics"] if m["metric"] == "strict_f1" and "label" not in m).update(tp=1), "tp"),
    (lambda r: _move_a_count(r["units"]), "per-sentence units differ"),
    (lambda r: r["metrics"].append({"task": "ner", "metric": "made_up", "value": 0.5}), "has a row the predictions do not give"),
])
def test_verify_refuses_a_row_its_predictions_do_not_give(tmp_path, tamper, message):
    folder = tmp_path / "results"
    folder.mkdir()
    for name in ("rules.json", "rules.predictions.jsonl"):
        shutil.copy(RESULTS / name, folder / name)
    record = json.loads((folder / "rules.json").read_text())
    tamper(record)
    (folder / "rules.json").write_text(json.dumps(record))
    result = run_bench("leaderboard", "--results", str(folder), "--out", str(tmp_path / "lb.md"), "--verify")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_a_stray_json_file_is_skipped_by_name_and_a_broken_record_stays_an_error(results_copy, tmp_path):
    (results_copy / "sidecar.json").write_text(json.dumps({"model": "x", "notes": [1, 2]}), encoding="utf-8")
    (results_copy / "list.json").write_text("[1, 2]", encoding="utf-8")
    out = tmp_path / "lb.md"
    result = run_bench("leaderboard", "--results", str(results_copy), "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert f"bench leaderboard: skipped {results_copy / 'sidecar.json'}: not a results record (it has none of format, metrics, system)" in result.stderr
    assert f"skipped {results_copy / 'list.json'}: not a results record (a JSON list, not an object)" in result.stderr
    assert "sidecar" not in out.read_text() and "rules" in out.read_text()
    for name, text in (("claims.json", json.dumps({"format": 1, "system": {}})), ("cut.json", (RESULTS / "rules.json").read_text()[:500])):
        (results_copy / name).write_text(text, encoding="utf-8")
        broken = run_bench("leaderboard", "--results", str(results_copy), "--out", str(out))
        assert broken.returncode == 2 and name in broken.stderr and "Traceback" not in broken.stderr
        (results_copy / name).unlink()


def test_score_names_the_row_given(tmp_path):
    out = tmp_path / "r.json"
    result = run_bench("score", str(RESULTS / "rules.predictions.jsonl"), "--out", str(out), "--system-name", "my-model", "--system-version", "2.0 (via a harness)")
    assert result.returncode == 0, result.stderr
    system = json.loads(out.read_text())["system"]
    assert (system["name"], system["version"], system["spec"]) == ("my-model", "2.0 (via a harness)", "file:rules.predictions.jsonl")
    bad = run_bench("score", str(RESULTS / "rules.predictions.jsonl"), "--system-name", "a\nb")
    assert bad.returncode == 2 and "--system-name must be a non-empty line" in bad.stderr
