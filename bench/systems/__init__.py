"""Stage 3 of the pipeline, systems: adapters that turn documents into predictions, and their registry.

`base.py`: the interface (`System`, `DocumentPrediction`, `SystemContext`); `registry.py`:
spec -> system; `rules/` the model-free baseline; `spacy/` spaCy; `hf_ner.py` Hugging
Face token classifiers; `llm/` LLMs in-process or behind an endpoint; `simple.py` the
oracle and the empty system; `stacks.py` which optional stacks are installed."""

from typing import Any

__all__ = ["DocumentPrediction", "System"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `bench --help` can import the light option types in
    # this package (`options`, `llm.settings`) without the documents and systems behind them.
    if name in __all__:
        from bench.systems import base

        return getattr(base, name)
    raise AttributeError(f"module 'bench.systems' has no attribute {name!r}")
