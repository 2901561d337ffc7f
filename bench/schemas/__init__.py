"""JSON Schemas of the benchmark's file kinds (gold files, predictions lines, articles)."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict[str, Any]:
    """The schema `bench/schemas/<name>.schema.json`."""
    text = resources.files(__package__).joinpath(f"{name}.schema.json").read_text(encoding="utf-8")
    return json.loads(text)


def schema_names() -> list[str]:
    return sorted(
        p.name.removesuffix(".schema.json")
        for p in resources.files(__package__).iterdir()
        if p.name.endswith(".schema.json")
    )
