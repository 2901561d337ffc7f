"""llama.cpp in-process (llama-cpp-python): a GGUF file on disk, no server.

Where it sits: stage 3, the LLM adapter's backend for `smollm2` and `llama-cpp:PATH`.
The answer is constrained by a grammar built from the task's answer schema, so a
well-behaved run gives schema-valid JSON unless it hits the token limit. The grammar
is built here rather than by passing the schema as `response_format`: llama-cpp-python
0.3.36 does not escape a backslash in a literal, so an `enum` phrase holding a
straight double quote (`now," a spokesman`) breaks the grammar (llama.cpp then
crashes), and a schema it cannot convert silently falls back to any JSON. The model is not thread-safe:
requests run one at a time. The model identity in the cache key is the file's sha256.

Two things make it faster without changing a token of a greedy answer (both checked on
real windows by `tests/test_llm_real.py`; `benchmarks/llm.py` measures them):
- the grammar is asked about the greedy token first, and over the whole vocabulary only
  when it refuses it (`lazy_grammar.py`);
- the shared start of a task's prompts (instructions and worked examples) is evaluated
  once per model and kept (`prefix_states.py`): in memory for the run, and in the
  prediction cache's folder for later runs when the cache is on.
The threads and the batch size default to what measured fastest (`THREADS`, `BATCH`).
"""

from __future__ import annotations

import hashlib
import json
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


class _Captured(Exception):
    """Raised by the stand-in for `create_completion` that records the prompt tokens."""


def _common_prefix(held: Any, tokens: list[int]) -> int:
    """How many leading tokens `held` (a numpy array) and `tokens` share."""
    import numpy as np

    n = min(len(held), len(tokens))
    differ = np.flatnonzero(held[:n] != np.asarray(tokens[:n], dtype=held.dtype))
    return int(differ[0]) if len(differ) else n


@lru_cache(maxsize=None)
def _llama_class() -> type:
    """`Llama` with the lazy grammar check and the prompt-prefix states (llama_cpp is
    imported only when an in-process system is built)."""
    import inspect

    from llama_cpp import Llama

    from bench.systems.llm.lazy_grammar import LazyGrammarSampler
    from bench.systems.llm.prefix_states import MIN_PREFIX_TOKENS, PrefixStates

    stock_signature = inspect.signature(Llama._init_sampler)

    class BenchLlama(Llama):
        lazy_grammar = True
        prefixes: PrefixStates | None = None
        prefix_hint: list[int] | None = None  # the tokens of the next prompt's shared start

        def _init_sampler(self, *args: Any, **kwargs: Any) -> Any:
            asked = stock_signature.bind(self, *args, **kwargs)
            asked.apply_defaults()
            a = asked.arguments
            if self.lazy_grammar and a["grammar"] is not None and a["temp"] == 0.0 and a["logits_processor"] is None:
                return LazyGrammarSampler(self, a["grammar"], repeat_penalty=a["repeat_penalty"], frequency_penalty=a["frequency_penalty"], presence_penalty=a["presence_penalty"])
            return super()._init_sampler(*args, **kwargs)

        def generate(self, tokens: Any, *args: Any, **kwargs: Any) -> Any:
            hint, self.prefix_hint = self.prefix_hint, None
            if hint is not None and self.prefixes is not None:
                self._prepare_prefix(list(tokens), hint)
            return super().generate(tokens, *args, **kwargs)

        def _prepare_prefix(self, tokens: list[int], hint: list[int]) -> None:
            """Make the context hold the prompt's shared start: restored from a kept state, or
            evaluated (from what the context already holds of it) and kept."""
            n = min(_common_prefix(np_tokens(hint), tokens), len(tokens) - 1)
            if n < MIN_PREFIX_TOKENS or _common_prefix(self.input_ids[: self.n_tokens], tokens) >= n:
                return  # too short to keep, or already in the context (the previous prompt's)
            prefix = tokens[:n]
            blob = self.prefixes.get(prefix)
            if blob is not None and self._restore(prefix, blob):
                return
            self.n_tokens = _common_prefix(self.input_ids[: self.n_tokens], tokens)
            self.eval(prefix[self.n_tokens :])
            blob = self._sequence_state()
            if blob:
                self.prefixes.put(prefix, blob)

        def _sequence_state(self) -> bytes:
            import ctypes

            import llama_cpp

            size = llama_cpp.llama_state_seq_get_size(self._ctx.ctx, 0)
            buffer = (ctypes.c_uint8 * size)()
            written = llama_cpp.llama_state_seq_get_data(self._ctx.ctx, buffer, size, 0)
            return ctypes.string_at(buffer, written) if 0 < written <= size else b""

        def _restore(self, prefix: list[int], blob: bytes) -> bool:
            import ctypes

            import llama_cpp

            self._ctx.kv_cache_clear()
            self.n_tokens = 0
            buffer = (ctypes.c_uint8 * len(blob)).from_buffer_copy(blob)
            if llama_cpp.llama_state_seq_set_data(self._ctx.ctx, buffer, len(blob), 0) != len(blob):
                self._ctx.kv_cache_clear()
                return False
            self.input_ids[: len(prefix)] = prefix
            self.n_tokens = len(prefix)
            self._requires_eval = True
            return True

    def np_tokens(tokens: list[int]) -> Any:
        import numpy as np

        return np.asarray(tokens, dtype=np.intc)

    return BenchLlama


