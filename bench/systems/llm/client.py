"""A client for any OpenAI-compatible `/v1/chat/completions` endpoint (vLLM, llama.cpp's
server, Ollama, TGI, hosted APIs).

What it does with each request, in order:
- sends the task's answer schema as `response_format`. `auto` tries the OpenAI form
  (`json_schema`) first; an endpoint that rejects it (400 or 422, or an error that
  names `response_format`) is asked again with `json_object` plus the schema
  (llama.cpp's and Anyscale's form), then with none.
  The form that worked is kept for later requests, each fallback says so in one warning
  line, and each answer carries the form it was asked in (`Completion.response_format`,
  recorded per request in the cache and the results);
- waits at most `timeout` seconds for an answer, all of it: connecting, sending, the
  headers and the whole body. At the deadline the attempt's connection is shut down
  (its socket, which the `trace` extension of httpcore hands over when it connects), so
  a body trickling one byte a second ends there too; connections are not kept alive,
  so every attempt has its own. `cancel()` (Ctrl-C) shuts every attempt in flight the
  same way, at once, and stops the retries and their waits;
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
without one no Authorization header is sent, as local servers expect. The key is checked
as an HTTP header value (printable ASCII, no CR or LF) before any request, and a key
that fails is one line that names the variable, never the key. A URL that holds
credentials (`user:password@host`) is refused without showing them. Proxy variables
(HTTP_PROXY, HTTPS_PROXY, ALL_PROXY), `.netrc` and SSL_CERT_FILE are ignored (httpx's
`trust_env` is off) unless `trust_env=True` (`bench eval --trust-env`): nothing goes
anywhere but the endpoint named.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import sys
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Any, Callable
from urllib.parse import urlsplit

from bench import safejson
from bench.errors import BenchError, printable
from bench.systems.llm.settings import FALLBACK_ORDER, Decoding, ResponseFormat, RetryPolicy, response_format_body  # noqa: F401  (used and re-exported)

API_KEY_VARIABLES = ("BENCH_API_KEY", "OPENAI_API_KEY")


class EndpointError(BenchError):
    """The endpoint cannot be reached or keeps failing: one line, exit code 2."""


# The longest body read: room for an answer of MAX_ANSWER_CHARS characters written as
# \uXXXX escapes, plus the envelope. Anything longer is an answer too large to use.
MAX_BODY_BYTES = 6 * 1_000_000 + 65_536
_BODY_LIMITS = safejson.Limits(max_depth=32, max_chars=MAX_BODY_BYTES)

_FALLBACK = dict(zip(FALLBACK_ORDER, FALLBACK_ORDER[1:]))  # json_schema -> json_object -> none


@dataclass(frozen=True)
class Completion:
    text: str
    finish_reason: str | None
    response_format: str | None = None  # what was actually sent (after any fallback); recorded per request

    @property
    def truncated(self) -> bool:
        return self.finish_reason == "length"


def api_key() -> str | None:
    for name in API_KEY_VARIABLES:
        if os.environ.get(name):
            return checked_key(name, os.environ[name])
    return None


def checked_key(name: str, key: str) -> str:
    """`key` when it can be sent as an HTTP header value (printable ASCII); else one line
    naming the variable `name` and what is wrong, never the key itself."""
    for index, char in enumerate(key):
        if not " " <= char <= "~":
            what = {"\r": "a carriage return", "\n": "a line feed", "\t": "a tab"}.get(char) or ("a control character" if ord(char) < 128 else "a character that is not ASCII")
            raise EndpointError(f"{name} holds {what} (character {index + 1} of {len(key)}); an API key is sent as an HTTP header, so it must be printable ASCII (the key is not shown)")
    return key


def has_credentials(url: str) -> bool:
    """The URL names a user or password (`http://user:pass@host/v1`)."""
    try:
        return "@" in urlsplit(url).netloc
    except ValueError:
        return "@" in url


CREDENTIALS_REFUSED = "the endpoint URL holds credentials (user:password@ before the host), which are neither sent nor shown; remove them and give the API key in BENCH_API_KEY"


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


def rejects_response_format(status: int | None, text: str) -> bool:
    """An endpoint's error that refuses the `response_format` sent: a 400 or 422, or any
    error naming it (llama-cpp-python's server answers 500 to `json_schema`)."""
    return status in (400, 422) or "response_format" in text


class ChatClient:
    """Thread-safe: the LLM system calls `complete` from several threads at once."""

    def __init__(
        self,
        base_url: str,
        model: str,
        *,
        policy: RetryPolicy = RetryPolicy(),
        response_format: ResponseFormat = ResponseFormat.AUTO,
        sleep: Callable[[float], Any] | None = None,
        trust_env: bool = False,
        warn: Callable[[str], Any] | None = None,
    ) -> None:
        import httpx

        if has_credentials(base_url):
            raise EndpointError(CREDENTIALS_REFUSED)
        self.url = base_url.rstrip("/") + "/chat/completions"
        self.model = model
        self.identity = f"{model}@{base_url.rstrip('/')}"  # the cache's model identity
        self.policy = policy
        self._cancelled = threading.Event()
        self.sleep = sleep or self._cancelled.wait  # a wait between retries that cancel() ends
        self._live: set[_Deadline] = set()
        self._format = ResponseFormat.JSON_SCHEMA if response_format is ResponseFormat.AUTO else response_format
        self._auto = response_format is ResponseFormat.AUTO
        self._warn = warn or _warn
        self._reached = False
        self._lock = threading.Lock()
        headers = {"Authorization": f"Bearer {key}"} if (key := api_key()) else {}
        self._http = httpx.Client(
            timeout=httpx.Timeout(policy.timeout, connect=min(10.0, policy.timeout)),
            headers=headers,
            trust_env=trust_env,
            limits=httpx.Limits(max_keepalive_connections=0),  # one connection per attempt, which its deadline may shut
        )
        self._httpx = httpx

    def close(self) -> None:
        self._http.close()

    def cancel(self) -> None:
        """Stop: every request in flight is cut off at once, and none is started or retried."""
        self._cancelled.set()
        with self._lock:
            live = list(self._live)
        for deadline in live:
            deadline.expire()

    def _attempt(self) -> "_Deadline":
        deadline = _Deadline(self.policy.timeout)
        with self._lock:
            self._live.add(deadline)
        if self._cancelled.is_set():
            deadline.expire()
        return deadline

    def _done(self, deadline: "_Deadline") -> None:
        deadline.close()
        with self._lock:
            self._live.discard(deadline)

    def _body(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding, form: ResponseFormat) -> dict[str, Any]:
        body: dict[str, Any] = {"model": self.model, "messages": messages, **decoding.to_json()}
        if (fmt := response_format_body(form, schema, name)) is not None:
            body["response_format"] = fmt
        return body

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding) -> Completion:
        attempt = 0
        while True:
            if self._cancelled.is_set():
                raise EndpointError(f"{self.url}: cancelled")
            form = self._format
            headers_seen = False
            deadline = self._attempt()
            try:
                body = self._body(messages, schema, name, decoding, form)
                with self._http.stream("POST", self.url, json=body, extensions={"trace": deadline.trace}) as response:
                    headers_seen = True
                    data, cut = _read_capped(response, deadline)
            except (self._httpx.TimeoutException, _Expired):  # slow, not unreachable: retried
                problem = f"no answer within {self.policy.timeout:g} s"
            except self._httpx.TransportError as exc:
                if self._cancelled.is_set():
                    raise EndpointError(f"{self.url}: cancelled") from None
                if deadline.expired:  # the deadline shut the connection
                    problem = f"no answer within {self.policy.timeout:g} s"
                elif not (self._reached or headers_seen):
                    raise EndpointError(f"cannot reach {self.url}: {_one_line(exc)} (is the server running, and is the URL right?)") from None
                else:
                    problem = f"connection dropped mid-answer: {_one_line(exc)}" if headers_seen else f"connection failed: {_one_line(exc)}"
            else:
                self._reached = True
                status = response.status_code
                text = data.decode("utf-8", errors="replace")  # for messages only
                if status == 200:
                    try:
                        done = completion_from_body(data, cut)
                        return Completion(done.text, done.finish_reason, form.value)
                    except NotACompletion as exc:
                        problem = f"HTTP 200 with a body that is not a chat completion ({exc}: {_clip(text)})"
                elif self._auto and form in _FALLBACK and rejects_response_format(status, text):
                    with self._lock:
                        first = self._format is form
                        if first:
                            self._format = _FALLBACK[form]
                    if first:  # once per fallback, however many requests were refused at once
                        self._warn(f"{self.url} refused response_format {form.value} (HTTP {status}); "
                                   f"asking with {_FALLBACK[form].value} from now on (--response-format to choose)")
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
            finally:
                self._done(deadline)
            if self._cancelled.is_set():
                raise EndpointError(f"{self.url}: cancelled")
            if attempt >= self.policy.max_retries:
                raise EndpointError(f"{self.url}: {problem}; gave up after {attempt + 1} attempts (see --timeout, --max-retries)")
            self.sleep(self.policy.delay(attempt))
            attempt += 1

    @property
    def response_format(self) -> ResponseFormat:
        return self._format


