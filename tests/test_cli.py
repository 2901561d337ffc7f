"""The CLI end to end: oracle/empty bounds, save-and-rescore, and one-line errors with exit 2."""

import json

import pytest

from conftest import run_bench

DOC = "000_5cf36fedf2077db3"


def _write(path, lines):
    path.write_bytes(b"\n".join(line if isinstance(line, bytes) else line.encode("utf-8") for line in lines) + b"\n")
    return path


def test_help_is_quick_to_import():
    result = run_bench("--help")
    assert result.returncode == 0 and "eval" in result.stdout and "score" in result.stdout


def test_oracle_scores_one_and_empty_scores_zero_recall(tmp_path):
    out = tmp_path / "oracle.json"
    assert run_bench("eval", "oracle", "--out", str(out)).returncode == 0
    record = json.loads(out.read_text())
    assert all(row["value"] == 1.0 for row in record["metrics"] if row["metric"].endswith(("_f1", "_precision", "_recall")))
    headline = [r for r in record["metrics"] if r["task"] == "ner" and r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r]
    assert headline == [{"task": "ner", "metric": "strict_f1", "value": 1.0, "view": "gold", "support": 163, "predicted": 163, "tp": 163, "fp": 0, "fn": 0}]
    result = run_bench("eval", "empty", "--json")
    record = json.loads(result.stdout)
    recall = [r for r in record["metrics"] if r["metric"] == "strict_recall" and "label" not in r]
    assert recall and all(r["value"] == 0.0 for r in recall)


def test_results_record_what_reproduction_needs(tmp_path):
    record = json.loads(run_bench("eval", "empty", "--json").stdout)
    assert record["benchmark"]["name"] == "syria-coast-ie"
    assert record["tasks"]["ner"]["gold_version"] == "1.0.0" and len(record["tasks"]["ner"]["gold_sha256"]) == 64
    assert record["tasks"]["ner"]["scorer_version"]
    assert record["system"]["spec"] == "empty" and record["system"]["version"]
    assert {"python", "bench", "seqeval", "scipy"} <= set(record["packages"])
    assert record["documents"] == {
        "000_5cf36fedf2077db3": "02f47a01a25d232e10077b4ab2fdc43fbc80b357051252e13b197ecef5082810",
        "003_a061056322098f3b": "c348c78fd3a26991d6a5fdddafac8ffaf6a7e6640be03ddb16ac42602faf8813",
    }
    units = [u for u in record["units"] if u["view"] == "gold"]
    assert sum(u["fn"] for u in units) == 163


def test_saved_predictions_rescore_to_the_same_numbers(tmp_path):
    preds, out = tmp_path / "rules.jsonl", tmp_path / "rules.json"
    assert run_bench("eval", "rules", "--save-predictions", str(preds), "--out", str(out)).returncode == 0
    rescored = json.loads(run_bench("score", str(preds), "--json").stdout)
    assert rescored["metrics"] == json.loads(out.read_text())["metrics"]


def test_out_is_never_overwritten_without_force(tmp_path):
    out = tmp_path / "r.json"
    out.write_text("keep me")
    result = run_bench("eval", "empty", "--out", str(out))
    assert result.returncode == 2 and "--force" in result.stderr and out.read_text() == "keep me"
    assert run_bench("eval", "empty", "--out", str(out), "--force").returncode == 0
    assert json.loads(out.read_text())["system"]["spec"] == "empty"


def test_unknown_system_suggests():
    result = run_bench("eval", "spacey")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "bench: error: unknown system 'spacey': did you mean 'spacy' or 'spacy-md'? known systems: rules, rules@1.2.0, textacy, quantulum3, spacy, spacy-md, smollm2, oracle, empty "
        "(or hf:MODEL, openai:MODEL@URL, llama-cpp:PATH.gguf, or package.module:factory for your own; see `bench list`)"
    ]


def test_a_misspelt_model_prefix_suggests_the_right_one():
    result = run_bench("eval", "llamacpp:model.gguf")
    assert result.returncode == 2 and "did you mean 'llama-cpp:'" in result.stderr and result.stderr.count("\n") == 1


