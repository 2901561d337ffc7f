"""A client for any OpenAI-compatible `/v1/chat/completions` endpoint (vLLM, llama.cpp's
server, Ollama, TGI, hosted APIs).

What it does with each request, in order:
- sends the task's answer schema as `response_format`. `auto` tries the OpenAI form
  (`json_schema`) first; an endpoint that rejects it (400 or 422, or an error that
  names `response_format`) is asked again with `json_object` plus the schema
  (llama.cpp's and Anyscale's form), then with none.
  The form that worked is kept for later requests;
- waits at most `timeout` seconds for an answer;
- reads at most `MAX_BODY_BYTES` of a body (a longer one is cut there, and its answer
  counted as a `too_large` parse failure, never held whole in memory);
- takes the answer from `choices[0].message.content`: a string; null is an empty answer
  (a `no_json` parse failure); a list of content parts is their texts joined. What the
  answer holds (deep nesting, lone surrogates, prose) is judged by the parser
  (`bench.systems.llm.answers`), never here;
- retries timeouts, 5xx answers, 429s, a connection dropped mid-body, and 200 bodies
  that are not a chat completion (not UTF-8, not JSON, no `choices`), up to `max_retries`
  times, waiting `backoff * 2**attempt` seconds (at most `max_backoff`), or what a 429's
  `Retry-After` asks (seconds or an HTTP date, at most `max_backoff`);
- fails at once, with one line, when the endpoint was never reached (a wrong URL or a
  server that is not running), on other 4xx answers, and when the retries run out.

The API key comes from the environment variable BENCH_API_KEY (else OPENAI_API_KEY);
without one no Authorization header is sent, as local servers expect.
"""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable

from bench import safejson
from bench.errors import BenchError
from bench.systems.llm.settings import Decoding, ResponseFormat, RetryPolicy  # noqa: F401  (used and re-exported)

API_KEY_VARIABLES = ("BENCH_API_KEY", "OPENAI_API_KEY")


class EndpointError(BenchError):
    """The endpoint cannot be reached or keeps failing: one line, exit code 2."""


# The longest body read: room for an answer of MAX_ANSWER_CHARS characters written as
# \uXXXX escapes, plus the envelope. Anything longer is an answer too large to use.
MAX_BODY_BYTES = 6 * 1_000_000 + 65_536
_BODY_LIMITS = safejson.Limits(max_depth=32, max_chars=MAX_BODY_BYTES)

_FALLBACK = {ResponseFormat.JSON_SCHEMA: ResponseFormat.JSON_OBJECT, ResponseFormat.JSON_OBJECT: ResponseFormat.NONE}


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
            headers_seen = False
            try:
                with self._http.stream("POST", self.url, json=self._body(messages, schema, name, decoding, form)) as response:
                    headers_seen = True
                    data, cut = _read_capped(response)
            except self._httpx.TimeoutException:  # slow, not unreachable: retried
                problem = f"no answer within {self.policy.timeout:g} s"
            except self._httpx.TransportError as exc:
                if not (self._reached or headers_seen):
                    raise EndpointError(f"cannot reach {self.url}: {_one_line(exc)} (is the server running, and is the URL right?)") from None
                problem = f"connection dropped mid-answer: {_one_line(exc)}" if headers_seen else f"connection failed: {_one_line(exc)}"
            else:
                self._reached = True
                status = response.status_code
                text = data.decode("utf-8", errors="replace")  # for messages only
                if status == 200:
                    try:
                        return completion_from_body(data, cut)
                    except NotACompletion as exc:
                        problem = f"HTTP 200 with a body that is not a chat completion ({exc}: {_clip(text)})"
                elif self._auto and form in _FALLBACK and (status in (400, 422) or "response_format" in text):
                    with self._lock:
                        if self._format is form:
                            self._format = _FALLBACK[form]
                    continue  # the endpoint rejected this response_format: ask again without it
                elif status == 429 or status >= 500:
                    problem = f"HTTP {status} ({_clip(text)})"
                    wait = _retry_after(response.headers.get("retry-after")) if status == 429 else None
                    if attempt < self.policy.max_retries and wait is not None:
                        self.sleep(min(wait, self.policy.max_backoff))
                        attempt += 1
                        continue
                elif status in (401, 403):
                    raise EndpointError(f"{self.url}: HTTP {status}, not authorised; set {API_KEY_VARIABLES[0]} to the endpoint's API key")
                else:
                    raise EndpointError(f"{self.url}: HTTP {status}: {_clip(text)}")
            if attempt >= self.policy.max_retries:
                raise EndpointError(f"{self.url}: {problem}; gave up after {attempt + 1} attempts (see --timeout, --max-retries)")
            self.sleep(self.policy.delay(attempt))
            attempt += 1

    @property
    def response_format(self) -> ResponseFormat:
        return self._format


def _answer_cap() -> int:
    from bench.systems.llm.answers import MAX_ANSWER_CHARS

    return MAX_ANSWER_CHARS


def _read_capped(response: Any) -> tuple[bytes, bool]:
    """The body, at most MAX_BODY_BYTES of it, and whether it was cut there."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            return b"".join(chunks)[:MAX_BODY_BYTES], True
    return b"".join(chunks), False


class NotACompletion(ValueError):
    """A 200 body that holds no chat completion (retried like a 5xx)."""


def completion_from_body(data: bytes, cut: bool = False) -> Completion:
    """A 200 body -> the completion; `NotACompletion` (one line) when it holds none.

    A body `cut` at MAX_BODY_BYTES gives an answer just longer than any usable one, so
    the parser counts it as too_large; what the answer holds is judged there too.
    """
    if cut:
        return Completion(data.decode("utf-8", errors="replace")[: _answer_cap() + 1], None)
    try:
        return _completion(safejson.loads(data, _BODY_LIMITS, check_text=False))
    except safejson.UnsafeJSON as exc:
        raise NotACompletion(exc.problem) from None
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise NotACompletion(f"no choices[0].message.content ({type(exc).__name__})") from None


def _content(value: Any) -> str:
    """The answer text of `message.content`: a string; null -> ""; a list of parts -> their texts."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "".join(part["text"] for part in value if isinstance(part, dict) and isinstance(part.get("text"), str))
    raise TypeError(f"content is a {type(value).__name__}")


def _completion(payload: Any) -> Completion:
    choice = payload["choices"][0]
    if not isinstance(choice, dict):
        raise TypeError("choices[0] is not an object")
    finish = choice.get("finish_reason")
    content = _content(choice["message"].get("content"))
    if len(content) > _answer_cap():
        content = content[: _answer_cap() + 1]  # kept (and cached) just long enough to count as too_large
    return Completion(content, finish if isinstance(finish, str) else None)


def _one_line(exc: Exception) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _clip(text: str, width: int = 120) -> str:
    """An error body as one short line: the API's error message when it has one."""
    try:
        error = safejson.loads(text[:65_536]).get("error", {})
        text = error.get("message", text) if isinstance(error, dict) else str(error) or text
    except (ValueError, AttributeError):
        pass
    flat = " ".join(str(text)[: width * 4].split())
    shown = flat[:width].encode("utf-8", "backslashreplace").decode("utf-8")  # a lone surrogate shown as \ud800
    return shown + ("..." if len(flat) > width else "")
