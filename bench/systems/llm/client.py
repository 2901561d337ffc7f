"""A client for any OpenAI-compatible `/v1/chat/completions` endpoint (vLLM, llama.cpp's
server, Ollama, TGI, hosted APIs).

What it does with each request, in order:
- sends the task's answer schema as `response_format`. `auto` tries the OpenAI form
  (`json_schema`) first; an endpoint that rejects it (400 or 422, or an error that
  names `response_format`) is asked again with `json_object` plus the schema
  (llama.cpp's and Anyscale's form), then with none.
  The form that worked is kept for later requests;
- waits at most `timeout` seconds for an answer;
- retries timeouts, 5xx answers, 429s and bodies that are not JSON, up to `max_retries`
  times, waiting `backoff * 2**attempt` seconds (at most `max_backoff`), or what a 429's
  `Retry-After` asks (seconds or an HTTP date, at most `max_backoff`);
- fails at once, with one line, when the endpoint was never reached (a wrong URL or a
  server that is not running), on other 4xx answers, and when the retries run out.

The API key comes from the environment variable BENCH_API_KEY (else OPENAI_API_KEY);
without one no Authorization header is sent, as local servers expect.
"""

from __future__ import annotations

import json
import os
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from enum import Enum
from typing import Any, Callable

from bench.errors import BenchError

API_KEY_VARIABLES = ("BENCH_API_KEY", "OPENAI_API_KEY")


class EndpointError(BenchError):
    """The endpoint cannot be reached or keeps failing: one line, exit code 2."""


class ResponseFormat(str, Enum):
    AUTO = "auto"
    JSON_SCHEMA = "json_schema"  # OpenAI, vLLM
    JSON_OBJECT = "json_object"  # json_object plus "schema": llama.cpp's server, Anyscale
    NONE = "none"  # no constraint: the prompt alone asks for JSON


_FALLBACK = {ResponseFormat.JSON_SCHEMA: ResponseFormat.JSON_OBJECT, ResponseFormat.JSON_OBJECT: ResponseFormat.NONE}


@dataclass(frozen=True)
class Decoding:
    """Decoding parameters: part of the cache key and of the results."""

    temperature: float = 0.0
    top_p: float = 1.0
    max_tokens: int = 2048
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
class Completion:
    text: str
    finish_reason: str | None

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


def api_key() -> str | None:
    for name in API_KEY_VARIABLES:
        if os.environ.get(name):
            return os.environ[name]
    return None


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _response_format(form: ResponseFormat, schema: dict[str, Any], name: str) -> dict[str, Any] | None:
    if form is ResponseFormat.JSON_SCHEMA:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema, "strict": True}}
    if form is ResponseFormat.JSON_OBJECT:
        return {"type": "json_object", "schema": schema}
    return None


class ChatClient:
    """Thread-safe: the LLM system calls `complete` from several threads at once."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        policy: RetryPolicy = RetryPolicy(),
        response_format: ResponseFormat = ResponseFormat.AUTO,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        import httpx

        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.identity = f"{model}@{base_url.rstrip('/')}"  # the cache's model identity
        self.policy = policy
        self.sleep = sleep
        self._format = ResponseFormat.JSON_SCHEMA if response_format is ResponseFormat.AUTO else response_format
        self._auto = response_format is ResponseFormat.AUTO
        self._reached = False
        self._lock = threading.Lock()
        headers = {"Authorization": f"Bearer {key}"} if (key := api_key()) else {}
        self._http = httpx.Client(timeout=httpx.Timeout(policy.timeout, connect=min(10.0, policy.timeout)), headers=headers)
        self._httpx = httpx

    def close(self) -> None:
        self._http.close()

    def _body(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding, form: ResponseFormat) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages, **decoding.to_json()}
        if (fmt := _response_format(form, schema, name)) is not None:
            body["response_format"] = fmt
        return body

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding) -> Completion:
        attempt = 0
        while True:
            form = self._format
            try:
                response = self._http.post(self.url, json=self._body(messages, schema, name, decoding, form))
            except self._httpx.TimeoutException:  # slow, not unreachable: retried
                problem = f"no answer within {self.policy.timeout:g} s"
            except self._httpx.TransportError as exc:
                if not self._reached:
                    raise EndpointError(f"cannot reach {self.url}: {exc or type(exc).__name__} (is the server running, and is the URL right?)") from None
                problem = f"connection failed: {exc or type(exc).__name__}"
            else:
                self._reached = True
                status = response.status_code
                if status == 200:
                    try:
                        return _completion(response.json())
                    except (ValueError, KeyError, IndexError, TypeError):
                        problem = f"HTTP 200 with a body that is not a chat completion ({_clip(response.text)})"
                elif self._auto and form in _FALLBACK and (status in (400, 422) or "response_format" in response.text):
                    with self._lock:
                        if self._format is form:
                            self._format = _FALLBACK[form]
                    continue  # the endpoint rejected this response_format: ask again without it
                elif status == 429 or status >= 500:
                    problem = f"HTTP {status} ({_clip(response.text)})"
                    wait = _retry_after(response.headers.get("retry-after")) if status == 429 else None
                    if attempt < self.policy.max_retries and wait is not None:
                        self.sleep(min(wait, self.policy.max_backoff))
                        attempt += 1
                        continue
                elif status in (401, 403):
                    raise EndpointError(f"{self.url}: HTTP {status}, not authorised; set {API_KEY_VARIABLES[0]} to the endpoint's API key")
                else:
                    raise EndpointError(f"{self.url}: HTTP {status}: {_clip(response.text)}")
            if attempt >= self.policy.max_retries:
                raise EndpointError(f"{self.url}: {problem}; gave up after {attempt + 1} attempts (see --timeout, --max-retries)")
            self.sleep(self.policy.delay(attempt))
            attempt += 1

    @property
    def response_format(self) -> ResponseFormat:
        return self._format


def _completion(payload: Any) -> Completion:
    choice = payload["choices"][0]
    content = choice["message"].get("content") or ""
    if not isinstance(content, str):
        raise TypeError("content is not a string")
    return Completion(content, choice.get("finish_reason"))


def _clip(text: str, width: int = 120) -> str:
    """An error body as one short line: the API's error message when it has one."""
    try:
        error = json.loads(text).get("error", {})
        text = error.get("message", text) if isinstance(error, dict) else str(error) or text
    except (ValueError, AttributeError):
        pass
    flat = " ".join(str(text).split())
    return flat[:width] + ("..." if len(flat) > width else "")