BAD = {
    "invalid_json": ([f'{{"doc_id": "{DOC}", "ner": [}}'], "bad.jsonl:1: invalid JSON: Expecting value at column"),
    "unknown_doc": (['{"doc_id": "000_nope", "ner": []}'], "bad.jsonl:1: unknown doc_id '000_nope'"),
    "out_of_range": ([f'{{"doc_id": "{DOC}", "ner": [{{"start": 10, "end": 99999, "label": "GPE"}}]}}'], f"bad.jsonl:1: ner[0]: offsets [10, 99999) out of range for document {DOC} (6044 code points)"),
    "text_mismatch": ([f'{{"doc_id": "{DOC}", "ner": [{{"start": 0, "end": 8, "text": "Syria", "label": "GPE"}}]}}'], f"bad.jsonl:1: ner[0]: text 'Syria' does not match document {DOC} at [0, 8), which reads 'Featured'"),
    "unknown_label": ([f'{{"doc_id": "{DOC}", "ner": [{{"text": "Syria", "label": "COUNTRY"}}]}}'], "bad.jsonl:1: ner[0]: unknown NER label 'COUNTRY'"),
    "wrong_type": ([f'{{"doc_id": "{DOC}", "ner": [{{"start": "0", "end": 8, "label": "GPE"}}]}}'], "bad.jsonl:1: ner[0].start: '0' is not of type 'integer'"),
    "not_utf8": ([f'{{"doc_id": "{DOC}", "ner": []}}', b'{"doc_id": "003_a061056322098f3b", "ner": [{"text": "Syr\xe9a", "label": "GPE"}]}'], "bad.jsonl:2: not UTF-8"),
    "not_object": (["[1, 2]"], "bad.jsonl:1: expected a JSON object with doc_id, got list"),
    "repeated_doc": ([f'{{"doc_id": "{DOC}", "ner": []}}', f'{{"doc_id": "{DOC}", "ner": []}}'], f"bad.jsonl:2: doc_id '{DOC}' again (first at line 1)"),
    "no_offsets_no_text": ([f'{{"doc_id": "{DOC}", "ner": [{{"label": "GPE"}}]}}'], "bad.jsonl:1: ner[0]: {'label': 'GPE'} is not valid under any of the given schemas"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_bad_predictions_file_gets_one_line_and_exit_2(tmp_path, case):
    lines, expected = BAD[case]
    bad = _write(tmp_path / "bad.jsonl", lines)
    out = tmp_path / "out.json"
    result = run_bench("score", str(bad), "--out", str(out), cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    err = result.stderr.strip().splitlines()
    assert len(err) == 1, err
    assert err[0].startswith("bench: error: ") and expected in err[0].replace(str(tmp_path) + "/", ""), err[0]
    assert not out.exists()


def test_text_only_predictions_are_grounded_and_ungrounded_ones_reported(tmp_path):
    lines = [json.dumps({"doc_id": DOC, "ner": [{"text": "SOHR", "label": "ORG"}, {"text": "Narnia", "label": "GPE"}]})]
    record = json.loads(run_bench("score", str(_write(tmp_path / "p.jsonl", lines)), "--json").stdout)
    strict = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert (strict["tp"], strict["fp"]) == (1, 1)
    ungrounded = [r for r in record["metrics"] if r["metric"] == "ungrounded" and r["view"] == "gold"][0]
    assert ungrounded["value"] == 1
    assert {"doc_id": DOC, "view": "gold", "kind": "ungrounded", "gold": None, "pred": {"text": "Narnia", "label": "GPE"}} in record["errors"]["ner"]


def test_label_map_file_maps_and_ignores(tmp_path):
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"space": "gold", "map": {"PERSON": "PER", "DATE": None}}))
    lines = [json.dumps({"doc_id": DOC, "ner": [{"text": "Bashar Assad", "label": "PERSON"}, {"text": "December", "label": "DATE"}]})]
    record = json.loads(run_bench("score", str(_write(tmp_path / "p.jsonl", lines)), "--label-map", str(mapping), "--json").stdout)
    per = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("label") == "PER" and r["view"] == "gold"][0]
    assert (per["tp"], per["fp"]) == (1, 0)
    total = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert total["predicted"] == 1  # DATE ignored on purpose, never counted


def test_conll_space_predictions_score_only_the_projection(tmp_path):
    lines = [json.dumps({"doc_id": DOC, "ner": [{"text": "Latakia", "label": "LOC"}]})]
    record = json.loads(run_bench("score", str(_write(tmp_path / "p.jsonl", lines)), "--label-map", "conll", "--json").stdout)
    views = {r["view"] for r in record["metrics"]}
    assert views == {"conll"}
    loc = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("label") == "LOC"][0]
    assert loc["tp"] == 1


def test_schema_and_list():
    schema = json.loads(run_bench("schema", "predictions").stdout)
    assert schema["properties"]["ner"]["items"]["required"] == ["label"]
    listing = run_bench("list").stdout
    assert "rules" in listing and "spacy" in listing and "ner" in listing
