"""A fast, sound "this fits its schema" check, with `jsonschema` kept for every message.

Where it sits: a shared utility of every stage that reads files from outside (gold,
predictions, results, ceiling tables). `jsonschema` walks an instance keyword by keyword
with generic machinery: a gold file of 20,000 mentions takes it over a second. Here a
schema is compiled once into plain Python closures that answer, for an instance:

- True: it fits the schema, for certain;
- False: it does not;
- None: not sure (a case this module does not decide, such as a float where an
  integer is asked for, or `enum` over arrays and objects).

Callers skip `jsonschema` only on True; on anything else they run it as before, so every
accepted file is one `jsonschema` accepts and every message is `jsonschema`'s.
`tests/test_schemafit.py` checks that soundness against `jsonschema` on generated
instances.

Only the subset of JSON Schema 2020-12 that this project's schemas use is compiled; a
schema with any other keyword (or a `$ref` outside the document) compiles to a check
that always says None. Annotations (`title`, `description`, `format`, which
`jsonschema` does not assert by default, ...) are ignored, as `jsonschema` ignores them.
"""

from __future__ import annotations

import re
from typing import Any, Callable, Mapping, Optional

Check = Callable[[Any], Optional[bool]]

ANNOTATIONS = frozenset({"$schema", "$id", "$comment", "$defs", "title", "description", "default", "examples", "format", "deprecated", "readOnly", "writeOnly"})


class Unsupported(Exception):
    """A keyword or reference this module does not compile."""


def compile_schema(schema: Any) -> Check:
    """A check for `schema` (a dict or a boolean schema); an unsupported one checks as None."""
    try:
        check = _Compiler(schema).compile(schema, root=True)
    except Unsupported:
        return _unsure

    def guarded(instance: Any) -> Optional[bool]:
        try:
            return check(instance)
        except RecursionError:  # a $ref cycle that never reaches the instance
            return None

    return guarded


def _unsure(instance: Any) -> None:
    return None


def _all(checks: list[Check]) -> Check:
    if not checks:
        return lambda instance: True
    if len(checks) == 1:
        return checks[0]

    # The verdict loop is written out here, in properties and in items, not shared through a
    # helper taking a generator: that doubled the time of a 20,000-mention gold file's check.
    def check(instance: Any) -> Optional[bool]:
        verdict: Optional[bool] = True
        for one in checks:
            result = one(instance)
            if result is False:
                return False
            if result is None:
                verdict = None
        return verdict

    return check


def _is_number(instance: Any) -> bool:
    return isinstance(instance, (int, float)) and not isinstance(instance, bool)


def _kind(value: Any) -> str:
    if value is None or isinstance(value, (bool, str)):
        return type(value).__name__
    if isinstance(value, (int, float)):
        return "number"
    return "container"


