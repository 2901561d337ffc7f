"""The OpenAI-compatible client against a local server of the tests' own: each fault gives
its documented behaviour (a retry, a wait, a one-line error)."""

from __future__ import annotations

import json
import socket

import pytest

from bench.systems.llm.client import ChatClient, Decoding, EndpointError, ResponseFormat, RetryPolicy
from testkit.llm_fakes import VALID, Fault, FakeServer

MESSAGES = [{"role": "system", "content": "You list named entities."}, {"role": "user", "content": "Article: Syria"}]
SCHEMA = {"type": "object"}


def client(server: FakeServer, sleeps: list[float], **policy) -> ChatClient:
    return ChatClient(server.url, "test-model", policy=RetryPolicy(**{"timeout": 5.0, "max_retries": 2, **policy}), sleep=sleeps.append)


def test_a_valid_answer_and_the_request_body():
    sleeps: list[float] = []
    with FakeServer() as server:
        completion = client(server, sleeps).complete(MESSAGES, SCHEMA, "ner_answer", Decoding(temperature=0.0, max_tokens=99, seed=7))
    assert json.loads(completion.text) == VALID["ner"] and not completion.truncated
    body = server.requests[0]
    assert body["model"] == "test-model" and body["max_tokens"] == 99 and body["seed"] == 7 and body["temperature"] == 0.0
    assert body["response_format"] == {"type": "json_schema", "json_schema": {"name": "ner_answer", "schema": SCHEMA, "strict": True}}
    assert sleeps == []


def test_a_500_then_success_is_retried_with_backoff():
    sleeps: list[float] = []
    with FakeServer() as server:
        server.faults = [Fault(status=500), Fault(status=503)]
        completion = client(server, sleeps, backoff=0.5).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert json.loads(completion.text) == VALID["ner"]
    assert len(server.requests) == 3 and sleeps == [0.5, 1.0]  # exponential backoff


def test_a_429_waits_as_long_as_retry_after_says():
    sleeps: list[float] = []
    with FakeServer() as server:
        server.faults = [Fault(status=429, headers={"Retry-After": "3"})]
        completion = client(server, sleeps).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert json.loads(completion.text) == VALID["ner"] and sleeps == [3.0]


def test_a_429_with_an_http_date_and_one_without_retry_after():
    sleeps: list[float] = []
    with FakeServer() as server:
        server.faults = [Fault(status=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), Fault(status=429)]
        client(server, sleeps, backoff=0.25).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert sleeps == [0.0, 0.5]  # a date in the past means now; no header means backoff


def test_a_timeout_then_success_is_retried():
    sleeps: list[float] = []
    with FakeServer() as server:
        server.faults = [Fault(delay=1.5)]
        completion = client(server, sleeps, timeout=0.5).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert json.loads(completion.text) == VALID["ner"] and len(server.requests) == 2 and len(sleeps) == 1


def test_timeouts_that_persist_end_in_one_line():
    with FakeServer() as server:
        server.faults = [Fault(delay=1.0)] * 3
        with pytest.raises(EndpointError) as err:
            client(server, [], timeout=0.3).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert "no answer within 0.3 s" in err.value.message and "3 attempts" in err.value.message and "\n" not in err.value.message


def test_a_body_that_is_not_json_is_retried_then_reported():
    with FakeServer() as server:
        server.faults = [Fault(raw_body="<html>proxy error</html>")] * 3
        with pytest.raises(EndpointError) as err:
            client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert "not a chat completion" in err.value.message and len(server.requests) == 3


def test_an_unreachable_endpoint_fails_at_once():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # bound, never listening: connection refused
        sleeps: list[float] = []
        with pytest.raises(EndpointError) as err:
            ChatClient(f"http://127.0.0.1:{port}/v1", "m", sleep=sleeps.append).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert "cannot reach" in err.value.message and sleeps == []


def test_auto_falls_back_when_the_endpoint_rejects_json_schema():
    with FakeServer() as server:
        server.faults = [Fault(status=422)]
        chat = client(server, [])
        chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
        chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    formats = [r.get("response_format", {}).get("type") for r in server.requests]
    assert formats == ["json_schema", "json_object", "json_object"] and chat.response_format is ResponseFormat.JSON_OBJECT
    assert server.requests[1]["response_format"]["schema"] == SCHEMA


def test_other_client_errors_and_auth_are_one_line_errors(monkeypatch):
    with FakeServer() as server:
        server.faults = [Fault(status=404)]
        with pytest.raises(EndpointError, match="HTTP 404"):
            client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
        server.faults = [Fault(status=401)]
        with pytest.raises(EndpointError, match="BENCH_API_KEY"):
            client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())


