"""The fast schema check (`bench.schemafit`) against `jsonschema`: a True is always a
file `jsonschema` accepts, a False always one it refuses, and the project's own files
are cleared without it (or the fast path would buy nothing)."""

from __future__ import annotations

import copy
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from bench.schemafit import compile_schema

ROOT = Path(__file__).resolve().parents[1]


def schemas() -> dict[str, dict]:
    from bench.documents.corpus import articles_schema
    from bench.harness.predictions import predictions_schema
    from bench.results.ceiling import table_schema
    from bench.results.record import results_schema
    from bench.tasks.registry import all_tasks

    out = {"predictions": predictions_schema(), "results": results_schema(), "articles": articles_schema(), "ceiling": table_schema()}
    for task in all_tasks():
        out[f"{task.name} gold"] = task.gold_schema()
    return out


SCHEMAS = schemas()


def real_instances() -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = [("articles", json.loads((ROOT / "seeds" / "articles.json").read_text()))]
    for task_dir in sorted((ROOT / "gold").iterdir()):
        if task_dir.is_dir():
            out += [(f"{task_dir.name} gold", json.loads(p.read_text())) for p in sorted(task_dir.glob("*.json"))]
    for path in sorted((ROOT / "results").glob("*.json")):
        out.append(("results", json.loads(path.read_text())))
    for path in sorted((ROOT / "results").glob("*.predictions.jsonl")):
        out += [("predictions", json.loads(line)) for line in path.read_text().splitlines() if line.strip()]
    out += [("ceiling", json.loads(p.read_text())) for p in sorted((ROOT / "results" / "ceiling").glob("*.json"))]
    return out


REAL = real_instances()


def agrees(schema: dict, instance: object) -> None:
    verdict = compile_schema(schema)(instance)
    if verdict is None:
        return
    valid = Draft202012Validator(schema).is_valid(instance)
    assert verdict == valid, (verdict, valid, json.dumps(instance)[:300])


def test_the_projects_own_files_are_cleared_without_jsonschema():
    kinds = {kind for kind, _ in REAL}
    assert {"articles", "results", "predictions", "ner gold", "casualties gold", "attribution gold"} <= kinds
    for kind, instance in REAL:
        assert Draft202012Validator(SCHEMAS[kind]).is_valid(instance), kind
        assert compile_schema(SCHEMAS[kind])(instance) is True, kind


# -- mutations of real files: what a hostile or careless writer sends
json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False, width=32) | st.sampled_from([0.0, 1.0, -1.0, 2.5])
    | st.text(max_size=4) | st.sampled_from(["", "PER", "ner", "x" * 70, "0" * 64, "1.0.0", "a b"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["id", "start", "end", "label", "text", "x", "doc_id", "ner"]), inner, max_size=3),
    max_leaves=6,
)


def paths(node: object, prefix: tuple = ()) -> list[tuple]:
    out = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            out += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node[:4]):
            out += paths(value, prefix + (i,))
    return out


@st.composite
def mutated(draw):
    kind, original = draw(st.sampled_from(REAL))
    instance = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, 3))):
        places = paths(instance)
        place = draw(st.sampled_from(places))
        if not place:
            instance = draw(json_values)
            continue
        parent = instance
        for part in place[:-1]:
            parent = parent[part]
        last = place[-1]
        action = draw(st.sampled_from(["replace", "delete", "add", "retype"]))
        if action == "delete":
            del parent[last]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "start", "end", "label", "text", "window", "system"]))] = draw(json_values)
        elif action == "add":
            parent.append(copy.deepcopy(parent[last]))
        elif action == "retype":
            value = parent[last]
            parent[last] = {int: float, float: int, bool: int, str: lambda s: [s], list: tuple, dict: list, type(None): lambda v: 0}.get(type(value), lambda v: v)(value)
            if isinstance(parent[last], tuple):
                parent[last] = list(parent[last])[:1]
        else:
            parent[last] = draw(json_values)
    return kind, instance


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_files_get_the_verdict_jsonschema_gives(case):
    kind, instance = case
    agrees(SCHEMAS[kind], instance)


