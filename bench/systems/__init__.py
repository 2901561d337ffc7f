"""Stage 3 of the pipeline, systems: adapters that turn documents into predictions, and their registry."""

from typing import Any

__all__ = ["DocumentPrediction", "System"]


def __getattr__(name: str) -> Any:
    # Loaded on first use, so that `bench --help` can import the light option types in
    # this package (`options`, `llm.settings`) without the documents and systems behind them.
    if name in __all__:
        from bench.systems import base

        return getattr(base, name)
    raise AttributeError(f"module 'bench.systems' has no attribute {name!r}")