def _type_check(names: list[str]) -> Check:
    exact = {"object": dict, "array": list, "string": str}
    wanted = set(names)

    def check(instance: Any) -> Optional[bool]:
        if instance is None:
            return "null" in wanted
        if isinstance(instance, bool):
            return "boolean" in wanted
        if isinstance(instance, int):
            return "integer" in wanted or "number" in wanted
        if isinstance(instance, float):
            if "number" in wanted:
                return True
            return None if "integer" in wanted and instance.is_integer() else False
        for name, kind in exact.items():
            if isinstance(instance, kind):
                return name in wanted
        return None

    unknown = wanted - {"null", "boolean", "integer", "number", "object", "array", "string"}
    if unknown:
        raise Unsupported(f"type {sorted(unknown)}")
    return check


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any, root: bool = False) -> Check:
        if schema is True:
            return lambda instance: True
        if schema is False:
            return lambda instance: False
        if not isinstance(schema, dict):
            raise Unsupported("a schema that is not an object")
        if "$id" in schema and not root:
            raise Unsupported("a nested $id")
        checks: list[Check] = []
        for key, value in schema.items():
            if key in ANNOTATIONS or key in ("additionalProperties", "items"):
                continue  # the second two are compiled with properties and arrays below
            make = getattr(self, "_" + key.replace("$", "dollar_"), None)
            if make is None:
                raise Unsupported(key)
            checks.append(make(value, schema))
        if "additionalProperties" in schema and "properties" not in schema:
            checks.append(self._properties({}, schema))
        if "items" in schema:
            checks.append(self._items(schema["items"]))
        return _all(checks)

    # -- references
    def _dollar_ref(self, ref: str, schema: Mapping) -> Check:
        if not isinstance(ref, str) or not ref.startswith("#"):
            raise Unsupported(f"$ref {ref!r}")
        if ref not in self.refs:
            self.refs[ref] = _unsure  # a placeholder while it compiles (recursive schemas)
            target: Any = self.root
            for part in [p for p in ref[1:].split("/") if p]:
                part = part.replace("~1", "/").replace("~0", "~")
                if not isinstance(target, dict) or part not in target:
                    raise Unsupported(f"$ref {ref!r}")
                target = target[part]
            self.refs[ref] = self.compile(target)
        refs = self.refs
        return lambda instance: refs[ref](instance)

    # -- any type
    def _type(self, value: Any, schema: Mapping) -> Check:
        return _type_check([value] if isinstance(value, str) else list(value))

    def _enum(self, values: list, schema: Mapping) -> Check:
        # jsonschema's equality: True is not 1, 1 is 1.0; containers are left to it
        scalars = frozenset((_kind(v), v) for v in values if _kind(v) != "container")
        containers = any(_kind(v) == "container" for v in values)

        def check(instance: Any) -> Optional[bool]:
            kind = _kind(instance)
            if kind == "container":
                return None if containers else False
            return (kind, instance) in scalars

        return check

    def _const(self, value: Any, schema: Mapping) -> Check:
        return self._enum([value], schema)

    def _anyOf(self, branches: list, schema: Mapping) -> Check:
        checks = [self.compile(b) for b in branches]

        def check(instance: Any) -> Optional[bool]:
            results = [c(instance) for c in checks]
            if True in results:
                return True
            return False if all(r is False for r in results) else None

        return check

    def _oneOf(self, branches: list, schema: Mapping) -> Check:
        checks = [self.compile(b) for b in branches]

        def check(instance: Any) -> Optional[bool]:
            results = [c(instance) for c in checks]
            if None in results:
                return None
            return results.count(True) == 1

        return check

    def _allOf(self, branches: list, schema: Mapping) -> Check:
        return _all([self.compile(b) for b in branches])

    # -- strings
    def _pattern(self, pattern: str, schema: Mapping) -> Check:
        search = re.compile(pattern).search
        return lambda instance: (search(instance) is not None) if isinstance(instance, str) else True

    def _minLength(self, n: int, schema: Mapping) -> Check:
        return lambda instance: len(instance) >= n if isinstance(instance, str) else True

    def _maxLength(self, n: int, schema: Mapping) -> Check:
        return lambda instance: len(instance) <= n if isinstance(instance, str) else True

    # -- numbers (the comparisons `jsonschema` makes)
    def _minimum(self, bound: Any, schema: Mapping) -> Check:
        return lambda instance: not (instance < bound) if _is_number(instance) else True

    def _maximum(self, bound: Any, schema: Mapping) -> Check:
        return lambda instance: not (instance > bound) if _is_number(instance) else True

    def _exclusiveMinimum(self, bound: Any, schema: Mapping) -> Check:
        return lambda instance: not (instance <= bound) if _is_number(instance) else True

    def _exclusiveMaximum(self, bound: Any, schema: Mapping) -> Check:
        return lambda instance: not (instance >= bound) if _is_number(instance) else True

    # -- objects
    def _properties(self, properties: Mapping, schema: Mapping) -> Check:
        compiled = {name: self.compile(sub) for name, sub in properties.items()}
        extra = schema.get("additionalProperties", True)
        closed = extra is False
        other = None if extra is True or closed else self.compile(extra)

        def check(instance: Any) -> Optional[bool]:
            if not isinstance(instance, dict):
                return True
            verdict: Optional[bool] = True
            for key, value in instance.items():
                sub = compiled.get(key)
                if sub is None:
                    if closed:
                        return False
                    if other is None:
                        continue
                    result = other(value)
                else:
                    result = sub(value)
                if result is False:
                    return False
                if result is None:
                    verdict = None
            return verdict

        return check

    def _required(self, names: list, schema: Mapping) -> Check:
        return lambda instance: all(n in instance for n in names) if isinstance(instance, dict) else True

    def _dependentRequired(self, deps: Mapping, schema: Mapping) -> Check:
        pairs = [(key, tuple(needs)) for key, needs in deps.items()]
        return lambda instance: all(key not in instance or all(n in instance for n in needs) for key, needs in pairs) if isinstance(instance, dict) else True

    # -- arrays
    def _items(self, sub: Any) -> Check:
        each = self.compile(sub)

        def check(instance: Any) -> Optional[bool]:
            if not isinstance(instance, list):
                return True
            verdict: Optional[bool] = True
            for item in instance:
                result = each(item)
                if result is False:
                    return False
                if result is None:
                    verdict = None
            return verdict

        return check

    def _minItems(self, n: int, schema: Mapping) -> Check:
        return lambda instance: len(instance) >= n if isinstance(instance, list) else True

    def _maxItems(self, n: int, schema: Mapping) -> Check:
        return lambda instance: len(instance) <= n if isinstance(instance, list) else True

    def _uniqueItems(self, unique: bool, schema: Mapping) -> Check:
        if not unique:
            return lambda instance: True

        def check(instance: Any) -> Optional[bool]:
            if not isinstance(instance, list):
                return True
            if all(type(item) is str for item in instance):
                return len(set(instance)) == len(instance)
            return None

        return check
