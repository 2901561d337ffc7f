"""`hf:MODEL`: a Hugging Face token-classification model (hub id or local folder), for NER.

The transformers token-classification pipeline runs the model and aggregates its
sub-word tags into character spans (`aggregation_strategy="simple"`). Texts longer than
the model's limit are read in overlapping windows (`stride`, a quarter of the window),
and windows are batched (`--batch-size`). `--device cpu|cuda|mps` places the model;
`trust_remote_code` stays off unless `--trust-remote-code` is given.

Labels come from the model's `config.id2label` (B-/I-/E-/S- prefixes removed):
- labels all among the gold's (PER ORG GPE LOC FAC NORP EVENT): scored as they are;
- labels all among CoNLL-2003's (PER ORG LOC MISC): scored on the CoNLL projection;
- anything else needs `--label-map FILE`, and `bench` says so, listing the labels.
torch and transformers are imported only when such a system is created.
"""

from __future__ import annotations

import re
from typing import Any, Sequence

from bench.documents.corpus import Document
from bench.errors import SystemLoadError
from bench.systems.options import Device, HFOptions  # noqa: F401  (re-exported: the adapter's options)
from bench.systems.base import DocumentPrediction
from bench.tasks.registry import TaskName
from bench.tasks.ner.labels import ConllLabel, LabelMap, NerLabel, load_label_map, named_label_maps
from bench.tasks.ner.types import PredictedMention

_PREFIX = re.compile(r"^[BIESLU]-")


def entity_labels(id2label: dict[Any, str]) -> list[str]:
    """The model's entity types: tags without their B-/I-/E-/S- prefix, without O."""
    return sorted({_PREFIX.sub("", tag) for tag in id2label.values() if tag != "O"})


def label_map_for(model: str, labels: Sequence[str], explicit: str | None) -> LabelMap:
    if explicit:
        return load_label_map(explicit)
    named = named_label_maps()
    if set(labels) <= {label.value for label in NerLabel}:
        return named["gold"]
    if set(labels) <= {label.value for label in ConllLabel}:
        return named["conll"]
    raise SystemLoadError(
        f"system 'hf:{model}': its labels ({', '.join(labels)}) are neither the gold's nor CoNLL's PER/ORG/LOC/MISC; "
        'give --label-map FILE, a JSON file {"space": "gold" or "conll", "map": {"LABEL": "PER", "OTHER": null, ...}} naming every label'
    )


class HFTokenClassifier:
    tasks = frozenset({TaskName.NER})

    def __init__(self, model: str, *, device: str = "cpu", batch_size: int = 8, trust_remote_code: bool = False, label_map: str | None = None) -> None:
        try:
            from transformers import pipeline
            from transformers.utils import logging as hf_logging
        except ImportError:
            raise SystemLoadError("hf: systems need torch and transformers: pip install torch==2.13.0 --index-url https://download.pytorch.org/whl/cpu && pip install '.[hf]' (torch 2.13.0 from PyPI is the CUDA build)") from None
        hf_logging.set_verbosity_error()  # the harness reports progress; no loading bars or warnings
        hf_logging.disable_progress_bar()
        _check_device(device)
        try:
            self._pipe = pipeline(
                "token-classification",
                model=model,
                aggregation_strategy="simple",
                device=device,
                trust_remote_code=trust_remote_code,
            )
        except (OSError, ValueError, RuntimeError, ImportError) as exc:
            first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            raise SystemLoadError(f"system 'hf:{model}': cannot load it as a token-classification model: {first}") from None
        if not getattr(self._pipe.tokenizer, "is_fast", False):
            raise SystemLoadError(f"system 'hf:{model}': needs a fast tokenizer (for character offsets and sliding windows)")
        config = self._pipe.model.config
        self.name = model
        self.version = f"{getattr(config, '_name_or_path', model)} (transformers {_version('transformers')})"
        self.labels = entity_labels(config.id2label)
        self.label_maps = {TaskName.NER: label_map_for(model, self.labels, label_map)}
        self._batch_size = batch_size
        window = min(int(self._pipe.tokenizer.model_max_length or 512), int(getattr(config, "max_position_embeddings", 512) or 512))
        self.window = window
        self._stride = max(1, window // 4)
        self.metadata = {"model": model, "labels": self.labels, "window_tokens": window, "stride_tokens": self._stride, "device": device, "trust_remote_code": trust_remote_code}

    def predict(self, documents: Sequence[Document]) -> list[DocumentPrediction]:
        texts = [d.text for d in documents]
        outputs = self._pipe(texts, batch_size=self._batch_size, stride=self._stride)
        if texts and isinstance(outputs, list) and outputs and isinstance(outputs[0], dict):
            outputs = [outputs]  # one text gives a flat list
        out = []
        for doc, entities in zip(documents, outputs):
            mentions = []
            for e in entities:
                start, end = int(e["start"]), int(e["end"])
                # Aggregation can leave surrounding spaces in a span; offsets stay exact.
                while start < end and doc.text[start].isspace():
                    start += 1
                while end > start and doc.text[end - 1].isspace():
                    end -= 1
                if start < end:
                    mentions.append(PredictedMention(e["entity_group"], start, end, doc.text[start:end]))
            out.append(DocumentPrediction(doc.id, {TaskName.NER: tuple(mentions)}))
        return out


def _check_device(device: str) -> None:
    import torch

    available = {"cpu": True, "cuda": torch.cuda.is_available(), "mps": torch.backends.mps.is_available()}
    if not available.get(device, False):
        raise SystemLoadError(f"--device {device}: torch {torch.__version__} sees no {device} device here; use --device cpu")


def _version(package: str) -> str:
    from importlib.metadata import version

    return version(package)


def create(model: str, ctx: Any) -> HFTokenClassifier:
    if not model:
        raise SystemLoadError("system 'hf:': give a model, as hf:ORG/NAME (hub id) or hf:PATH (a local folder)")
    options = ctx.options_for(HFOptions)
    return HFTokenClassifier(
        model,
        device=options.device.value,
        batch_size=options.batch_size,
        trust_remote_code=options.trust_remote_code,
        label_map=options.label_map,
    )
