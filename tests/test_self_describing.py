"""Paper cuts a new user hits: saved predictions re-score with no flag, an unknown label
names the label maps that would accept the file, and `bench list` says what can run here."""

from __future__ import annotations

import json

import pytest

from bench.systems.stacks import STACKS, Stack
from conftest import require_stack, run_bench

SPACY_STYLE = [("PERSON", "Assad"), ("GPE", "Syria"), ("DATE", "Thursday"), ("NORP", "Alawite")]


def _lines(corpus, label_maps=None):
    out = []
    for doc_id in corpus:
        line = {"doc_id": doc_id, "ner": [{"text": text, "label": label} for label, text in SPACY_STYLE]}
        if label_maps is not None:
            line["label_maps"] = label_maps
        out.append(line)
    return out


def _write(path, lines):
    path.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    return path


def _headline(record):
    return next(r for r in record["metrics"] if r["task"] == "ner" and r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r)


def test_unknown_label_names_the_label_maps_that_accept_the_file(tmp_path, corpus):
    path = _write(tmp_path / "p.jsonl", _lines(corpus))
    result = run_bench("score", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "unknown NER label" in result.stderr and "--label-map spacy-ontonotes accepts these labels" in result.stderr
    # The hint is right: with that map the file scores.
    assert run_bench("score", str(path), "--label-map", "spacy-ontonotes").returncode == 0


def test_no_built_in_map_knows_a_made_up_label(tmp_path, corpus):
    lines = _lines(corpus)
    lines[0]["ner"].append({"text": "Syria", "label": "COUNTRYISH"})
    result = run_bench("score", str(_write(tmp_path / "p.jsonl", lines)))
    assert result.returncode == 2 and "no built-in label map knows it: give --label-map FILE" in result.stderr


def test_a_recorded_label_map_is_used_with_no_flag(tmp_path, corpus):
    from bench.tasks.ner.labels import SPACY_ONTONOTES_MAP

    recorded = _write(tmp_path / "recorded.jsonl", _lines(corpus, {"ner": SPACY_ONTONOTES_MAP.to_json()}))
    plain = _write(tmp_path / "plain.jsonl", _lines(corpus))
    by_record = run_bench("score", str(recorded), "--json")
    by_flag = run_bench("score", str(plain), "--json", "--label-map", "spacy-ontonotes")
    assert by_record.returncode == 0 and by_flag.returncode == 0, by_record.stderr
    a, b = json.loads(by_record.stdout), json.loads(by_flag.stdout)
    assert _headline(a) == _headline(b) and _headline(a)["predicted"] > 0
    assert a["system"]["label_maps"] == {"ner": "spacy-ontonotes"}


def test_two_lines_with_different_maps_are_refused(tmp_path, corpus):
    from bench.tasks.ner.labels import SPACY_ONTONOTES_MAP

    lines = _lines(corpus, {"ner": SPACY_ONTONOTES_MAP.to_json()})
    other = dict(SPACY_ONTONOTES_MAP.to_json())
    other["map"] = {**other["map"], "DATE": "EVENT"}
    lines[1]["label_maps"] = {"ner": other}
    result = run_bench("score", str(_write(tmp_path / "p.jsonl", lines)))
    assert result.returncode == 2 and "p.jsonl:2: label_maps.ner differs from the one at" in result.stderr


def test_a_recorded_map_into_unknown_labels_is_one_line(tmp_path, corpus):
    lines = _lines(corpus, {"ner": {"space": "gold", "map": {"PERSON": "HUMAN"}}})
    result = run_bench("score", str(_write(tmp_path / "p.jsonl", lines)))
    assert result.returncode == 2 and "p.jsonl:1: label_maps.ner:" in result.stderr and "Traceback" not in result.stderr


def test_schema_documents_the_recorded_label_map():
    schema = json.loads(run_bench("schema", "predictions").stdout)
    assert "label_maps" in schema["properties"] and "ner" in schema["properties"]["label_maps"]["properties"]


def test_spacy_saved_predictions_rescore_with_no_flag(tmp_path):
    require_stack("spacy")
    saved = tmp_path / "spacy.jsonl"
    evaluated = run_bench("eval", "spacy", "--save-predictions", str(saved), "--json")
    assert evaluated.returncode == 0, evaluated.stderr
    rescored = run_bench("score", str(saved), "--json")
    assert rescored.returncode == 0, rescored.stderr
    a, b = json.loads(evaluated.stdout), json.loads(rescored.stdout)
    assert _headline(a)["value"] == _headline(b)["value"] and _headline(a)["tp"] == _headline(b)["tp"]
    assert b["system"]["label_maps"] == {"ner": "spacy-ontonotes"}
    first = json.loads(saved.read_text(encoding="utf-8").splitlines()[0])
    assert first["label_maps"]["ner"]["map"]["PERSON"] == "PER"


# --- bench list --------------------------------------------------------------------------


def test_list_says_which_systems_can_run_here():
    from bench.systems.registry import describe

    rows = {row.name: row for row in describe(())}
    assert rows["rules"].ready and rows["oracle"].ready and rows["rules"].extra == ""
    for name, stack in (("spacy", "spacy"), ("smollm2", "smollm2"), ("hf:MODEL", "hf"), ("llama-cpp:PATH.gguf", "llm")):
        assert rows[name].ready == STACKS[stack].installed, name
    listing = run_bench("list")
    assert listing.returncode == 0
    line = next(l for l in listing.stdout.splitlines() if l.strip().startswith("spacy "))
    assert ("ready" in line) == STACKS["spacy"].installed and "[spacy]" in line


def test_list_gives_the_install_line_for_a_missing_stack(monkeypatch):
    from typer.testing import CliRunner

    from bench.cli import app

    monkeypatch.setitem(STACKS, "spacy", Stack("spacy", "spacy", ("spacy", "no_such_module_for_bench_tests"), (), "pip install '.[spacy]'"))
    monkeypatch.setitem(STACKS, "smollm2", Stack("smollm2", "llm", ("llama_cpp",), ("no-such-wheel-for-bench-tests",), "pip install '.[llm]'"))
    out = CliRunner().invoke(app, ["list"]).stdout
    lines = out.splitlines()
    for name, missing, how in (("spacy", "no_such_module_for_bench_tests", "pip install '.[spacy]'"), ("smollm2", "no-such-wheel-for-bench-tests", "pip install '.[llm]'")):
        at = next(i for i, l in enumerate(lines) if l.strip().startswith(f"{name} "))
        assert "NOT INSTALLED" in lines[at]
        assert f"missing {missing}" in lines[at + 1] and how in lines[at + 1]
    rules = next(l for l in lines if l.strip().startswith("rules "))
    assert "ready" in rules and "NOT INSTALLED" not in rules


@pytest.mark.parametrize("name", sorted(STACKS))
def test_every_stack_names_an_install_line(name):
    assert STACKS[name].install.startswith("pip install ")