# -- random schemas of the compiled subset, against random instances
leaf_schemas = st.one_of(
    st.builds(lambda t: {"type": t}, st.sampled_from(["string", "integer", "number", "boolean", "null", "object", "array"])),
    st.builds(lambda ts: {"type": ts}, st.lists(st.sampled_from(["string", "integer", "number", "null"]), min_size=1, max_size=3, unique=True)),
    st.builds(lambda vs: {"enum": vs}, st.lists(st.sampled_from(["a", "b", 1, True, None, 1.0, 0]), min_size=1, max_size=3)),
    st.builds(lambda v: {"const": v}, st.sampled_from(["a", 1, False, None])),
    st.builds(lambda n: {"minimum": n}, st.integers(-1, 2)),
    st.builds(lambda n: {"maximum": n}, st.integers(-1, 2)),
    st.builds(lambda n: {"exclusiveMinimum": n}, st.integers(-1, 2)),
    st.builds(lambda n: {"exclusiveMaximum": n}, st.integers(-1, 2)),
    st.builds(lambda n: {"minLength": n}, st.integers(0, 2)),
    st.builds(lambda n: {"maxLength": n}, st.integers(0, 2)),
    st.builds(lambda p: {"pattern": p}, st.sampled_from(["^a", "b$", "^[0-9]+$", "x"])),
    st.builds(lambda n: {"minItems": n}, st.integers(0, 2)),
    st.builds(lambda n: {"maxItems": n}, st.integers(0, 2)),
    st.just({"uniqueItems": True}),
    st.booleans(),
)


def combine(inner):
    names = st.sampled_from(["a", "b", "c"])
    return st.one_of(
        st.builds(lambda s, t: {**s, **t} if isinstance(s, dict) and isinstance(t, dict) else s, inner, inner),
        st.builds(lambda p, r, extra: {"type": "object", "properties": p, "required": r, "additionalProperties": extra},
                  st.dictionaries(names, inner, max_size=3), st.lists(names, max_size=2, unique=True), st.booleans() | inner),
        st.builds(lambda i: {"items": i}, inner),
        st.builds(lambda bs: {"anyOf": bs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda bs: {"oneOf": bs}, st.lists(inner, min_size=1, max_size=3)),
        st.builds(lambda bs: {"allOf": bs}, st.lists(inner, min_size=1, max_size=2)),
        st.builds(lambda d: {"dependentRequired": d}, st.dictionaries(names, st.lists(names, max_size=2, unique=True), max_size=2)),
        st.builds(lambda s: {"$defs": {"x": s}, "$ref": "#/$defs/x"}, inner),
    )


random_schemas = st.recursive(leaf_schemas, combine, max_leaves=8)
instances = st.recursive(
    st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from([0.0, 1.0, 1.5, -0.5]) | st.sampled_from(["", "a", "ab", "b", "12", "xa"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["a", "b", "c", "d"]), inner, max_size=3),
    max_leaves=6,
)


@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_schemas, instances)
def test_random_schemas_get_the_verdict_jsonschema_gives(schema, instance):
    agrees(schema, instance)


# -- each keyword at its edges: scalars of every kind against one or two merged keywords,
# so that an off-by-one in a bound or a length is met often, not once in a thousand
scalars = (st.none() | st.booleans() | st.integers(-2, 3) | st.sampled_from([0.0, 1.0, 2.0, 1.5, -0.5, -1.0])
           | st.text(alphabet="ab0129x", max_size=3))
edge_schemas = st.recursive(leaf_schemas, lambda inner: st.builds(lambda s, t: {**s, **t} if isinstance(s, dict) and isinstance(t, dict) else s, inner, inner), max_leaves=2)


@settings(max_examples=1500, deadline=None)
@given(edge_schemas, scalars | st.lists(scalars, max_size=3))
def test_each_keyword_at_its_edges_gets_the_verdict_jsonschema_gives(schema, instance):
    agrees(schema, instance)


def test_what_it_does_not_decide_is_left_to_jsonschema():
    assert compile_schema({"type": "integer"})(1.0) is None  # jsonschema counts 1.0 as an integer
    assert compile_schema({"type": "integer"})(1.5) is False
    assert compile_schema({"enum": [1]})(True) is False  # jsonschema's equality: True is not 1 ...
    assert compile_schema({"enum": [1]})(1.0) is True  # ... and 1.0 is 1
    assert compile_schema({"enum": [[1]]})([1]) is None  # arrays and objects are left to it
    assert compile_schema({"uniqueItems": True})([1, True]) is None
    assert compile_schema({"patternProperties": {"^a": {}}})({}) is None  # not compiled: always unsure
    assert compile_schema({"$ref": "other.json#/x"})({}) is None
    assert compile_schema({"properties": {"a": {"$id": "x", "type": "string"}}})({}) is None
