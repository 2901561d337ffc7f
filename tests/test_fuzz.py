"""Bounded fuzzing of every input boundary (hypothesis): hostile inputs built from valid
samples (structure-aware), and raw bytes. Each must keep its contract
(`tests/fuzz_boundaries.py`). `benchmarks/fuzz.py` runs 100,000 cases per boundary."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testkit.fuzz_boundaries import BOUNDARIES, check, hostile

FUZZ = settings(max_examples=80, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))


@pytest.fixture(scope="module")
def folder():
    path = Path(tempfile.mkdtemp(prefix="bench-fuzz-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.parametrize("boundary", BOUNDARIES, ids=[b.name for b in BOUNDARIES])
def test_structure_aware(boundary, folder):
    samples = boundary.samples()

    @FUZZ
    @given(st.randoms(use_true_random=False))
    def run(rng):
        check(boundary, hostile(samples, rng), folder)

    run()


@pytest.mark.parametrize("boundary", BOUNDARIES, ids=[b.name for b in BOUNDARIES])
def test_raw_bytes(boundary, folder):
    @settings(FUZZ, max_examples=25)
    @given(st.binary(max_size=300))
    def run(data):
        check(boundary, data, folder)

    run()


def test_the_checker_catches_a_crash_the_caps_prevent(monkeypatch, folder):
    """Without bench.safejson's depth cap, a deep predictions line is a RecursionError, and
    the contract check says so: these tests can fail."""
    import json

    import bench.harness.predictions as predictions
    from testkit.fuzz_boundaries import ContractBroken

    boundary = next(b for b in BOUNDARIES if b.name == "predictions")
    check(boundary, b"[" * 100_000 + b"]" * 100_000, folder)  # with the cap: one line
    monkeypatch.setattr(predictions.safejson, "loads", lambda text: json.loads(text))
    with pytest.raises(ContractBroken, match="RecursionError"):
        check(boundary, b"[" * 100_000 + b"]" * 100_000, folder)