def test_the_api_key_comes_from_the_environment(monkeypatch):
    import httpx

    monkeypatch.setenv("BENCH_API_KEY", "sk-test")
    seen = {}

    def handler(request: httpx.Request) -> httpx.Response:
        seen["auth"] = request.headers.get("authorization")
        return httpx.Response(200, json={"choices": [{"message": {"content": "{}"}, "finish_reason": "stop"}]})

    chat = ChatClient("http://example.invalid/v1", "m")
    chat._http = httpx.Client(transport=httpx.MockTransport(handler), headers=chat._http.headers)
    chat.complete(MESSAGES, SCHEMA, "x", Decoding())
    assert seen["auth"] == "Bearer sk-test"


# Faults of the body and the content: the body layer is retried, then one line; the content
# is the model's answer, which the parser judges (bench.systems.llm.answers).


def test_a_body_that_is_not_utf8_is_retried_then_reported():
    with FakeServer() as server:
        server.faults = [Fault(raw_body=b'{"choices": [{"message": {"content": "\xff\xfe"}}]}')] * 3
        with pytest.raises(EndpointError) as err:
            client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert "not a chat completion (not UTF-8" in err.value.message and len(server.requests) == 3 and "\n" not in err.value.message


def test_a_200_without_choices_is_retried_and_a_good_answer_then_used():
    with FakeServer() as server:
        server.faults = [Fault(raw_body='{"id": "x", "object": "chat.completion"}'), Fault(raw_body='{"choices": []}')]
        completion = client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert json.loads(completion.text) == VALID["ner"] and len(server.requests) == 3


def test_a_content_that_is_null_or_a_list():
    with FakeServer() as server:
        server.faults = [
            Fault(message={"role": "assistant", "content": None, "refusal": "no"}),
            Fault(message={"role": "assistant", "content": [{"type": "text", "text": '{"entities": '}, {"type": "text", "text": "[]}"}]}),
            Fault(message={"role": "assistant", "content": [1, {"type": "image"}]}),
        ]
        chat = client(server, [])
        texts = [chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding()).text for _ in range(3)]
    assert texts == ["", '{"entities": []}', ""]  # null and a list of no text: empty answers, counted as no_json


def test_an_answer_of_several_megabytes_is_cut_and_counted_too_large(corpus):
    from bench.systems.llm.answers import MAX_ANSWER_CHARS, parse_answer
    from bench.systems.llm.client import MAX_BODY_BYTES
    from bench.tasks.ner.task import NerTask

    huge = '{"entities": [' + ", ".join(['{"text": "Syria", "label": "GPE"}'] * 150_000) + "]}"  # about 5 MB
    with FakeServer() as server:
        server.faults = [Fault(content=huge), Fault(content="\\u00e9" * 1_100_000)]
        chat = client(server, [])
        inside = chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding())  # a body under the cap, an answer over it
        beyond = chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding())  # a body over the cap: not read whole
    assert len(huge) > MAX_ANSWER_CHARS and len(inside.text) == MAX_ANSWER_CHARS + 1
    assert len("\\u00e9" * 1_100_000) > MAX_BODY_BYTES and len(beyond.text) == MAX_ANSWER_CHARS + 1
    document = corpus["000_5cf36fedf2077db3"]
    for completion in (inside, beyond):
        parsed = parse_answer(NerTask(), NerTask().llm.answer_format("1.2.0"), completion.text, document, "test")
        assert parsed.failure is not None and parsed.failure.kind.value == "too_large" and parsed.items == ()


def test_a_connection_dropped_mid_body_is_retried():
    with FakeServer() as server:
        server.faults = [Fault(drop_after=10), Fault(drop_after=0)]
        completion = client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert json.loads(completion.text) == VALID["ner"] and len(server.requests) == 3


def test_a_connection_that_keeps_dropping_mid_body_is_one_line():
    with FakeServer() as server:
        server.faults = [Fault(drop_after=25)] * 3
        with pytest.raises(EndpointError) as err:
            client(server, []).complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert "connection dropped mid-answer" in err.value.message and "3 attempts" in err.value.message and "\n" not in err.value.message


def test_each_fallback_is_one_warning_line_and_each_answer_names_the_form_it_was_asked_in():
    warned: list[str] = []
    with FakeServer() as server:
        server.faults = [Fault(status=422)]
        chat = ChatClient(server.url, "test-model", policy=RetryPolicy(timeout=5.0, max_retries=2), sleep=[].append, warn=warned.append)
        first = chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
        second = chat.complete(MESSAGES, SCHEMA, "ner_answer", Decoding())
    assert first.response_format == second.response_format == "json_object"
    assert len(warned) == 1 and "refused response_format json_schema (HTTP 422)" in warned[0] and "json_object" in warned[0]
