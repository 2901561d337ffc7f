"""bench.safejson: hostile JSON is refused with one line, honest JSON decodes as json.loads does."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bench import safejson
from bench.safejson import Limits, UnsafeJSON, find_surrogate, loads, nesting_depth, raw_decode

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30,
)


def _depth(value) -> int:
    if isinstance(value, list):
        return 1 + max(map(_depth, value), default=0)
    if isinstance(value, dict):
        return 1 + max(map(_depth, value.values()), default=0)
    return 0


@settings(max_examples=200, deadline=None)
@given(JSON_VALUES)
def test_honest_json_decodes_as_json_loads_does_and_its_depth_is_counted(value):
    text = json.dumps(value, ensure_ascii=False)  # hypothesis's text() has no surrogates
    assert find_surrogate(value) is None
    assert loads(text) == json.loads(text) == loads(text.encode("utf-8"))
    assert nesting_depth(text) == _depth(value)


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_deep_nesting_is_refused_before_decoding(opening, closing):
    text = opening * 100_000 + "1" + closing * 100_000
    with pytest.raises(UnsafeJSON, match="nested 100,000 levels deep"):
        loads(text)
    with pytest.raises(UnsafeJSON, match="nested"):
        loads(opening * 100_000)  # never closed: still refused, not a RecursionError


def test_brackets_inside_strings_do_not_count():
    assert nesting_depth(json.dumps({"a": "[[[[{{{{" * 1000, "b": ["x\\\"[[[", '"]']})) == 2
    assert loads(json.dumps(["[" * 500])) == ["[" * 500]


@pytest.mark.parametrize(
    "text,where",
    [('"\\ud800"', "(top level)"), ('{"a": ["ok", "x\\udfff"]}', "a[1]"), ('{"k\\udc00": 1}', "'k\\udc00'"), ('[{"t": "\\ud83d"}]', "[0].t")],
)
def test_lone_surrogates_are_refused_and_named(text, where):
    with pytest.raises(UnsafeJSON) as err:
        loads(text)
    assert err.value.problem.startswith(f"{where}: a string holds a lone surrogate")
    err.value.problem.encode("utf-8")  # the message itself is writable


def test_a_surrogate_pair_is_one_character_and_fine():
    assert loads('"\\ud83d\\ude00"') == "\U0001F600"


@pytest.mark.parametrize(
    "data,problem",
    [
        ("[NaN]", "NaN is not a JSON number"),
        ("[1, -Infinity]", "-Infinity is not a JSON number"),
        ('{"value": 1e999}', "the number 1e999 is too large for a float"),  # found by benchmarks/fuzz.py
        ("[-1.5e400]", "the number -1.5e400 is too large"),
        ("1" * 5000, "invalid JSON: Exceeds the limit"),
        ("\ufeff{}", "byte-order mark"),
        (b"[\"\xff\"]", "not UTF-8 (byte 3 is 0xff)"),
        ('{"a": 1', "invalid JSON: Expecting ',' delimiter at column 8"),
        ("[1,\n2", "at line 2 column 2"),
    ],
)
def test_other_bad_inputs_are_one_line(data, problem):
    with pytest.raises(UnsafeJSON) as err:
        loads(data)
    assert problem in err.value.problem and "\n" not in err.value.problem


def test_size_limits():
    limits = Limits(max_chars=100, max_string=10)
    with pytest.raises(UnsafeJSON, match="more than the 100"):
        loads("[" + "1," * 60 + "1]", limits)
    with pytest.raises(UnsafeJSON, match="a string of 11 characters"):
        loads('["' + "x" * 11 + '"]', limits)
    assert loads('["' + "\\ud800" * 11 + '"]', limits, check_text=False) == ["\ud800" * 11]


def test_raw_decode_leaves_json_decode_errors_to_the_caller():
    assert raw_decode('prose {"a": 1} more', 6) == ({"a": 1}, 14)
    with pytest.raises(json.JSONDecodeError):
        raw_decode('{"a": ', 0)
    with pytest.raises(UnsafeJSON):
        raw_decode('{"a": "\\ud800"}', 0)
    with pytest.raises(UnsafeJSON):
        safejson.check_shape("{" * 1000)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=200) | st.text(max_size=200).map(str.encode))
def test_any_bytes_decode_or_raise_unsafe_json(data):
    try:
        value = loads(data)
    except UnsafeJSON as exc:
        assert "\n" not in exc.problem
        exc.problem.encode("utf-8")
    else:
        json.dumps(value, ensure_ascii=False).encode("utf-8")


ANY_TEXT = st.text(alphabet=st.characters(codec=None, categories=("Ll", "Lu", "Nd", "Cs", "Po", "Zs")) | st.sampled_from("\\\"u"), max_size=6)
VALUES_WITH_SURROGATES = st.recursive(
    st.none() | st.integers() | ANY_TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(ANY_TEXT, inner, max_size=3),
    max_leaves=12,
)


def _longest(value) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, list):
        return max(map(_longest, value), default=0)
    if isinstance(value, dict):
        return max([*map(_longest, value), *map(_longest, value.values())], default=0)
    return 0


@settings(max_examples=400, deadline=None)
@given(VALUES_WITH_SURROGATES, st.booleans(), st.integers(0, 8))
def test_the_text_checks_skipped_on_a_clean_text_refuse_exactly_what_the_walks_refuse(value, ascii_only, max_string):
    text = json.dumps(value, ensure_ascii=ascii_only)  # escapes (\ud800) or raw surrogates
    limits = Limits(max_string=max_string)
    value = json.loads(text)  # what the text holds: two lone surrogates written as escapes decode to one character
    where = find_surrogate(value)
    try:
        loads(text, limits)
    except UnsafeJSON as exc:
        assert (where is not None and exc.problem.startswith(f"{where or '(top level)'}:")) or (where is None and _longest(value) > max_string)
    else:
        assert where is None and _longest(value) <= max_string


def test_a_long_string_after_prose_with_quotes_is_still_measured():
    limits = Limits(max_string=10)
    text = 'he said "hi" then {"a": "' + "x" * 11 + '", "b": "y"} "and more"'
    with pytest.raises(UnsafeJSON, match="a string of 11 characters"):
        raw_decode(text, text.index("{"), limits)
    with pytest.raises(UnsafeJSON, match="a string of 11 characters"):
        loads('{"a": "' + "x" * 11 + '"}', limits)


def _padded(value) -> bytes:
    """`value` as JSON bytes of at least `REMEMBER_FROM` bytes (so `loads` remembers its verdict)."""
    text = json.dumps(value, ensure_ascii=False)
    return (text + " " * max(0, safejson.REMEMBER_FROM - len(text.encode("utf-8", "surrogatepass")))).encode("utf-8", "surrogatepass")


def _outcome(data, limits=safejson.DEFAULT_LIMITS, check_text=True):
    try:
        return ("value", loads(data, limits, check_text=check_text))
    except UnsafeJSON as exc:
        return ("refused", exc.problem)


@settings(max_examples=200, deadline=None)
@given(VALUES_WITH_SURROGATES, st.integers(0, 8), st.booleans())
def test_a_remembered_verdict_is_the_verdict_the_checks_give(value, max_string, check_text):
    """The same large bytes decode to the same value, or are refused with the same line, on
    every read; a verdict is kept per limits and text check, never carried to others."""
    data = _padded(value)
    safejson._ACCEPTED.clear()
    strict = Limits(max_string=max_string)
    first = [_outcome(data), _outcome(data, strict, check_text)]
    assert [_outcome(data), _outcome(data, strict, check_text)] == first  # read again: remembered where accepted
    safejson._ACCEPTED.clear()
    assert [_outcome(data, strict, check_text), _outcome(data)] == list(reversed(first))  # the other order


def test_a_remembered_input_decodes_to_a_fresh_value():
    data = _padded({"mentions": [{"start": 0, "end": 3}]})
    first = loads(data)
    first["mentions"].clear()
    assert loads(data) == {"mentions": [{"start": 0, "end": 3}]}


def test_a_refused_input_is_refused_again():
    data = _padded({"a": "x" * 20})
    limits = Limits(max_string=10)
    for _ in range(2):
        with pytest.raises(UnsafeJSON, match="a string of 20 characters"):
            loads(data, limits)