def _warn(line: str) -> None:
    print(f"bench: warning: {printable(line)}", file=sys.stderr)


def _answer_cap() -> int:
    from bench.systems.llm.answers import MAX_ANSWER_CHARS

    return MAX_ANSWER_CHARS


class _Expired(Exception):
    """An attempt's deadline passed while its body was being read."""


class _Deadline:
    """One attempt's deadline. When it passes (a timer thread), or the client is
    cancelled, the attempt's connection is shut down, which at once ends a write or read
    blocked on it; the socket comes from httpcore's `trace` extension as it connects."""

    def __init__(self, seconds: float) -> None:
        self.at = time.monotonic() + seconds
        self.expired = False
        self._stream: Any = None
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self.expire)
        self._timer.daemon = True
        self._timer.start()

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event.endswith(("connect_tcp.complete", "start_tls.complete")):
            with self._lock:
                self._stream = info.get("return_value")
                expired = self.expired
            if expired:
                self._shut()

    def expire(self) -> None:
        with self._lock:
            self.expired = True
        self._shut()

    def passed(self) -> bool:
        return self.expired or time.monotonic() >= self.at

    def _shut(self) -> None:
        with self._lock:
            stream = self._stream
        try:
            stream.get_extra_info("socket").shutdown(socket.SHUT_RDWR)
        except (AttributeError, OSError):  # not connected yet, or closed already
            pass

    def close(self) -> None:
        self._timer.cancel()


def _read_capped(response: Any, deadline: _Deadline | None = None) -> tuple[bytes, bool]:
    """The body, at most MAX_BODY_BYTES of it, and whether it was cut there; `_Expired`
    when the deadline passes first."""
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        if deadline is not None and deadline.passed():
            raise _Expired()
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
