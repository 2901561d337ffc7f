"""The options of the LLM systems that a user chooses on the command line: the answer
format to ask for, the decoding parameters, the retry policy, the prompts and windows,
the cache.

Stage 3, systems. They live apart from the client (`client.py`) so that the CLI can
offer them, and `bench --help` can show them, without importing the client. Each
default is written once, here; the CLI's defaults are these.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any


class ResponseFormat(str, Enum):
    AUTO = "auto"
    JSON_SCHEMA = "json_schema"  # OpenAI, vLLM
    JSON_OBJECT = "json_object"  # json_object plus "schema": llama.cpp's server, Anyscale
    NONE = "none"  # no constraint: the prompt alone asks for JSON


GRAMMAR = "grammar from the answer schema"  # what an in-process llama.cpp answer is constrained by, as recorded

# `auto` tries these in turn, falling back when an endpoint refuses one (bench/systems/llm/client.py)
FALLBACK_ORDER = (ResponseFormat.JSON_SCHEMA, ResponseFormat.JSON_OBJECT, ResponseFormat.NONE)


def response_format_body(form: ResponseFormat, schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    """The request's `response_format` for a form: the OpenAI form, llama.cpp's (and
    Anyscale's) `json_object` with the schema beside it, or none at all. The harness
    integrations send the same bodies."""
    if form is ResponseFormat.JSON_SCHEMA:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if form is ResponseFormat.JSON_OBJECT:
        return {"type": "json_object", "schema": schema}
    return None


@dataclass(frozen=True)
class Decoding:
    """Decoding parameters: part of the cache key and of the results."""

    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 1024
    seed: int = 0
    repeat_penalty: float | None = None  # llama.cpp's; None: not sent, the backend's own default

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {"temperature": self.temperature, "top_p": self.top_p, "max_tokens": self.max_tokens, "seed": self.seed}
        if self.repeat_penalty is not None:
            out["repeat_penalty"] = self.repeat_penalty
        return out


@dataclass(frozen=True)
class RetryPolicy:
    timeout: float = 120.0  # seconds to wait for one answer
    max_retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 60.0

    def delay(self, attempt: int) -> float:
        return min(self.max_backoff, self.backoff * 2**attempt)


@dataclass(frozen=True)
class LLMOptions:
    """What the LLM systems (`smollm2`, `openai:`, `llama-cpp:`) read from the command line."""

    concurrency: int = 4  # endpoint requests in flight at once
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    response_format: ResponseFormat = ResponseFormat.AUTO
    decoding: Decoding = field(default_factory=Decoding)
    use_cache: bool = True
    cache_dir: Path | None = None
    prompts_dir: Path | None = None
    prompt_version: str | None = None  # None: the latest
    window: str | None = None  # document, paragraph or sentence; None: the system's default
    threads: int | None = None  # llama.cpp in-process: CPU threads; None: every core
    trust_env: bool = False  # openai: honour proxy variables, .netrc and SSL_CERT_FILE (httpx's trust_env)
    max_enum: int | None = None  # the answer schema's enum limit (schema_limits.py); None: the backend's default, 0: none
