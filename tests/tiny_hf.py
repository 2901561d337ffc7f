"""Build a tiny token-classification model inside a test: no downloads.

A one-layer BERT with a word-level vocabulary made from the articles' own tokens, a
64-token window (so every article needs several sliding windows), and a classifier
whose weights are zero and whose bias picks one tag everywhere: every word then comes
out as a one-word entity of that tag, which makes its output exactly predictable.
"""

from __future__ import annotations

import re
from pathlib import Path


def build_tiny_model(folder: Path, texts: list[str], labels: list[str], tag: str, window: int = 64) -> Path:
    import torch
    from transformers import BertConfig, BertForTokenClassification, BertTokenizerFast

    words = sorted({w.lower() for t in texts for w in re.findall(r"\w+|[^\w\s]", t)})
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words]
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab_file=str(folder / "vocab.txt"), do_lower_case=True, model_max_length=window)
    id2label = dict(enumerate(labels))
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=16,
        num_hidden_layers=1,
        num_attention_heads=2,
        intermediate_size=32,
        max_position_embeddings=window,
        id2label=id2label,
        label2id={v: k for k, v in id2label.items()},
    )
    torch.manual_seed(0)
    model = BertForTokenClassification(config)
    with torch.no_grad():
        model.classifier.weight.zero_()
        model.classifier.bias.fill_(-5.0)
        model.classifier.bias[labels.index(tag)] = 5.0
    model.save_pretrained(folder)
    tokenizer.save_pretrained(folder)
    return folder
