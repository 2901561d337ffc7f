"""bench.prettyjson writes exactly what json.dumps(indent=N) writes, on any JSON value."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import prettyjson

ROOT = Path(__file__).resolve().parents[1]

scalars = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=5)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.lists(inner, max_size=3).map(tuple)
    | st.dictionaries(st.text(max_size=4), inner, max_size=4)
    | st.dictionaries(st.integers(-3, 3) | st.booleans() | st.none() | st.floats(-2, 2), inner, max_size=3),
    max_leaves=25,
)


@settings(max_examples=500, deadline=None)
@given(values, st.sampled_from([0, 1, 2, 4]), st.booleans())
def test_the_same_string_as_json_dumps(value, indent, ensure_ascii):
    assert prettyjson.dumps(value, indent, ensure_ascii=ensure_ascii) == json.dumps(value, indent=indent, ensure_ascii=ensure_ascii, allow_nan=False)


def test_the_committed_results_are_written_as_json_dumps_writes_them():
    for path in sorted((ROOT / "results").glob("*.json")):
        raw = json.loads(path.read_text(encoding="utf-8"))
        assert prettyjson.dumps(raw) == json.dumps(raw, indent=2, ensure_ascii=False, allow_nan=False), path.name


@pytest.mark.parametrize("bad", [[float("nan")], {"a": [1, {"b": float("inf")}]}, {"a": object()}])
def test_what_json_dumps_refuses_is_refused(bad):
    with pytest.raises((ValueError, TypeError)):
        prettyjson.dumps(bad)


def test_a_cycle_is_refused_as_json_dumps_refuses_it():
    loop: list = []
    loop.append([loop])
    with pytest.raises(ValueError):
        prettyjson.dumps(loop)


@settings(max_examples=100, deadline=None)
@given(st.recursive(st.floats() | st.none(), lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3), max_leaves=10))
def test_nan_and_infinity_where_allowed(value):
    assert prettyjson.dumps(value, 2, allow_nan=True) == json.dumps(value, indent=2, ensure_ascii=False)
