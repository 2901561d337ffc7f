"""JSON Schemas of the benchmark's file kinds: articles, results, predictions lines, gold files.

Where it sits: beside the stages; every reader of an outside file validates with these.
The files here are the ones no task owns (`articles`, `results`, and the envelope of a
predictions line). Each task ships its own in its folder: the schema of its gold files
(`<task>_gold`) and of its value in a predictions line, which `load_schema("predictions")`
puts together with the envelope, task by task in registry order.
"""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

PREDICTIONS = "predictions"
_GOLD_SUFFIX = "_gold"


@lru_cache(maxsize=None)
def _packaged_text(name: str) -> str:
    return resources.files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")


def _packaged(name: str) -> dict[str, Any]:
    return json.loads(_packaged_text(name))


def _predictions() -> dict[str, Any]:
    """The envelope with every task's key, label map, failures and answers filled in."""
    from bench.tasks.registry import all_tasks

    schema = _packaged(PREDICTIONS)
    envelope = schema["properties"]
    properties: dict[str, Any] = {"doc_id": envelope["doc_id"], "label_maps": envelope["label_maps"]}
    for task in all_tasks():
        key = task.predictions_key
        properties[key] = task.predictions_schema()
        label_map = task.label_map_schema()
        if label_map is not None:
            envelope["label_maps"]["properties"][key] = label_map
        envelope["failures"]["properties"][key] = {"$ref": "#/$defs/failures"}
        envelope["answers"]["properties"][key] = {"type": "integer", "minimum": 1}
    properties["failures"], properties["answers"] = envelope["failures"], envelope["answers"]
    schema["properties"] = properties
    return schema


def _load(name: str) -> dict[str, Any]:
    if name == PREDICTIONS:
        return _predictions()
    if name.endswith(_GOLD_SUFFIX):
        from bench.tasks.registry import all_tasks

        for task in all_tasks():
            if f"{task.name}{_GOLD_SUFFIX}" == name:
                return task.gold_schema()
    return _packaged(name)


def load_schema(name: str) -> dict[str, Any]:
    """The schema called `name` (see `schema_names`), freshly read: the caller may keep or change it."""
    return _load(name)


def schema_names() -> list[str]:
    from bench.tasks.registry import all_tasks

    files = [p.name.removesuffix(".schema.json") for p in resources.files(__package__).iterdir() if p.name.endswith(".schema.json")]
    return sorted(files + [f"{task.name}{_GOLD_SUFFIX}" for task in all_tasks()])