# Chosen by measurement (benchmarks/llm.py --sweep, docs/history/2026-12-04-speed.md).
THREADS: int | None = None  # None: every core
BATCH = 512


class LlamaCppBackend:
    def __init__(
        self,
        model_path: Path,
        *,
        n_ctx: int = 8192,
        threads: int | None = None,
        batch: int = BATCH,
        lazy_grammar: bool = True,
        prefix_states: bool = True,
        states_dir: Path | None = None,
    ) -> None:
        from bench.systems.llm import openmp

        openmp.choose()  # before llama_cpp loads libgomp: spin when the machine is idle, else wait passively
        try:
            import llama_cpp
        except ImportError:
            raise SystemLoadError("llama.cpp systems need llama-cpp-python: pip install '.[llm]'") from None
        self.path = Path(model_path)
        if not self.path.is_file():
            raise SystemLoadError(f"{self.path}: no such GGUF file")
        self.identity = f"gguf-sha256:{file_sha256(self.path.resolve())}"
        self._lock = threading.Lock()
        try:
            threads = threads or THREADS or os.cpu_count()
            self._llama = _llama_class()(model_path=str(self.path), n_ctx=n_ctx, n_threads=threads, n_batch=batch, verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise SystemLoadError(f"{self.path}: llama.cpp cannot load it: {exc}") from None
        self._llama.lazy_grammar = lazy_grammar
        self._hints: dict[str, list[int] | None] = {}
        if prefix_states:
            from bench.systems.llm.cache import _warn_stderr
            from bench.systems.llm.prefix_states import PrefixStates

            info = llama_cpp.llama_print_system_info()
            identity = {"model": self.identity, "llama_cpp_python": llama_cpp.__version__, "system_info": info.decode("utf-8", "replace").strip()}
            self._llama.prefixes = PrefixStates(identity, states_dir, _warn_stderr)

    @property
    def prefixes(self) -> Any:
        return self._llama.prefixes

    def _prompt_tokens(self, messages: list[dict[str, str]]) -> list[int] | None:
        """The tokens llama-cpp-python's chat handler makes of `messages` (its own template
        and tokenizer, stopped before anything is evaluated); None when it cannot say."""
        captured: list[Any] = []

        def capture(*args: Any, **kwargs: Any) -> Any:
            captured.append(kwargs.get("prompt", args[0] if args else None))
            raise _Captured

        self._llama.create_completion = capture  # the handler calls llama.create_completion(prompt=tokens, ...)
        try:
            self._llama.create_chat_completion(messages=messages, max_tokens=1)
        except _Captured:
            pass
        except Exception:
            return None
        finally:
            del self._llama.create_completion
        prompt = captured[0] if captured else None
        return list(prompt) if isinstance(prompt, list) and all(isinstance(t, int) for t in prompt) else None

    def _prefix_hint(self, messages: list[dict[str, str]]) -> list[int] | None:
        """The tokens every prompt with these earlier turns starts with: the prompt with the
        last turn's content left empty (the caller keeps the part the real prompt shares)."""
        shared = [*messages[:-1], {**messages[-1], "content": ""}]
        key = json.dumps(shared, sort_keys=True)
        if key not in self._hints:
            self._hints[key] = self._prompt_tokens(shared)
        return self._hints[key]

    def complete(self, messages: list[dict[str, str]], schema: dict[str, Any], name: str, decoding: Decoding) -> Completion:
        from llama_cpp import LlamaGrammar

        try:
            grammar = LlamaGrammar.from_string(gbnf(schema), verbose=False)
        except (ValueError, RuntimeError) as exc:
            raise BenchError(f"{name}: llama.cpp cannot build a grammar from the answer schema: {exc}") from None
        with self._lock:
            if self._llama.prefixes is not None:
                self._llama.prefix_hint = self._prefix_hint(messages)
            self._llama.set_seed(decoding.seed)
            try:
                result = self._llama.create_chat_completion(
                    messages=messages,
                    grammar=grammar,
                    temperature=decoding.temperature,
                    top_p=decoding.top_p,
                    max_tokens=decoding.max_tokens,
                    seed=decoding.seed,
                    repeat_penalty=1.0 if decoding.repeat_penalty is None else decoding.repeat_penalty,
                )
            finally:
                self._llama.prefix_hint = None
        choice = result["choices"][0]
        return Completion(choice["message"].get("content") or "", choice.get("finish_reason"), GRAMMAR)

    def close(self) -> None:
        close = getattr(self._llama, "close", None)
        if close:
            close()
