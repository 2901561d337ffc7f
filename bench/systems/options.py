"""The options of the Hugging Face systems (`hf:MODEL`) that a user chooses on the command line.

Stage 3, systems. They live apart from the adapter (`hf_ner.py`) so that the CLI can
offer them, and `bench --help` can show them, without importing the adapter (and the
documents and tasks it needs); the LLM systems' options are `llm/settings.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Device(str, Enum):
    CPU = "cpu"
    CUDA = "cuda"
    MPS = "mps"


@dataclass(frozen=True)
class HFOptions:
    """What `hf:` systems read from the command line."""

    device: Device = Device.CPU
    batch_size: int = 8  # windows per pipeline call
    trust_remote_code: bool = False
    label_map: str | None = None  # `gold`, `conll` or a JSON map file
