"""bench: an evaluation benchmark for information extraction on conflict reporting.

The pipeline, one subpackage per stage:
documents (texts, tokens, sentences) -> tasks (gold and prediction types, scoring)
-> systems (adapters that predict) -> results (typed run records) -> reports (tables).

Importing this package is cheap: heavy libraries load only inside the functions
that need them, so `bench --help` stays fast.
"""

BENCHMARK_NAME = "syria-coast-ie"
__version__ = "0.1.0"
