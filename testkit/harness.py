"""Fakes for the harness tests: a recording LLM backend whose answers are plausible,
broken or repeated, drawn from each request's own schema.

`Recorder` stands where `LLMSystem`'s backend does (no endpoint, no model); its calls
(messages, schema, schema name, answer text, finish reason) are what a harness would
have sent and got back, so a test can hand the same answers to the harness bridge.
"""

from __future__ import annotations

import json
import random
from typing import Any


def fake_answer(schema: dict[str, Any], rng: random.Random) -> tuple[str, str]:
    """A plausible answer from the schema's enums, sometimes broken, sometimes repeated:
    (text, finish_reason)."""
    roll = rng.random()
    if roll < 0.08:
        return '{"people": ["Assad"', "length"  # truncated
    if roll < 0.14:
        return "Sure! here you go", "stop"  # no JSON
    if roll < 0.2:
        return '{"entities": []}', "stop"  # breaks the schema

    def value(s: dict[str, Any]) -> Any:
        if "enum" in s:
            return rng.choice(s["enum"])
        if "anyOf" in s:
            return value(s["anyOf"][-1])
        kind = s.get("type")
        if kind == "object":
            return {k: value(v) for k, v in s["properties"].items()}
        if kind == "array":
            n = min(s.get("maxItems", 3), rng.randint(0, 4))
            items = [value(s["items"]) for _ in range(n)]
            return items + items[:1] if items and rng.random() < 0.3 else items  # duplicates
        if kind == "integer":
            return rng.randint(0, 50)
        if kind == "null":
            return None
        return "w1.a1" if rng.random() < 0.5 else "a1"

    return "```json\n" + json.dumps(value(schema)) + "\n```", "stop"


class Recorder:
    """An LLM backend that answers from the request alone (the same request, the same answer) and records every call."""

    identity = "fake@http://x/v1"
    response_format = None

    def __init__(self, seed: int) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.seed = seed

    def complete(self, messages, schema, name, decoding):
        from bench.systems.llm.client import Completion

        key = json.dumps(messages, sort_keys=True) + json.dumps(schema, sort_keys=True)
        text, finish = fake_answer(schema, random.Random(key + str(self.seed)))
        self.calls.append((messages, schema, name, text, finish))
        return Completion(text, finish)
