"""Options a user gives a system on the command line (`bench eval --device cuda ...`).

Each adapter reads the fields it understands: `hf:` uses device, batch size,
trust_remote_code and label_map; the LLM systems use the decoding, endpoint and cache
fields. The defaults are what `bench eval SYSTEM` uses with no options.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

from bench.systems.llm.settings import Decoding, ResponseFormat, RetryPolicy


class Device(str, Enum):
    CPU = "cpu"
    CUDA = "cuda"
    MPS = "mps"


@dataclass(frozen=True)
class SystemOptions:
    device: Device = Device.CPU
    batch_size: int = 8
    trust_remote_code: bool = False
    label_map: str | None = None  # hf: `gold`, `conll` or a JSON map file
    concurrency: int = 4
    policy: RetryPolicy = field(default_factory=RetryPolicy)
    response_format: ResponseFormat = ResponseFormat.AUTO
    decoding: Decoding = field(default_factory=Decoding)
    use_cache: bool = True
    cache_dir: Path | None = None
    prompts_dir: Path | None = None
    prompt_version: str | None = None  # LLM: None = the latest
    window: str | None = None  # LLM: document, paragraph or sentence; None = the system's default
    threads: int | None = None  # llama.cpp in-process: CPU threads; None = every core
    trust_env: bool = False  # openai: honour proxy variables, .netrc and SSL_CERT_FILE (httpx's trust_env)
