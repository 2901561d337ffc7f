"""Stage 3 of the pipeline, systems: adapters that turn documents into predictions, and their registry."""

from bench.systems.base import DocumentPrediction, System

__all__ = ["DocumentPrediction", "System"]
