"""Helpers that the test suite and the measurement scripts of `benchmarks/` share.

Not part of the installed package: they read the checkout's own files (gold, results).
- `dense_reference`: the dense matchers the scorers used before sparse matching, the reference;
- `fuzz_boundaries`: every boundary where outside bytes come in, its contract and a generator of hostile inputs;
- `llm_fakes`: a small OpenAI-compatible server for fault tests and call counting.

The tests find it through pytest's `pythonpath` (pyproject.toml); the scripts run from
the repository root as modules (`python -m benchmarks.fuzz`).
"""
