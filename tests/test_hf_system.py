"""`bench eval hf:PATH` with a tiny token-classification model built in the test (no downloads)."""

from __future__ import annotations

import json

import pytest

from conftest import require_stack, run_bench

CONLL_TAGS = ["O", "B-PER", "I-PER", "B-ORG", "I-ORG", "B-LOC", "I-LOC", "B-MISC", "I-MISC"]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory, corpus):
    require_stack("hf")
    from tiny_hf import build_tiny_model

    texts = [d.text for d in corpus.values()]
    return build_tiny_model(tmp_path_factory.mktemp("tiny-conll"), texts, CONLL_TAGS, "B-PER")


def test_eval_a_conll_model_through_sliding_windows(tiny, tmp_path, corpus):
    result = run_bench("eval", f"hf:{tiny}", "--out", str(tmp_path / "r.json"), "--save-predictions", str(tmp_path / "p.jsonl"), "--batch-size", "4")
    assert result.returncode == 0, result.stderr
    record = json.loads((tmp_path / "r.json").read_text())
    assert record["system"]["label_maps"] == {"ner": "conll labels"} and record["system"]["trust_remote_code"] is False
    assert record["system"]["window_tokens"] == 64
    views = {r["view"] for r in record["metrics"] if r["task"] == "ner"}
    assert views == {"conll"}  # a CoNLL model is scored on the CoNLL projection only
    lines = [json.loads(line) for line in (tmp_path / "p.jsonl").read_text().splitlines()]
    for line in lines:
        text = corpus[line["doc_id"]].text
        spans = [(m["start"], m["end"]) for m in line["ner"]]
        assert all(m["label"] == "PER" and text[m["start"] : m["end"]] == m["text"] for m in line["ner"])
        assert spans == sorted(spans) and all(a[1] <= b[0] for a, b in zip(spans, spans[1:]))  # windows merged, no repeats
        # Every word is tagged B-PER, so the last word of the article must be found:
        # proof that the windows reach past the model's 64-token limit to the end.
        assert spans[-1][1] >= len(text.rstrip()) - 1
    strict = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("label") is None][0]
    assert strict["predicted"] == sum(len(line["ner"]) for line in lines) and 0 < strict["value"] < 0.2


def test_a_model_with_other_labels_needs_a_label_map(tmp_path, corpus):
    require_stack("hf")
    from tiny_hf import build_tiny_model

    model = build_tiny_model(tmp_path / "m", [d.text for d in corpus.values()], ["O", "B-PERSON", "I-PERSON", "B-DATE", "I-DATE"], "B-PERSON")
    refused = run_bench("eval", f"hf:{model}")
    assert refused.returncode == 2 and "--label-map" in refused.stderr and "DATE, PERSON" in refused.stderr
    assert refused.stderr.count("\n") == 1
    (tmp_path / "map.json").write_text(json.dumps({"space": "gold", "map": {"PERSON": "PER", "DATE": None}}))
    mapped = run_bench("eval", f"hf:{model}", "--label-map", str(tmp_path / "map.json"), "--json")
    assert mapped.returncode == 0, mapped.stderr
    record = json.loads(mapped.stdout)
    strict = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r.get("label") is None and r["view"] == "gold"][0]
    assert strict["predicted"] > 500


def test_a_missing_model_is_one_line(tmp_path):
    require_stack("hf")
    result = run_bench("eval", f"hf:{tmp_path / 'nothing-here'}")
    assert result.returncode == 2 and result.stderr.startswith("bench: error: system 'hf:") and result.stderr.count("\n") == 1


def test_trust_remote_code_reaches_the_pipeline_only_when_asked(monkeypatch, tiny):
    import transformers

    from bench.systems.hf_ner import HFTokenClassifier

    seen = []
    real = transformers.pipeline

    def spy(*args, **kwargs):
        seen.append(kwargs["trust_remote_code"])
        return real(*args, **kwargs)

    monkeypatch.setattr(transformers, "pipeline", spy)
    HFTokenClassifier(str(tiny))
    HFTokenClassifier(str(tiny), trust_remote_code=True)
    assert seen == [False, True]


def test_a_device_that_is_not_there_is_one_line(tiny):
    import torch

    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    result = run_bench("eval", f"hf:{tiny}", "--device", "cuda")
    assert result.returncode == 2 and "--device cuda" in result.stderr and result.stderr.count("\n") == 1
