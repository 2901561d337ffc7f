"""A small OpenAI-compatible server of the tests' own, for fault tests and call counting.

It answers `/v1/chat/completions` with a valid answer for the task it recognises in
the prompt, unless the test queued a fault for the next request: a delay (timeout), an
HTTP status (500, 429 with Retry-After, 422), a body that is not JSON (or not UTF-8),
a given answer text (malformed JSON, truncated output, schema-breaking JSON, nested
brackets, lone surrogates) or `message.content` value (null, a list), or a connection
dropped after part of the body.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

VALID = {
    "ner": {"entities": [{"text": "Syria", "label": "GPE"}, {"text": "Alawite", "label": "NORP"}]},
    "ner_by_label": {  # prompts 1.3.0 on: one list of names per label
        "people": [],
        "organisations": [],
        "countries_cities_and_towns": ["Syria"],
        "other_places": [],
        "facilities": [],
        "nationalities_religions_and_political_groups": ["Alawite"],
        "named_events": [],
    },
    "casualties": {"figures": [{"quantity": "Dozens", "kind": "vague", "low": 24, "high": 99, "outcome": "killed", "unit": "persons", "victims": "unknown"}]},
    "attribution": {"attributions": [{"id": "a1", "source": "officials", "source_type": "official", "cue": "said", "content": "the situation was under control", "mode": "indirect", "parent": None}]},
}


def task_of(body: dict[str, Any]) -> str:
    system = body["messages"][0]["content"]
    if "sorted by what they name" in system:
        return "ner_by_label"
    if "named entities" in system:
        return "ner"
    if "casualty" in system:
        return "casualties"
    return "attribution"


@dataclass
class Fault:
    delay: float = 0.0
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    raw_body: str | bytes | None = None  # the HTTP body itself
    content: str | None = None  # the model's answer text
    message: dict[str, Any] | None = None  # the whole `message` object (content null, a list ...)
    finish_reason: str = "stop"
    drop_after: int | None = None  # send this many bytes of the body, then close the connection


class FakeServer:
    """`refuse`: response_format type -> the status that refuses it (500 as llama-cpp-python's
    server does for json_schema, 400 or 422), with an error that names response_format."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.faults: list[Fault] = []
        self.refuse: dict[str, int] = {}
        self.lock = threading.Lock()
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length))
                with outer.lock:
                    outer.requests.append(body)
                    fault = outer.faults.pop(0) if outer.faults else Fault()
                form = (body.get("response_format") or {}).get("type", "none")
                if form in outer.refuse:
                    fault = Fault(status=outer.refuse[form], raw_body=json.dumps({"error": {"message": f"Input should be 'text' or 'json_object': response_format.type {form}"}}))
                if fault.delay:
                    time.sleep(fault.delay)
                if fault.raw_body is not None:
                    payload = fault.raw_body
                elif fault.status != 200:
                    payload = json.dumps({"error": {"message": f"fault {fault.status}"}})
                else:
                    content = fault.content if fault.content is not None else json.dumps(VALID[task_of(body)])
                    message = fault.message if fault.message is not None else {"role": "assistant", "content": content}
                    payload = json.dumps({"id": "fake", "object": "chat.completion", "created": 0, "model": body.get("model", "fake"),
                                          "choices": [{"index": 0, "message": message, "finish_reason": fault.finish_reason}],
                                          "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2}})
                data = payload if isinstance(payload, bytes) else payload.encode("utf-8")
                try:
                    self.send_response(fault.status)
                    for k, v in fault.headers.items():
                        self.send_header(k, v)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    self.end_headers()
                    if fault.drop_after is not None:
                        self.wfile.write(data[: fault.drop_after])
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)  # the peer sees the body end early
                        return
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout test)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> "FakeServer":
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
