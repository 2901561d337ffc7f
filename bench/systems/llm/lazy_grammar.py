"""Greedy grammar-constrained sampling that checks the chosen token first.

Where it sits: stage 3, the LLM adapter's llama.cpp backend (`local.py`). llama-cpp-python
samples through one llama.cpp sampler chain: the repetition penalty, the grammar, then
greedy. The grammar step runs over the whole vocabulary (49,152 tokens for SmolLM2) at
every generated token, and costs about as much as the model's own decode on a small
model. This sampler does what llama.cpp's own `common_sampler` does by default: apply
the penalty and pick the greedy token, ask the grammar about that one token only, and
only when the grammar refuses it apply the grammar over the whole vocabulary and pick
again.

Greedy decoding gives the same tokens either way: greedy picks the first token of
highest logit; the grammar only sets refused tokens to minus infinity and leaves the
others as they are; so when the grammar accepts the first best token, it is still the
first best once the others are masked. With any other sampling (a temperature above 0)
the stock chain is kept. The samplers are llama.cpp's own (the same penalty, grammar and
greedy code, accepted in the same order), only the order of the grammar check changes.
`tests/test_llm_real.py` checks that the answers are byte-identical on real windows.
"""

from __future__ import annotations

import ctypes
from typing import Any

import numpy as np


class LazyGrammarSampler:
    """Penalty, greedy, and the grammar asked about the chosen token first.

    It has the two methods llama-cpp-python's `Llama.sample` and `generate` call on the
    sampler they build (`sample(ctx, idx)` and `close()`)."""

    def __init__(self, llama: Any, grammar: Any, *, repeat_penalty: float, frequency_penalty: float, presence_penalty: float) -> None:
        import llama_cpp
        from llama_cpp._internals import LlamaSampler

        self._c = llama_cpp
        self._n = int(llama._n_vocab)
        # llama-cpp-python's own constructors, with the arguments its `_init_sampler` passes:
        # three one-sampler chains instead of one chain of three.
        self._penalties, self._grammar, self._greedy = LlamaSampler(), LlamaSampler(), LlamaSampler()
        self._penalties.add_penalties(
            n_vocab=self._n,
            penalty_last_n=llama.last_n_tokens_size,
            penalty_repeat=repeat_penalty,
            penalty_freq=frequency_penalty,
            penalty_present=presence_penalty,
        )
        self._grammar.add_grammar(llama._model, grammar)
        self._greedy.add_greedy()
        self._order = (self._penalties.sampler, self._grammar.sampler, self._greedy.sampler)  # the stock chain's
        self._data = (llama_cpp.llama_token_data * self._n)()
        self._view = np.ctypeslib.as_array(self._data)  # id, logit, p: one record per token
        self._view["id"] = np.arange(self._n, dtype=np.int32)
        self._array = llama_cpp.llama_token_data_array()
        self._one = (llama_cpp.llama_token_data * 1)()
        self._one_array = llama_cpp.llama_token_data_array()
        self.resampled = 0  # tokens the grammar refused, picked again over the masked vocabulary

    def _fill(self, ctx: Any, idx: int) -> None:
        """The candidates as `llama_sampler_sample` builds them: every token, its logit, p = 0."""
        logits = self._c.llama_get_logits_ith(ctx, idx)
        self._view["logit"] = np.ctypeslib.as_array(logits, shape=(self._n,))
        self._view["p"] = 0.0
        array = self._array
        array.data = ctypes.cast(self._data, self._c.llama_token_data_p)
        array.size, array.selected, array.sorted = self._n, -1, False

    def _pick(self) -> int:
        selected = self._array.selected
        if not 0 <= selected < self._n:
            raise RuntimeError("llama.cpp's greedy sampler selected no token")
        return int(self._array.data[selected].id)

    def _accepted_by_grammar(self, token: int) -> bool:
        one, array = self._one, self._one_array
        one[0].id, one[0].logit, one[0].p = token, 1.0, 0.0
        array.data = ctypes.cast(one, self._c.llama_token_data_p)
        array.size, array.selected, array.sorted = 1, -1, False
        self._c.llama_sampler_apply(self._grammar.sampler, ctypes.byref(array))
        return bool(np.isfinite(array.data[0].logit))

    def sample(self, ctx: Any, idx: int = -1) -> int:
        apply, candidates = self._c.llama_sampler_apply, ctypes.byref(self._array)
        penalties, grammar, greedy = self._order
        self._fill(ctx.ctx, idx)
        apply(penalties, candidates)
        apply(greedy, candidates)
        token = self._pick()
        if not self._accepted_by_grammar(token):
            self.resampled += 1
            self._fill(ctx.ctx, idx)
            for sampler in self._order:
                apply(sampler, candidates)
            token = self._pick()
        for sampler in self._order:  # accepted in the chain's order, as llama_sampler_sample does
            self._c.llama_sampler_accept(sampler, token)
        return token

    def close(self) -> None:
        for sampler in (self._penalties, self._grammar, self._greedy):
            sampler.close()
