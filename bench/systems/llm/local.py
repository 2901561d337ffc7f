"""llama.cpp in-process (llama-cpp-python): a GGUF file on disk, no server.

The answer is constrained by a grammar built from the task's answer schema, so a
well-behaved run gives schema-valid JSON unless it hits the token limit. The grammar
is built here rather than by passing the schema as `response_format`: llama-cpp-python
0.3.36 does not escape a backslash in a literal, so an `enum` phrase holding a
straight double quote (`now," a spokesman`) breaks the grammar (llama.cpp then
crashes), and a schema it cannot convert silently falls back to any JSON. The model is not thread-safe:
requests run one at a time. The model identity in the cache key is the file's sha256.
"""

from __future__ import annotations

import hashlib
import os
import re
import threading
from functools import lru_cache
from pathlib import Path
from typing import Any

from bench.errors import BenchError, SystemLoadError
from bench.systems.llm.client import Completion, Decoding
from bench.systems.llm.settings import GRAMMAR


@lru_cache(maxsize=None)
def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


_LITERAL_ESCAPES = {"\\": "\\\\", "\r": "\\r", "\n": "\\n", '"': '\\"'}
_LITERAL_SPECIAL = re.compile(r'[\\\r\n"]')


def gbnf(schema: dict[str, Any]) -> str:
    """The GBNF grammar of a JSON Schema: llama-cpp-python's converter, with every
    literal fully escaped."""
    from llama_cpp.llama_grammar import SchemaConverter

    class _Converter(SchemaConverter):
        def _format_literal(self, literal: str) -> str:
            return '"' + _LITERAL_SPECIAL.sub(lambda m: _LITERAL_ESCAPES[m.group()], literal) + '"'

    converter = _Converter(prop_order={}, allow_fetch=False, dotall=False, raw_pattern=False)
    converter.visit(converter.resolve_refs(schema, "schema"), "")
    return converter.format_grammar()


class LlamaCppBackend:
    def __init__(self, model_path: Path, *, n_ctx: int = 8192, threads: int | None = None) -> None:
        try:
            from llama_cpp import Llama
        except ImportError:
            raise SystemLoadError("llama.cpp systems need llama-cpp-python: pip install '.[llm]'") from None
        self.path = Path(model_path)
        if not self.path.is_file():
            raise SystemLoadError(f"{self.path}: no such GGUF file")
        self.identity = f"gguf-sha256:{file_sha256(self.path.resolve())}"
        self._lock = threading.Lock()
        try:
            self._llama = Llama(model_path=str(self.path), n_ctx=n_ctx, n_threads=threads or os.cpu_count(), verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise SystemLoadError(f"{self.path}: llama.cpp cannot load it: {exc}") from None

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding) -> Completion:
        from llama_cpp import LlamaGrammar

        try:
            grammar = LlamaGrammar.from_string(gbnf(schema), verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise BenchError(f"{name}: llama.cpp cannot build a grammar from the answer schema: {exc}") from None
        with self._lock:
            self._llama.set_seed(decoding.seed)
            result = self._llama.create_chat_completion(
                messages=messages,
                grammar=grammar,
                temperature=decoding.temperature,
                top_p=decoding.top_p,
                max_tokens=decoding.max_tokens,
                seed=decoding.seed,
                repeat_penalty=1.0 if decoding.repeat_penalty is None else decoding.repeat_penalty,
            )
        choice = result["choices"][0]
        return Completion(choice["message"].get("content") or "", choice.get("finish_reason"), GRAMMAR)

    def close(self) -> None:
        close = getattr(self._llama, "close", None)
        if close:
            close()
